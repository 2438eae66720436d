from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import Length, Optional, ValidationError

from tracker.fields import ChoiceField, DutchDateField
from tracker.i18n import lazy_gettext as _l
from tracker.security_events.kinds import KIND_LABELS, OUTCOME_LABELS


class SecurityEventFilterForm(FlaskForm):
    """Read from the query string: no CSRF token, as it changes nothing."""

    class Meta:
        csrf = False

    kind = ChoiceField(
        _l("Event"),
        choices=[("", _l("All events"))] + [(k.value, v) for k, v in KIND_LABELS.items()],
    )
    outcome = ChoiceField(
        _l("Outcome"),
        choices=[("", _l("Every outcome"))] + [(o.value, v) for o, v in OUTCOME_LABELS.items()],
    )
    account = StringField(
        _l("Account"),
        description=_l("Part of the email address."),
        validators=[Length(max=254, message=_l("At most 254 characters."))],
    )
    address = StringField(
        _l("Address"),
        description=_l("The full IP address, e.g. 192.0.2.10."),
        validators=[Length(max=64, message=_l("At most 64 characters."))],
    )
    start = DutchDateField(_l("From"), validators=[Optional()])
    end = DutchDateField(_l("Up to and including"), validators=[Optional()])
    submit = SubmitField(_l("Filter"))

    def validate_end(self, field):
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The end date is before the start date."))
