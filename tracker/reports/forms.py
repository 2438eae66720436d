from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from tracker.i18n import lazy_gettext as _l


class ReopenForm(FlaskForm):
    """Reopening withdraws an approved report, so it asks why; the reason goes to the audit."""

    reason = TextAreaField(
        _l("Reason for reopening"),
        description=_l(
            "For example which figure is wrong and who asked for the correction. It is kept in "
            "the change history with your name."
        ),
        validators=[
            DataRequired(_l("Give the reason for reopening.")),
            Length(max=2000, message=_l("At most 2000 characters.")),
        ],
    )
