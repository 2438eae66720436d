"""Forms of the steering group's cycle: the exception report inside the quarter form, the
programme's tolerances, meetings and decisions."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from tracker.editing import VersionedForm
from tracker.fields import ChoiceField, DutchDateField, IdsField
from tracker.i18n import lazy_gettext as _l
from tracker.quarters.display import quarter_text
from tracker.steering import rules
from tracker.steering.status import DecisionStatus, RequestAnswer

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


def _optional_int(value):
    return int(value) if value not in (None, "") else None


class MeetingForm(VersionedForm):
    """A steering-group meeting. *Draft the agenda* fills the agenda from the chosen quarter's
    data without saving, so the manager edits the proposal before saving it."""

    held_on = DutchDateField(
        _l("Date"), validators=[InputRequired(_l("Fill in the date of the meeting."))]
    )
    quarter = ChoiceField(
        _l("Quarter discussed"),
        description=_l("The agenda is drafted from this quarter's data."),
        validators=[InputRequired(_l("Choose the quarter the meeting discusses."))],
    )
    title = StringField(_l("Title"), validators=[DataRequired(_l("Fill in a title.")), *NAME])
    attendees = TextAreaField(
        _l("Attendees"), description=_l("One name per line."), validators=TEXT
    )
    agenda = TextAreaField(
        _l("Agenda"), validators=[Length(max=20000, message=_l("At most 20000 characters."))]
    )
    notes = TextAreaField(
        _l("Minutes"), validators=[Length(max=20000, message=_l("At most 20000 characters."))]
    )
    draft = SubmitField(_l("Draft the agenda from the quarter"))
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, quarters=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.quarter.choices = [(str(q), quarter_text(q)) for q in reversed(quarters)]


class DecisionForm(VersionedForm):
    """A decision of the decision log; it may answer what a lead asked."""

    text = TextAreaField(
        _l("Decision"), validators=[DataRequired(_l("Write down what was decided.")), *TEXT]
    )
    owner = StringField(_l("Owner"), description=_l("Who carries it out."), validators=NAME)
    due_date = DutchDateField(_l("Due date"))
    status = ChoiceField(
        _l("Status"), validators=[DataRequired(_l("Choose a status."))], default="open"
    )
    subproject_ids = IdsField(
        _l("Subprojects concerned"),
        message=_l("Choose subprojects from the list."),
        choices=[],
    )
    request_id = ChoiceField(_l("Answers the request"), coerce=_optional_int)
    answer = ChoiceField(_l("Answer to the request"), coerce=lambda v: v or None)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, subprojects=(), requests=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [(s.value, s.label) for s in DecisionStatus]
        self.subproject_ids.choices = [(s.id, f"{s.code} {s.name}") for s in subprojects]
        self.request_id.choices = [("", _l("(none)"))] + [
            (r["id"], f"{r['code']} {quarter_text(r['quarter'])}: {r['text'][:120]}")
            for r in requests
        ]
        self.answer.choices = [("", "–")] + [(a.value, a.label) for a in RequestAnswer]

    def validate_answer(self, field):
        if self.request_id.data and not field.data:
            raise ValidationError(_l("Choose how the decision answers the request."))
        if field.data and not self.request_id.data:
            raise ValidationError(_l("An answer needs the request it answers."))


class FollowUpForm(FlaskForm):
    """A follow-up action of a decision, created in a subproject as an ordinary action."""

    subproject_id = ChoiceField(
        _l("Subproject"),
        coerce=_optional_int,
        validators=[InputRequired(_l("Choose the subproject that carries it out."))],
    )
    title = StringField(_l("Title"), validators=[DataRequired(_l("Fill in a title.")), *NAME])
    description = TextAreaField(_l("Description"), validators=TEXT)
    start_date = DutchDateField(_l("Start date"), validators=[InputRequired(_l("Fill in a date."))])
    due_date = DutchDateField(_l("Due date"), validators=[InputRequired(_l("Fill in a date."))])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, subprojects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.subproject_id.choices = [("", "–")] + [
            (s.id, f"{s.code} {s.name}") for s in subprojects
        ]

    def validate_due_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The due date cannot be before the start date."))


class AdviceForm(VersionedForm):
    advice = TextAreaField(
        _l("Advice of the programme manager"),
        description=_l("Printed beside the request in the steering pack."),
        validators=TEXT,
    )
    submit = SubmitField(_l("Save"))
