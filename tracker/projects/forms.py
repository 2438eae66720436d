from wtforms import IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from tracker.editing import VersionedForm
from tracker.fields import ChoiceField, DutchDateField
from tracker.i18n import lazy_gettext as _l
from tracker.labels import ACTION_STATE_LABELS, ORGANISATION_KIND_LABELS

NEW_ORGANISATION = "new"


def _required_date():
    return [InputRequired(_l("Fill in a date."))]


class SubprojectForm(VersionedForm):
    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(_l("Fill in a name.")),
            Length(max=200, message=_l("At most 200 characters.")),
        ],
    )
    aim = TextAreaField(
        _l("Aim"), validators=[Length(max=5000, message=_l("At most 5000 characters."))]
    )
    submit = SubmitField(_l("Save"))


class ActionForm(VersionedForm):
    title = StringField(
        _l("Title"),
        validators=[
            DataRequired(_l("Fill in a title.")),
            Length(max=200, message=_l("At most 200 characters.")),
        ],
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=5000, message=_l("At most 5000 characters."))],
    )
    owner_id = ChoiceField(_l("Owner"), coerce=lambda v: int(v) if v else None)
    start_date = DutchDateField(_l("Start date"), validators=_required_date())
    due_date = DutchDateField(_l("Due date"), validators=_required_date())
    state = ChoiceField(
        _l("State"),
        choices=list(ACTION_STATE_LABELS.items()),
        validators=[DataRequired(_l("Choose a state."))],
    )
    progress = IntegerField(
        _l("Progress (%)"),
        default=0,
        invalid_value_message=_l("Fill in a whole number from 0 to 100."),
        validators=[
            InputRequired(_l("Fill in a whole number from 0 to 100.")),
            NumberRange(0, 100, message=_l("Fill in a whole number from 0 to 100.")),
        ],
    )
    from_event_id = ChoiceField(
        _l("Came from event"),
        description=_l("The event of the programme this action came from, if any."),
        coerce=lambda v: int(v) if v not in (None, "", "None") else None,
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, organisations=(), events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.owner_id.choices = [("", _l("(none)"))] + [(o.id, o.name) for o in organisations]
        if "from_event_id" in self:  # a follow-up recorded from an event fixes it instead
            self.from_event_id.choices = [("", _l("(none)"))] + list(events)

    def validate_due_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The due date cannot be before the start date."))


class OrganisationLinkForm(VersionedForm):
    organisation_id = ChoiceField(_l("Organisation"))
    new_name = StringField(
        _l("Name of the new organisation"),
        description=_l("Only when the organisation is not in the list yet."),
        validators=[Length(max=200, message=_l("At most 200 characters."))],
    )
    new_kind = ChoiceField(
        _l("Kind of the new organisation"),
        choices=[("", "–")] + list(ORGANISATION_KIND_LABELS.items()),
    )
    role = StringField(
        _l("Role in the subproject"),
        description=_l("For example trekker, partner or financier."),
        validators=[
            DataRequired(_l("Fill in the organisation's role.")),
            Length(max=100, message=_l("At most 100 characters.")),
        ],
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_id.choices = [("", "–")] + [(str(o.id), o.name) for o in organisations]
        self.organisation_id.choices.append((NEW_ORGANISATION, _l("A new organisation")))

    def validate_organisation_id(self, field):
        if not field.data:
            raise ValidationError(_l("Choose an organisation, or a new one."))

    def validate_new_name(self, field):
        if self.organisation_id.data == NEW_ORGANISATION and not (field.data or "").strip():
            raise ValidationError(_l("Fill in the new organisation's name."))

    def validate_new_kind(self, field):
        if self.organisation_id.data == NEW_ORGANISATION and not field.data:
            raise ValidationError(_l("Choose the new organisation's kind."))


class EditOrganisationLinkForm(VersionedForm):
    """Only the role: to link another organisation, delete this link and add one."""

    role = OrganisationLinkForm.role
    submit = SubmitField(_l("Save"))
