"""The programme's quarter page: the values of the programme's own indicators for one quarter.

Like the lead's quarter page: one form, saved in one transaction after the versions of every
value it was built on are checked; each write goes through ``record_measurement`` (so a closed
quarter refuses). Computed indicators are shown beside it with their value and rule, not typed.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, StringField
from wtforms.validators import Length, Optional

from tracker.extensions import db
from tracker.fields import DutchNumberField
from tracker.i18n import gettext as _
from tracker.i18n import lazy_gettext as _l
from tracker.i18n import number_format
from tracker.indicators import queries, services, values
from tracker.indicators.forms import PROBLEM_MESSAGES
from tracker.indicators.models import Indicator, Measurement
from tracker.quarters import Quarter


@dataclass
class ProgrammeQuarter:
    entered: list[Indicator]
    measurements: dict[int, Measurement]
    computed: list[Indicator]
    made: dict[int, queries.Computed]


def load(programme_id: int, quarter: Quarter) -> ProgrammeQuarter:
    """The programme's own indicators, their values of ``quarter`` and the computed ones'
    values: four queries at most, whatever the size."""
    indicators = db.session.scalars(
        select(Indicator)
        .where(Indicator.programme_id == programme_id, Indicator.subproject_id.is_(None))
        .order_by(Indicator.name)
    ).all()
    measurements = {
        m.indicator_id: m
        for m in db.session.scalars(
            select(Measurement)
            .join(Indicator, Indicator.id == Measurement.indicator_id)
            .where(
                Indicator.programme_id == programme_id,
                Indicator.subproject_id.is_(None),
                Measurement.period == str(quarter),
            )
        )
    }
    computed = [i for i in indicators if i.computed]
    made = (
        queries.computed(queries.Scope.of_indicators([i.id for i in computed]), quarter)
        if computed
        else {}
    )
    # an indicator counted from events is not typed here: its page shows its counted values
    entered = [i for i in indicators if not i.computed and not i.counted]
    return ProgrammeQuarter(entered, measurements, computed, made)


def value_of(records: ProgrammeQuarter, indicator: Indicator, quarter: Quarter):
    """A computed indicator's value of ``quarter`` and how many sources gave one, or None."""
    rule = records.made.get(indicator.id)
    if rule is None:
        return None
    return next((v for v in rule.values if v.period == str(quarter)), None)


class ProgrammeQuarterBase(FlaskForm):
    indicators: list[Indicator] = []

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for indicator in self.indicators:
            field = self[f"value_{indicator.id}"]
            problem = values.value_problem(field.data, indicator.unit) if field.data else None
            if problem:
                field.errors.append(PROBLEM_MESSAGES[problem])
                valid = False
        return valid


def build_form(records: ProgrammeQuarter, formdata=None) -> ProgrammeQuarterBase:
    """A value, note and version field per indicator whose values are entered."""

    class ProgrammeQuarterForm(ProgrammeQuarterBase):
        pass

    for indicator in records.entered:
        setattr(
            ProgrammeQuarterForm,
            f"value_{indicator.id}",
            DutchNumberField(indicator.name, validators=[Optional()]),
        )
        setattr(
            ProgrammeQuarterForm,
            f"note_{indicator.id}",
            StringField(
                _l("Note"), validators=[Length(max=2000, message=_l("At most 2000 characters."))]
            ),
        )
        setattr(ProgrammeQuarterForm, f"mversion_{indicator.id}", HiddenField())
    ProgrammeQuarterForm.indicators = list(records.entered)
    kwargs = {} if formdata is None else {"formdata": formdata}
    return ProgrammeQuarterForm(data=_initial(records), **kwargs)


def _version(record) -> str:
    return "" if record is None else str(record.version)


def _initial(records: ProgrammeQuarter) -> dict:
    data: dict = {}
    for indicator in records.entered:
        measurement = records.measurements.get(indicator.id)
        data[f"mversion_{indicator.id}"] = _version(measurement)
        if measurement is not None:
            data[f"value_{indicator.id}"] = measurement.value
            data[f"note_{indicator.id}"] = measurement.note
    return data


def stale_values(form: ProgrammeQuarterBase, records: ProgrammeQuarter) -> list[str]:
    """Values changed since the form was opened, as sentences; the form moves to the new
    versions, so saving again overwrites knowingly."""
    stale = []
    for indicator in records.entered:
        measurement = records.measurements.get(indicator.id)
        field = form[f"mversion_{indicator.id}"]
        if field.data != _version(measurement):
            stale.append(
                _(
                    "the value of %(name)s (now %(value)s)",
                    name=indicator.name,
                    value=number_format(measurement.value, 3) if measurement else "–",
                )
            )
            field.data = _version(measurement)
    return stale


def save(form: ProgrammeQuarterBase, records: ProgrammeQuarter, quarter: Quarter, user_id) -> int:
    """Apply the form to the session (the caller commits once, or rolls back); how many values
    changed."""
    changed = 0
    for indicator in records.entered:
        value = form[f"value_{indicator.id}"].data
        if value is None:
            continue
        existing = records.measurements.get(indicator.id)
        note = (form[f"note_{indicator.id}"].data or "").strip()
        if existing is not None and existing.value == value and existing.note == note:
            continue
        services.record_measurement(
            indicator.id,
            quarter,
            value,
            note=note,
            source=existing.source if existing is not None else indicator.source,
            user_id=user_id,
            measurement=existing,
        )
        changed += 1
    return changed
