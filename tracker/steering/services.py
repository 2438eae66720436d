"""Writes of the steering group's cycle (the exception report is written by ``exceptions``)."""

from __future__ import annotations

from tracker.projects.models import Programme


def tolerance_stamp(programme: Programme) -> str:
    """The tolerances a form was opened on: a programme has no version column, so the values
    themselves tell whether someone saved in between."""
    return f"{programme.tolerance_slip_days}:{programme.tolerance_points}"


def set_tolerances(programme: Programme, slip_days: int, points_below: int) -> None:
    programme.tolerance_slip_days = slip_days
    programme.tolerance_points = points_below
