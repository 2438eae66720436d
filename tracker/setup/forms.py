from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from tracker.editing import VersionedForm
from tracker.fields import ChoiceField, DutchDateField, IdsField
from tracker.i18n import lazy_gettext as _l
from tracker.setup import rules

REPORTING_FREQUENCY_LABELS = {
    "quarterly": _l("Every quarter"),
    "half_yearly": _l("Every half year"),
    "yearly": _l("Every year"),
}


def _name(length: int):
    return StringField(
        _l("Name"),
        validators=[
            DataRequired(_l("Fill in a name.")),
            Length(max=length, message=_l("At most %(num)d characters.", num=length)),
        ],
    )


def _aim():
    return TextAreaField(
        _l("Aim"), validators=[Length(max=5000, message=_l("At most 5000 characters."))]
    )


class ProgrammeForm(VersionedForm):
    name = _name(200)
    aim = _aim()
    start_date = DutchDateField(_l("Start date"), validators=[InputRequired(_l("Fill in a date."))])
    end_date = DutchDateField(_l("End date"), validators=[InputRequired(_l("Fill in a date."))])
    reporting_frequency = ChoiceField(
        _l("Reporting frequency"),
        description=_l("How often the steering group receives the evaluation report."),
        choices=list(REPORTING_FREQUENCY_LABELS.items()),
        default="quarterly",
        validators=[DataRequired(_l("Choose how often the programme reports."))],
    )
    submit = SubmitField(_l("Save"))

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The end date cannot be before the start date."))


class MunicipalityForm(VersionedForm):
    name = _name(100)
    cbs_code = StringField(
        _l("CBS code"),
        description=_l("GM and four digits, as Statistics Netherlands numbers it: e.g. GM0034."),
        validators=[DataRequired(_l("Fill in the CBS code, e.g. GM0034."))],
    )
    submit = SubmitField(_l("Save"))

    def validate_cbs_code(self, field):
        code = rules.normalise_cbs_code(field.data)
        if code is None:
            raise ValidationError(
                _l("A CBS code is GM and four digits, e.g. %(code)s.", code=rules.CBS_CODE_EXAMPLE)
            )
        field.data = code


class SubprojectSetupForm(VersionedForm):
    code = StringField(
        _l("Code"),
        description=_l("Short and unique within the programme, e.g. DP1."),
        validators=[
            DataRequired(_l("Fill in a code.")),
            Length(max=20, message=_l("At most 20 characters.")),
        ],
    )
    name = _name(200)
    aim = _aim()
    municipality_id = ChoiceField(
        _l("Municipality"),
        coerce=lambda v: int(v) if v not in (None, "") else None,
        validators=[InputRequired(_l("Choose a municipality."))],
    )
    lead_ids = IdsField(
        _l("Subproject leads"),
        description=_l(
            "Users with the role of subproject lead. Is the lead not in the list? The "
            "application manager adds them under Users."
        ),
        message=_l("Choose subproject leads from the list."),
        choices=[],
    )
    from_event_id = ChoiceField(
        _l("Came from event"),
        description=_l("The event of the programme this subproject came from, if any."),
        coerce=lambda v: int(v) if v not in (None, "", "None") else None,
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, municipalities=(), leads=(), events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.from_event_id.choices = [("", _l("(none)"))] + list(events)
        self.municipality_id.choices = [("", "–")] + [
            (m.id, f"{m.name} ({m.cbs_code})") for m in municipalities
        ]
        self.lead_ids.choices = [(u.id, u.name) for u in leads]
