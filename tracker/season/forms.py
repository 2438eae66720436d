"""Forms of the reporting season."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange

from tracker.editing import VersionedForm
from tracker.i18n import lazy_gettext as _l
from tracker.season import rules


class TermsForm(VersionedForm):
    due_days = IntegerField(
        _l("Days after the quarter ends"),
        description=_l(
            "The update of a quarter must be submitted this many days after the quarter ends. "
            "Default: 15 days, so the update of the third quarter is due on 15 October."
        ),
        default=rules.DEFAULT_DUE_DAYS,
        validators=[
            InputRequired(_l("Fill in a whole number of days.")),
            NumberRange(
                0, rules.MAX_DUE_DAYS, _l("Between 0 and %(num)d days.", num=rules.MAX_DUE_DAYS)
            ),
        ],
    )
    reminder_days = IntegerField(
        _l("Days before the due date that reminders start"),
        description=_l(
            "Leads who have not submitted get one reminder by mail this many days before the "
            "due date, and one notice the day after it. Default: 5 days."
        ),
        default=rules.DEFAULT_REMINDER_DAYS,
        validators=[
            InputRequired(_l("Fill in a whole number of days.")),
            NumberRange(
                0,
                rules.MAX_REMINDER_DAYS,
                _l("Between 0 and %(num)d days.", num=rules.MAX_REMINDER_DAYS),
            ),
        ],
    )
    submit = SubmitField(_l("Save"))


class SubmitForm(VersionedForm):
    """Carries the version of the submission it was opened on ("" for none yet). Prefixed, as
    it shares the quarter page with that page's own form."""

    PREFIX = "submission"

    submit = SubmitField(_l("Submit update"))


class ReviewForm(VersionedForm):
    PREFIX = "review"

    comment = TextAreaField(
        _l("Comment for the lead"),
        description=_l("Required when you return the update: say what should change."),
        validators=[Length(max=5000, message=_l("At most 5000 characters."))],
    )
    approve = SubmitField(_l("Approve"))
    send_back = SubmitField(_l("Return to the lead"))


class ReminderForm(FlaskForm):
    reminders = BooleanField(_l("Send me reminders before the due date"))
    submit = SubmitField(_l("Save"))
