import re

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from tracker.editing import VersionedForm
from tracker.fields import ChoiceField
from tracker.i18n import gettext as _
from tracker.i18n import lazy_gettext as _l
from tracker.labels import ROLE_LABELS


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(_l("Fill in your email address.")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Fill in your password.")), Length(max=200)]
    )
    submit = SubmitField(_l("Log in"))


# --- The admin screen: users and roles --------------------------------------------------------

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class SubprojectsField(SelectMultipleField):
    """Subprojects led, by id; an unknown or malformed id reads as a clear sentence.

    Ids are integers both ways: the choices, the data read from the record (subprojects or
    ids) and the data posted. WTForms marks an option selected when ``coerce(choice) in data``;
    with its default ``coerce=str`` no integer id was ever selected, so saving the form
    unchanged dropped every subproject the lead led."""

    def __init__(self, *args, **kwargs):
        kwargs["coerce"] = int
        super().__init__(*args, **kwargs)

    def process_data(self, value):
        self.data = [getattr(item, "id", item) for item in value or ()]

    def process_formdata(self, valuelist):
        self.data = []
        self._malformed = False
        for value in valuelist:
            try:
                self.data.append(int(value))
            except (TypeError, ValueError):
                self._malformed = True

    def pre_validate(self, form):
        allowed = {int(value) for value, _label in (self.choices or [])}
        if getattr(self, "_malformed", False) or any(v not in allowed for v in self.data or []):
            raise ValidationError(_l("Choose subprojects from the list."))


def _password_fields():
    password = PasswordField(
        _l("Password"),
        description=_l("At least 12 characters."),
        validators=[
            DataRequired(_l("Fill in a password.")),
            Length(min=12, message=_l("Use at least 12 characters.")),
            Length(max=200, message=_l("At most 200 characters.")),
        ],
    )
    again = PasswordField(
        _l("Password again"),
        validators=[
            DataRequired(_l("Fill in the password a second time.")),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
    )
    return password, again


def _name_field():
    return StringField(
        _l("Name"),
        validators=[
            DataRequired(_l("Fill in a name.")),
            Length(max=120, message=_l("At most 120 characters.")),
        ],
    )


def _role_field():
    return ChoiceField(
        _l("Role"),
        choices=list(ROLE_LABELS.items()),
        validators=[DataRequired(_l("Choose a role."))],
    )


def _subprojects_field():
    return SubprojectsField(
        _l("Subprojects led"),
        description=_l("Only for a subproject lead."),
        choices=[],
    )


def _subproject_label(subproject, with_programme: bool) -> str:
    label = f"{subproject.code} {subproject.name}"
    if with_programme:
        label = f"{subproject.programme.name}: {label}"
    if subproject.archived_at is not None:
        label = _("%(subproject)s (archived)", subproject=label)
    return label


class _UserFields:
    def _init_subprojects(self, subprojects):
        """Labelled with the programme once an instance runs more than one (each has its DP1)."""
        several = len({s.programme_id for s in subprojects}) > 1
        self.led_subprojects.choices = [(s.id, _subproject_label(s, several)) for s in subprojects]

    def validate_led_subprojects(self, field):
        if field.data and self.role.data != "lead":
            raise ValidationError(_l("Only a subproject lead leads subprojects."))


class NewUserForm(_UserFields, FlaskForm):
    email = StringField(
        _l("Email address"),
        validators=[
            DataRequired(_l("Fill in an email address.")),
            Length(max=254, message=_l("At most 254 characters.")),
        ],
    )
    name = _name_field()
    role = _role_field()
    led_subprojects = _subprojects_field()
    password, password_again = _password_fields()
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, subprojects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._init_subprojects(subprojects)

    def validate_email(self, field):
        if not _EMAIL.match((field.data or "").strip()):
            raise ValidationError(_l("Enter an email address such as naam@flevoland.nl."))


class EditUserForm(_UserFields, VersionedForm):
    name = _name_field()
    role = _role_field()
    active = BooleanField(
        _l("Active"), description=_l("An inactive user cannot log in; their records stay.")
    )
    led_subprojects = _subprojects_field()
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, subprojects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._init_subprojects(subprojects)


class PasswordResetForm(FlaskForm):
    password, password_again = _password_fields()
    submit = SubmitField(_l("Save"))


# --- Own account: password and second factor ---------------------------------------------------


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code"),
        description=_l("The 6 digits your authenticator app shows now, or one recovery code."),
        render_kw={"autocomplete": "one-time-code"},
        validators=[
            DataRequired(_l("Fill in the code.")),
            Length(max=40, message=_l("At most 40 characters.")),
        ],
    )
    submit = SubmitField(_l("Confirm"))


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[
            DataRequired(_l("Fill in your current password.")),
            Length(max=200, message=_l("At most 200 characters.")),
        ],
    )
    password, password_again = _password_fields()
    submit = SubmitField(_l("Save"))


class ConfirmForm(FlaskForm):
    submit = SubmitField(_l("Confirm"))
