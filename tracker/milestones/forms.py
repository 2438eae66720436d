from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from tracker import timeutil
from tracker.editing import VersionedForm
from tracker.fields import ChoiceField, DutchDateField
from tracker.i18n import lazy_gettext as _l


class MilestoneForm(VersionedForm):
    title = StringField(
        _l("Title"),
        validators=[
            DataRequired(_l("Fill in a title.")),
            Length(max=200, message=_l("At most 200 characters.")),
        ],
    )
    description = TextAreaField(
        _l("Description"), validators=[Length(max=5000, message=_l("At most 5000 characters."))]
    )
    action_id = ChoiceField(_l("Part of action"), coerce=lambda v: int(v) if v else None)
    planned_date = DutchDateField(
        _l("Planned date"), validators=[InputRequired(_l("Fill in a date."))]
    )
    reason = TextAreaField(
        _l("Reason for moving the planned date"),
        description=_l("Required when the planned date moves; kept in the milestone's history."),
        validators=[Length(max=2000, message=_l("At most 2000 characters."))],
    )
    forecast_date = DutchDateField(
        _l("Forecast date"), description=_l("When you now expect to reach it, if not as planned.")
    )
    at_risk = BooleanField(_l("At risk"))
    achieved_on = DutchDateField(_l("Achieved on"))
    evidence = TextAreaField(
        _l("Evidence"),
        description=_l("What shows it was achieved, e.g. a signed document or a report."),
        validators=[Length(max=5000, message=_l("At most 5000 characters."))],
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.action_id.choices = [("", _l("(none)"))] + [(a.id, a.title) for a in actions]

    def validate_achieved_on(self, field):
        if field.data and field.data > timeutil.today():
            raise ValidationError(_l("The achievement date cannot be in the future."))

    def validate_evidence(self, field):
        if self.achieved_on.data and not (field.data or "").strip():
            raise ValidationError(_l("Describe the evidence that it was achieved."))
