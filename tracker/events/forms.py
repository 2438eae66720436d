"""Forms of the events: the event itself, a workshop, registering organisations and pupils, a
follow-up action.
The attendance form is built per event (one pair of ticks per registration), see views."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    ValidationError,
)

from tracker.editing import VersionedForm
from tracker.fields import ChoiceField, DutchDateField, DutchNumberField, IdsField
from tracker.i18n import lazy_gettext as _l
from tracker.indicators import values
from tracker.indicators.forms import PROBLEM_MESSAGES
from tracker.labels import EDUCATION_LEVEL_LABELS, EVENT_KIND_LABELS
from tracker.projects.forms import ActionForm
from tracker.stakeholders.forms import ContactForm


def _optional_id(value):
    return int(value) if value not in (None, "", "None") else None


def _at_most(length: int):
    return Length(max=length, message=_l("At most %(num)d characters.", num=length))


def _organisation_label(organisation) -> str:
    if organisation.municipality is None:
        return organisation.name
    return f"{organisation.name} ({organisation.municipality.name})"


class EventForm(VersionedForm):
    kind = ChoiceField(
        _l("Kind"),
        choices=[("", "–")] + list(EVENT_KIND_LABELS.items()),
        validators=[DataRequired(_l("Choose the kind of event."))],
    )
    title = StringField(
        _l("Title"),
        description=_l("e.g. Clusterbijeenkomst Bouw en Techniek"),
        validators=[DataRequired(_l("Fill in a title.")), _at_most(200)],
    )
    held_on = DutchDateField(_l("Date"), validators=[InputRequired(_l("Fill in a date."))])
    place = StringField(
        _l("Place"), description=_l("Venue and address."), validators=[_at_most(200)]
    )
    municipality_id = ChoiceField(_l("Municipality"), coerce=_optional_id)
    organiser_id = ChoiceField(_l("Organiser"), coerce=_optional_id)
    day_programme = TextAreaField(
        _l("Programme of the day"),
        description=_l("Times and parts, one per line."),
        validators=[_at_most(5000)],
    )
    follows_id = ChoiceField(
        _l("Follow-up of"),
        description=_l(
            "The organisations that asked for a follow-up there are offered for registration here."
        ),
        coerce=_optional_id,
    )
    action_ids = IdsField(_l("Linked actions"))
    milestone_ids = IdsField(_l("Linked milestones"))
    submit = SubmitField(_l("Save"))

    def __init__(
        self,
        *args,
        municipalities=(),
        organisations=(),
        earlier=(),
        actions=(),
        milestones=(),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.municipality_id.choices = [("", "–")] + [(m.id, m.name) for m in municipalities]
        self.organiser_id.choices = [("", "–")] + [
            (o.id, _organisation_label(o)) for o in organisations
        ]
        self.follows_id.choices = [("", "–")] + [
            (e.id, f"{e.held_on:%d-%m-%Y} {e.title}") for e in earlier
        ]
        self.action_ids.choices = [(a.id, a.title) for a in actions]
        self.milestone_ids.choices = [(m.id, m.title) for m in milestones]


class WorkshopForm(VersionedForm):
    topic = StringField(
        _l("Topic"),
        description=_l("e.g. Samen opleiden in de bouw"),
        validators=[DataRequired(_l("Fill in the topic.")), _at_most(200)],
    )
    organisation_ids = IdsField(_l("Participating organisations"))
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_ids.choices = [(o.id, _organisation_label(o)) for o in organisations]


class RegistrationForm(VersionedForm):
    organisation_ids = IdsField(
        _l("Organisations"),
        description=_l(
            "From the stakeholder register; hold Ctrl (Cmd on a Mac) to choose several."
        ),
    )
    wants_follow_up = BooleanField(_l("Interest in a follow-up"))
    submit = SubmitField(_l("Register"))

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_ids.choices = [(o.id, _organisation_label(o)) for o in organisations]

    def validate_organisation_ids(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one organisation."))


class PupilsForm(VersionedForm):
    school_id = ChoiceField(
        _l("School"), coerce=_optional_id, validators=[InputRequired(_l("Choose a school."))]
    )
    level = ChoiceField(
        _l("Education level"),
        choices=[("", "–")] + list(EDUCATION_LEVEL_LABELS.items()),
        validators=[DataRequired(_l("Choose the education level."))],
    )
    number = IntegerField(
        _l("Number of pupils or students"),
        validators=[
            InputRequired(_l("Fill in a whole number.")),
            NumberRange(min=1, max=100000, message=_l("Fill in a number from 1 to 100.000.")),
        ],
    )
    submit = SubmitField(_l("Add"))

    def __init__(self, *args, schools=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.school_id.choices = [("", "–")] + [(o.id, _organisation_label(o)) for o in schools]


class RegistrationListForm(FlaskForm):
    file = FileField(
        _l("Registration list (.xlsx or .csv)"),
        validators=[FileRequired(_l("Choose the filled-in registration list."))],
    )
    submit = SubmitField(_l("Check the file"))


class PeopleForm(VersionedForm):
    """The people of one registration: contact persons of its organisation, and optionally a
    new one with the same AVG rules as the register's contact form (a purpose is required)."""

    contact_ids = IdsField(
        _l("Contact persons who come"),
        description=_l("Of this organisation; hold Ctrl (Cmd on a Mac) to choose several."),
    )
    name = StringField(
        _l("New contact person (optional)"),
        description=_l("Leave empty if everyone who comes is chosen above."),
        validators=[_at_most(200)],
    )
    function = StringField(_l("Function"), validators=[_at_most(200)])
    email = StringField(_l("Email address"), validators=[_at_most(254)])
    phone = StringField(_l("Phone"), validators=[_at_most(40)])
    purpose = TextAreaField(
        _l("Purpose of processing"),
        description=_l("Why the programme keeps this person's details; needed for a new person."),
        validators=[_at_most(1000)],
    )
    submit = SubmitField(_l("Save"))

    validate_email = ContactForm.validate_email
    validate_phone = ContactForm.validate_phone

    def __init__(self, *args, contacts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.contact_ids.choices = [
            (c.id, f"{c.name} ({c.function})" if c.function else c.name) for c in contacts
        ]

    def validate_purpose(self, field):
        field.data = (field.data or "").strip()
        if (self.name.data or "").strip() and not field.data:
            raise ValidationError(
                _l("Fill in why these details are kept: the AVG asks for a purpose.")
            )

    def new_person(self) -> dict | None:
        if not (self.name.data or "").strip():
            return None
        keys = ("name", "function", "email", "phone", "purpose")
        return {key: (self[key].data or "").strip() for key in keys}


class FollowUpForm(ActionForm):
    """A new joint action that came from an event: the action form, in a subproject the user
    may edit, linked back to the event (so no choice of event)."""

    from_event_id = None
    subproject_id = ChoiceField(
        _l("Subproject"),
        description=_l("The subproject the new action belongs to."),
        coerce=lambda v: int(v) if v not in (None, "", "None") else None,
        validators=[InputRequired(_l("Choose a subproject."))],
    )

    def __init__(self, *args, subprojects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.subproject_id.choices = [("", "–")] + [
            (s.id, f"{s.code} {s.name}") for s in subprojects
        ]


class OverrideForm(VersionedForm):
    """A value of one quarter of a counted indicator set by hand, never without its reason."""

    value = DutchNumberField(
        _l("Value"),
        validators=[
            InputRequired(_l("Fill in a number.")),
            NumberRange(min=0, message=_l("A count is not negative.")),
        ],
    )
    override_reason = TextAreaField(
        _l("Reason"),
        description=_l(
            "Why the count is not right, e.g. two companies did not sign the attendance list. "
            "It is shown beside the value everywhere, with your name."
        ),
        validators=[DataRequired(_l("Fill in the reason for the adjustment.")), _at_most(2000)],
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, unit: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.value.description = _l("In %(unit)s.", unit=unit)

    def validate_value(self, field):
        problem = values.value_problem(field.data, self.unit) if field.data is not None else None
        if problem:
            raise ValidationError(PROBLEM_MESSAGES[problem])


class RemoveOverrideForm(VersionedForm):
    submit = SubmitField(_l("Return to the counted value"))
