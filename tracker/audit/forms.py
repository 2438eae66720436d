from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField
from wtforms.validators import Optional, ValidationError

from tracker.fields import DutchDateField
from tracker.i18n import lazy_gettext as _l


class HistoryFilterForm(FlaskForm):
    """Read from the query string: no CSRF token, as it changes nothing."""

    class Meta:
        csrf = False

    user = SelectField(_l("User"), validate_choice=False)
    start = DutchDateField(_l("From"), validators=[Optional()])
    end = DutchDateField(_l("Up to and including"), validators=[Optional()])
    submit = SubmitField(_l("Filter"))

    def validate_user(self, field):
        if field.data and field.data not in {value for value, _ in field.choices}:
            raise ValidationError(_l("Choose a user from the list."))

    def validate_end(self, field):
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The end date is before the start date."))
