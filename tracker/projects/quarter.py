"""The quarter page: every indicator's value, milestones achieved and the lead's update at once.

Saving it is one transaction. Versions of every record the form was built on are checked first;
then each write goes through its one service function; then one commit. Any refusal or failure
rolls the whole quarter back: nothing is half saved.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from tracker import timeutil
from tracker.extensions import db
from tracker.fields import ChoiceField, DutchDateField, DutchNumberField
from tracker.i18n import gettext as _
from tracker.i18n import lazy_gettext as _l
from tracker.i18n import number_format
from tracker.indicators import services as indicator_services
from tracker.indicators import values
from tracker.indicators.forms import PROBLEM_MESSAGES
from tracker.indicators.models import Indicator, Measurement
from tracker.milestones import services as milestone_services
from tracker.milestones.models import Milestone
from tracker.projects import services
from tracker.projects.models import RAG_VALUES, QuarterlyUpdate, Subproject
from tracker.quarters import Quarter
from tracker.steering import exceptions, rules
from tracker.steering import queries as steering_queries
from tracker.steering.forms import ExceptionFields
from tracker.steering.models import ExceptionReport

RAG_LABELS = {"green": _l("Green"), "amber": _l("Amber"), "red": _l("Red")}
_TEXT = [Length(max=5000, message=_l("At most 5000 characters."))]


class QuarterFormBase(ExceptionFields, FlaskForm):
    rag = ChoiceField(
        _l("RAG status"),
        choices=[("", "–")] + [(r, RAG_LABELS[r]) for r in RAG_VALUES],
        validators=[DataRequired(_l("Choose green, amber or red."))],
    )
    achieved = TextAreaField(_l("Achieved this quarter"), validators=_TEXT)
    next_steps = TextAreaField(_l("Next steps"), validators=_TEXT)
    risks = TextAreaField(_l("Risks"), validators=_TEXT)
    decisions_requested = TextAreaField(
        _l("Decisions asked of the steering group"), validators=_TEXT
    )
    update_version = HiddenField()

    indicators: list[Indicator] = []
    milestones: list[Milestone] = []

    def value(self, indicator: Indicator):
        return self[f"value_{indicator.id}"]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.rag.data in rules.EXCEPTION_RAGS:
            missing = rules.missing_fields(self.exception_data())
            missing = [name for name in missing if not self[name].errors]
            self.require_exception_fields(missing)
            valid = valid and not missing
        for indicator in self.indicators:
            field = self[f"value_{indicator.id}"]
            problem = values.value_problem(field.data, indicator.unit) if field.data else None
            if problem:
                field.errors.append(PROBLEM_MESSAGES[problem])
                valid = False
        today = timeutil.today()
        for milestone in self.milestones:
            if not self[f"done_{milestone.id}"].data:
                continue
            on = self[f"done_on_{milestone.id}"]
            evidence = self[f"evidence_{milestone.id}"]
            if on.data is None and not on.errors:
                on.errors.append(_("Fill in the date it was achieved."))
                valid = False
            elif on.data is not None and on.data > today:
                on.errors.append(_("The achievement date cannot be in the future."))
                valid = False
            if not (evidence.data or "").strip():
                evidence.errors.append(_("Describe the evidence that it was achieved."))
                valid = False
        return valid


def build_form(indicators, milestones, formdata=None, data=None) -> QuarterFormBase:
    """A form class with a value, note and version field per indicator and a tick per milestone."""

    class QuarterForm(QuarterFormBase):
        pass

    for indicator in indicators:
        setattr(
            QuarterForm,
            f"value_{indicator.id}",
            DutchNumberField(indicator.name, validators=[Optional()]),
        )
        setattr(
            QuarterForm,
            f"note_{indicator.id}",
            StringField(
                _l("Note"), validators=[Length(max=2000, message=_l("At most 2000 characters."))]
            ),
        )
        setattr(QuarterForm, f"mversion_{indicator.id}", HiddenField())
    for milestone in milestones:
        setattr(QuarterForm, f"done_{milestone.id}", BooleanField(_l("Achieved")))
        setattr(QuarterForm, f"done_on_{milestone.id}", DutchDateField(_l("Achieved on")))
        setattr(
            QuarterForm, f"evidence_{milestone.id}", StringField(_l("Evidence"), validators=_TEXT)
        )
        setattr(QuarterForm, f"msversion_{milestone.id}", HiddenField())
    QuarterForm.indicators = list(indicators)
    QuarterForm.milestones = list(milestones)
    kwargs = {} if formdata is None else {"formdata": formdata}
    return QuarterForm(data=data or {}, **kwargs)


@dataclass
class QuarterRecords:
    indicators: list[Indicator]  # those whose values are typed here
    counted: list[Indicator]  # those counted from events: shown, never typed
    measurements: dict[int, Measurement]
    open_milestones: list[Milestone]
    update: QuarterlyUpdate | None
    exception: ExceptionReport | None


def load(subproject_id: int, quarter: Quarter) -> QuarterRecords:
    """The records the quarter form is built on: five queries, whatever the size."""
    every_indicator = db.session.scalars(
        select(Indicator)
        .where(Indicator.subproject_id == subproject_id)
        .order_by(Indicator.name)
        .options(selectinload(Indicator.counted_municipality))
    ).all()
    measurements = {
        m.indicator_id: m
        for m in db.session.scalars(
            select(Measurement)
            .join(Indicator, Indicator.id == Measurement.indicator_id)
            .where(Indicator.subproject_id == subproject_id, Measurement.period == str(quarter))
            .options(joinedload(Measurement.entered_by))
        )
    }
    milestones = db.session.scalars(
        select(Milestone)
        .where(Milestone.subproject_id == subproject_id, Milestone.achieved_on.is_(None))
        .order_by(Milestone.planned_date, Milestone.id)
    ).all()
    update = db.session.scalar(
        select(QuarterlyUpdate).where(
            QuarterlyUpdate.subproject_id == subproject_id,
            QuarterlyUpdate.quarter == str(quarter),
        )
    )
    return QuarterRecords(
        [i for i in every_indicator if not i.counted],
        [i for i in every_indicator if i.counted],
        measurements,
        list(milestones),
        update,
        steering_queries.exception_report(subproject_id, quarter),
    )


def _version(record) -> str:
    return "" if record is None else str(record.version)


def initial_data(records: QuarterRecords, quarter: Quarter) -> dict:
    data: dict = {
        "update_version": _version(records.update),
        "exception_version": _version(records.exception),
    }
    if records.update is not None:
        for key in services.UPDATE_FIELDS:
            data[key] = getattr(records.update, key)
    if records.exception is not None:
        for key in rules.REQUIRED_FIELDS:
            data[key] = getattr(records.exception, key)
    for indicator in records.indicators:
        measurement = records.measurements.get(indicator.id)
        data[f"mversion_{indicator.id}"] = _version(measurement)
        if measurement is not None:
            data[f"value_{indicator.id}"] = measurement.value
            data[f"note_{indicator.id}"] = measurement.note
    default_day = min(timeutil.today(), quarter.end)
    for milestone in records.open_milestones:
        data[f"msversion_{milestone.id}"] = _version(milestone)
        data[f"done_on_{milestone.id}"] = default_day
    return data


def stale_records(form: QuarterFormBase, records: QuarterRecords) -> list[str]:
    """What changed since the form was opened, as sentences; the form moves to the new versions."""
    stale = []
    if form.update_version.data != _version(records.update):
        stale.append(_("the quarterly update"))
        form.update_version.data = _version(records.update)
    if form.exception_version.data != _version(records.exception):
        stale.append(_("the exception report"))
        form.exception_version.data = _version(records.exception)
    for indicator in records.indicators:
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
    for milestone in records.open_milestones:
        field = form[f"msversion_{milestone.id}"]
        if field.data != _version(milestone):
            stale.append(_("milestone %(title)s", title=milestone.title))
            field.data = _version(milestone)
    return stale


def save(
    form: QuarterFormBase, records: QuarterRecords, subproject_id: int, quarter: Quarter, user_id
) -> None:
    """Apply the whole form to the session; the caller commits once, or rolls back.

    Raises :class:`~tracker.steering.exceptions.ExceptionReportIncomplete` when the quarter,
    with this form applied, is amber or red and the exception report is not complete.
    """
    # One flush for the whole form (``exceptions.check`` makes it): no write below reads what
    # another one wrote, and a flush per write costs its own lock check and audit queries.
    with db.session.no_autoflush:
        for indicator in records.indicators:
            value = form[f"value_{indicator.id}"].data
            if value is None:
                continue
            existing = records.measurements.get(indicator.id)
            note = form[f"note_{indicator.id}"].data or ""
            if existing is not None and existing.value == value and existing.note == note.strip():
                continue
            indicator_services.record_measurement(
                indicator.id,
                quarter,
                value,
                note=note,
                source=existing.source if existing is not None else "",
                user_id=user_id,
                measurement=existing,
            )
        for milestone in records.open_milestones:
            if form[f"done_{milestone.id}"].data:
                milestone_services.mark_achieved(
                    milestone,
                    form[f"done_on_{milestone.id}"].data,
                    form[f"evidence_{milestone.id}"].data,
                )
        services.save_quarterly_update(
            subproject_id,
            quarter,
            {key: form[key].data or "" for key in services.UPDATE_FIELDS},
            user_id,
        )
        report = form.exception_data()
        exceptions.save(subproject_id, quarter, report, user_id)
    subproject = db.session.get(Subproject, subproject_id)
    exceptions.check(subproject, quarter, form.rag.data, report, timeutil.today())
