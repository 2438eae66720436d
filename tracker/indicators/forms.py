from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from tracker import timeutil
from tracker.editing import VersionedForm
from tracker.fields import ChoiceField, DutchDateField, DutchNumberField, IdsField
from tracker.i18n import lazy_gettext as _l
from tracker.indicators import freshness, values
from tracker.indicators.models import AGGREGATIONS, DIRECTIONS, FREQUENCIES, ROLLUPS
from tracker.labels import (
    COUNTED_FROM_LABELS,
    DIRECTION_LABELS,
    FREQUENCY_LABELS,
    ROLLUP_LABELS,
    month_name,
)
from tracker.quarters import Quarter

PROBLEM_MESSAGES = {
    values.NOT_A_QUARTER: _l("Enter a quarter such as 2026-Q3."),
    values.FUTURE_QUARTER: _l("This quarter has not begun yet."),
    values.PERCENT_RANGE: _l("A percentage lies between 0 and 100."),
}


def _optional_id(value):
    return int(value) if value not in (None, "", "None") else None


def _number(label):
    return DutchNumberField(label, validators=[InputRequired(_l("Fill in a number."))])


class IndicatorForm(VersionedForm):
    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(_l("Fill in a name.")),
            Length(max=200, message=_l("At most 200 characters.")),
        ],
    )
    unit = StringField(
        _l("Unit"),
        description=_l("For example students, places or %."),
        validators=[
            DataRequired(_l("Fill in a unit.")),
            Length(max=40, message=_l("At most 40 characters.")),
        ],
    )
    definition = TextAreaField(
        _l("Definition"), validators=[Length(max=5000, message=_l("At most 5000 characters."))]
    )
    source = StringField(
        _l("Source"), validators=[Length(max=200, message=_l("At most 200 characters."))]
    )
    direction = ChoiceField(_l("Direction"), choices=[(d, DIRECTION_LABELS[d]) for d in DIRECTIONS])
    baseline_value = _number(_l("Baseline value"))
    baseline_date = DutchDateField(
        _l("Baseline date"), validators=[InputRequired(_l("Fill in a date."))]
    )
    target_value = _number(_l("Target value"))
    target_date = DutchDateField(
        _l("Target date"), validators=[InputRequired(_l("Fill in a date."))]
    )
    frequency = ChoiceField(
        _l("New value expected"),
        description=_l(
            "How often a new value comes. A value is flagged outdated once the next one is "
            "more than %(days)d days late.",
            days=freshness.GRACE_DAYS,
        ),
        choices=[(f, FREQUENCY_LABELS[f]) for f in FREQUENCIES],
        default=freshness.DEFAULT_FREQUENCY,
        validators=[DataRequired(_l("Choose how often a new value is expected."))],
    )
    publication_month = ChoiceField(
        _l("Month the source publishes"),
        description=_l(
            "Only for a value expected once a year: the month its source publishes it, e.g. "
            "April for DUO's intake figures. Enter the value in that month's quarter or later."
        ),
        choices=[],
    )
    rollup = ChoiceField(_l("Roll-up"), choices=[(r, ROLLUP_LABELS[r]) for r in ROLLUPS])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.counted_municipality_id.choices = [("", _l("Every municipality"))] + [
            (m.id, m.name) for m in municipalities
        ]
        self.publication_month.choices = [("", _l("Not yearly"))] + [
            (str(month), month_name(month)) for month in freshness.MONTHS
        ]
        if self.publication_month.data is not None:
            self.publication_month.data = str(self.publication_month.data)

    def validate_publication_month(self, field):
        if self.frequency.data == freshness.YEARLY and not field.data:
            raise ValidationError(_l("Choose the month in which the source publishes."))

    def validate_target_date(self, field):
        if field.data and self.baseline_date.data and field.data <= self.baseline_date.data:
            raise ValidationError(_l("The target date must be after the baseline date."))

    counted_from = ChoiceField(
        _l("Counted from events"),
        description=_l(
            "Leave empty for values entered by hand. A counted indicator gets its value of "
            "each quarter from the events of its subproject (of the programme, for a programme "
            "indicator); nobody types it."
        ),
        choices=[("", _l("Not counted: entered by hand"))] + list(COUNTED_FROM_LABELS.items()),
    )
    counted_municipality_id = ChoiceField(
        _l("Count only in municipality"),
        description=_l(
            "Optional, for a counted indicator: only organisations of this municipality count "
            "(for pupils: only pupils of its schools), e.g. companies reached in Urk."
        ),
        coerce=_optional_id,
        choices=[],
    )

    def validate_counted_municipality_id(self, field):
        if field.data is not None and not self.counted_from.data:
            raise ValidationError(
                _l("Choose how the indicator is counted, or leave the municipality empty.")
            )

    def validate_target_value(self, field):
        if field.data is not None and field.data == self.baseline_value.data:
            raise ValidationError(_l("The target must differ from the baseline."))
        problem = values.value_problem(field.data, self.unit.data or "")
        if field.data is not None and problem:
            raise ValidationError(PROBLEM_MESSAGES[problem])


