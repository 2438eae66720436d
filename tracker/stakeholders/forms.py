"""Forms of the stakeholder register."""

from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from tracker.editing import VersionedForm
from tracker.fields import ChoiceField
from tracker.i18n import lazy_gettext as _l
from tracker.labels import ORGANISATION_KIND_LABELS, ORGANISATION_SECTOR_LABELS
from tracker.stakeholders import rules


def _optional_id(value):
    return int(value) if value not in (None, "", "None") else None


def _at_most(length: int):
    return Length(max=length, message=_l("At most %(num)d characters.", num=length))


class OrganisationForm(VersionedForm):
    name = StringField(
        _l("Name"),
        description=_l("As the organisation calls itself, e.g. ROC Flevoland."),
        validators=[DataRequired(_l("Fill in a name.")), _at_most(200)],
    )
    kind = ChoiceField(
        _l("Kind"),
        choices=[("", "–")] + list(ORGANISATION_KIND_LABELS.items()),
        validators=[DataRequired(_l("Choose the kind of organisation."))],
    )
    municipality_id = ChoiceField(
        _l("Municipality"),
        description=_l("Where it is established; leave empty for a province-wide organisation."),
        coerce=_optional_id,
    )
    sector = ChoiceField(
        _l("Sector"),
        choices=[("", "–")] + list(ORGANISATION_SECTOR_LABELS.items()),
        description=_l("For a company above all; a school or government may leave it empty."),
    )
    website = StringField(
        _l("Website (optional)"), description=_l("e.g. www.example.org"), validators=[_at_most(300)]
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality_id.choices = [("", "–")] + [(m.id, m.name) for m in municipalities]

    def validate_website(self, field):
        website = rules.normalise_website(field.data)
        if website is None:
            raise ValidationError(_l("Enter a web address such as www.example.org."))
        field.data = website


class ParticipationForm(VersionedForm):
    subproject_id = ChoiceField(
        _l("Subproject"),
        coerce=_optional_id,
        validators=[InputRequired(_l("Choose a subproject."))],
    )
    role = StringField(
        _l("Role"),
        description=_l("e.g. trekker, partner, financier, host of work placements"),
        validators=[DataRequired(_l("Fill in the organisation's role.")), _at_most(100)],
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, subprojects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.subproject_id.choices = [("", "–")] + [
            (s.id, f"{s.code} {s.name} ({programme})") for s, programme in subprojects
        ]


class MemberForm(VersionedForm):
    member_id = ChoiceField(
        _l("Organisation"),
        coerce=_optional_id,
        validators=[InputRequired(_l("Choose an organisation."))],
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.member_id.choices = [("", "–")] + [(o.id, o.name) for o in organisations]


class ContactForm(VersionedForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Fill in a name.")), _at_most(200)])
    function = StringField(_l("Function"), validators=[_at_most(200)])
    email = StringField(_l("Email address"), validators=[_at_most(254)])
    phone = StringField(_l("Phone"), validators=[_at_most(40)])
    purpose = TextAreaField(
        _l("Purpose of processing"),
        description=_l(
            "Why the programme keeps this person's details, e.g. \"contact for work placements "
            'in subproject DP2". Keep only what this purpose needs.'
        ),
        validators=[
            DataRequired(_l("Fill in why these details are kept: the AVG asks for a purpose.")),
            _at_most(1000),
        ],
    )
    submit = SubmitField(_l("Save"))

    def validate_email(self, field):
        field.data = (field.data or "").strip()
        if field.data and not rules.is_email(field.data):
            raise ValidationError(_l("Enter an email address such as naam@example.org."))

    def validate_phone(self, field):
        phone = rules.normalise_phone(field.data)
        if phone is None:
            raise ValidationError(
                _l("Enter a phone number such as 0320 123 456 or +31 6 12345678.")
            )
        field.data = phone


class MergeChoiceForm(FlaskForm):
    keep_id = ChoiceField(
        _l("Organisation to keep"),
        description=_l(
            "The organisation that stays. Likely duplicates (same municipality, a name that "
            "looks alike) are listed first. Nothing changes before you confirm."
        ),
        coerce=_optional_id,
        validators=[InputRequired(_l("Choose the organisation to keep."))],
    )
    submit = SubmitField(_l("Next: check what moves"))

    def __init__(self, *args, likely=(), others=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.keep_id.choices = (
            [("", "–")]
            + [
                (o.id, _l("%(name)s – likely the same", name=_label(o, place)))
                for o, place in likely
            ]
            + [(o.id, _label(o, place)) for o, place in others]
        )


def _label(organisation, place: str | None) -> str:
    return f"{organisation.name} ({place})" if place else organisation.name


class MergeConfirmForm(VersionedForm):
    """``version`` carries the fingerprint of the plan the page showed (merging.Plan)."""

    submit = SubmitField(_l("Merge"))
