"""Forms of the steering group's cycle: the exception report inside the quarter form, the
programme's tolerances, meetings and decisions."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange

from tracker.fields import DutchDateField
from tracker.i18n import lazy_gettext as _l
from tracker.steering import rules

TEXT = [Length(max=5000, message=_l("At most 5000 characters."))]
NAME = [Length(max=200, message=_l("At most 200 characters."))]


class ExceptionFields:
    """The exception report's fields, worn by the quarter form. Required when the quarter is
    amber or red (``tracker.steering.rules.needs_exception_report``), checked by the quarter."""

    cause = TextAreaField(_l("Cause"), validators=TEXT)
    consequence_time = TextAreaField(_l("Consequence for time"), validators=TEXT)
    consequence_result = TextAreaField(_l("Consequence for the result"), validators=TEXT)
    consequence_money = TextAreaField(_l("Consequence for money"), validators=TEXT)
    measure = TextAreaField(_l("Corrective measure"), validators=TEXT)
    measure_owner = StringField(_l("Owner of the measure"), validators=NAME)
    measure_due = DutchDateField(_l("Measure ready by"))
    exception_version = HiddenField()

    def exception_data(self) -> dict:
        return {name: self[name].data for name in rules.REQUIRED_FIELDS}

    def require_exception_fields(self, missing: list[str]) -> None:
        for name in missing:
            self[name].errors.append(MISSING_MESSAGES[name])


MISSING_MESSAGES = {
    "cause": _l("Describe the cause of the deviation."),
    "consequence_time": _l("Describe the consequence for time (write 'none' if there is none)."),
    "consequence_result": _l(
        "Describe the consequence for the result (write 'none' if there is none)."
    ),
    "consequence_money": _l("Describe the consequence for money (write 'none' if there is none)."),
    "measure": _l("Describe the corrective measure."),
    "measure_owner": _l("Name who carries out the measure."),
    "measure_due": _l("Fill in the date by which the measure is carried out."),
}


class ToleranceForm(FlaskForm):
    """The programme's tolerances. No version column on a programme: the values the form was
    opened on travel along and are compared before saving."""

    tolerance_slip_days = IntegerField(
        _l("Days a milestone may slip"),
        validators=[
            InputRequired(_l("Fill in a whole number of days.")),
            NumberRange(0, rules.MAX_SLIP_DAYS, _l("Between 0 and 365 days.")),
        ],
    )
    tolerance_points = IntegerField(
        _l("Percentage points an indicator may lag its trajectory"),
        validators=[
            InputRequired(_l("Fill in a whole number of points.")),
            NumberRange(0, rules.MAX_POINTS_BELOW, _l("Between 0 and 100 points.")),
        ],
    )
    opened_on = HiddenField()