AGGREGATION_LABELS = {
    "sum": _l("Computed: the sum of the chosen subproject indicators"),
    "mean": _l("Computed: the mean of the chosen subproject indicators"),
    "last": _l("Computed: the value entered last among the chosen subproject indicators"),
}


class ProgrammeIndicatorForm(IndicatorForm):
    """An indicator of the programme itself: entered by hand each quarter, or computed per
    quarter from subproject indicators of the programme."""

    aggregation = ChoiceField(
        _l("Values"),
        description=_l(
            "A computed value is made per quarter from the subproject indicators chosen "
            "below; nobody types it."
        ),
        choices=[("", _l("Entered by hand each quarter"))]
        + [(a, AGGREGATION_LABELS[a]) for a in AGGREGATIONS],
    )
    source_ids = IdsField(
        _l("Computed from"),
        description=_l("Subproject indicators of this programme; choose one or more."),
        message=_l("Choose subproject indicators of this programme from the list."),
        choices=[],
    )

    def __init__(self, *args, sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.source_ids.choices = [
            (i.id, f"{i.subproject.code} · {i.name} ({i.unit})") for i in sources
        ]

    def validate_counted_from(self, field):
        if field.data and self.aggregation.data:
            raise ValidationError(
                _l("An indicator is computed from subproject indicators or counted from events.")
            )

    def validate_source_ids(self, field):
        if self.aggregation.data and not field.data:
            raise ValidationError(_l("Choose the subproject indicators it is computed from."))
        if field.data and not self.aggregation.data:
            raise ValidationError(
                _l("Choose how the value is computed, or leave these indicators unchosen.")
            )


class MeasurementForm(VersionedForm):
    period = StringField(
        _l("Quarter"),
        description=_l("For example 2026-Q3."),
        validators=[DataRequired(_l("Enter a quarter such as 2026-Q3."))],
    )
    value = _number(_l("Value"))
    note = TextAreaField(
        _l("Note"), validators=[Length(max=2000, message=_l("At most 2000 characters."))]
    )
    source = StringField(
        _l("Source"), validators=[Length(max=200, message=_l("At most 200 characters."))]
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, unit: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.value.description = _l("In %(unit)s.", unit=unit)

    def validate_period(self, field):
        quarter, problem = values.period_problem(field.data, Quarter.of(timeutil.today()))
        if problem:
            raise ValidationError(PROBLEM_MESSAGES[problem])
        field.data = str(quarter)

    def validate_value(self, field):
        problem = values.value_problem(field.data, self.unit) if field.data is not None else None
        if problem:
            raise ValidationError(PROBLEM_MESSAGES[problem])


class UploadForm(FlaskForm):
    file = FileField(
        _l("Excel file (.xlsx)"),
        validators=[FileRequired(_l("Choose the filled-in Excel file."))],
    )
    submit = SubmitField(_l("Check the file"))


class ConfirmUploadForm(FlaskForm):
    payload = HiddenField()
    submit = SubmitField(_l("Apply these changes"))
