"""Which parts of a milestone a quarter's report has frozen, apart from Flask and the database.

A milestone's status fields are what a quarterly update reports about it. Its achievement (date
and evidence) belongs to the quarter it is dated in, as the closed-quarter lock has it. Its
forecast date and at-risk flag keep no history, so what they say now is what the report of the
quarter being collected (the season's quarter) shows, for as long as the milestone was still
open at that quarter's end. Once the programme manager approves a quarter's update, its lead may
no longer change what it reported; the title, description and planned date (whose moves are
kept with their date) stay free.
"""

from __future__ import annotations

from datetime import date

from tracker.quarters import Quarter

ACHIEVEMENT_FIELDS = ("achieved_on", "evidence")
OUTLOOK_FIELDS = ("forecast_date", "at_risk")
STATUS_FIELDS = (*OUTLOOK_FIELDS, *ACHIEVEMENT_FIELDS)


def achievement_quarter(achieved_on: date | None) -> Quarter | None:
    return Quarter.of(achieved_on) if achieved_on else None


def reporting_quarter(field: str, achieved_on: date | None, season: Quarter) -> Quarter | None:
    """The quarter whose update reports ``field`` of a milestone achieved on ``achieved_on``
    (None while open); None when no quarter's update holds it."""
    if field in ACHIEVEMENT_FIELDS:
        return achievement_quarter(achieved_on)
    if achieved_on is None or achieved_on > season.end:
        return season
    return None


def frozen_fields(achieved_on: date | None, season: Quarter, approved: set[Quarter]) -> tuple:
    """The status fields of a milestone that an approved update has reported."""
    return tuple(
        field
        for field in STATUS_FIELDS
        if reporting_quarter(field, achieved_on, season) in approved
    )


def approved_change(
    before: dict, after: dict, season: Quarter, approved: set[Quarter]
) -> tuple[str, Quarter] | None:
    """The first status field whose change from ``before`` to ``after`` would alter the report
    of an approved quarter, with that quarter; None when the change alters none. A field
    missing from ``after`` is not changed; a moved achievement alters both the quarter it
    leaves and the one it enters."""
    achieved = {before["achieved_on"], after.get("achieved_on", before["achieved_on"])}
    for field in STATUS_FIELDS:
        if field not in after or after[field] == before[field]:
            continue
        for achieved_on in sorted(achieved, key=lambda day: day or date.min):
            quarter = reporting_quarter(field, achieved_on, season)
            if quarter in approved:
                return field, quarter
    return None
