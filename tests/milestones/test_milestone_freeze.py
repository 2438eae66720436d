"""The rules of what a quarter's report freezes of a milestone (tracker/milestones/freeze.py)."""

from datetime import date

from tracker.milestones import freeze
from tracker.quarters import Quarter

Q2, Q3, Q4 = Quarter(2026, 2), Quarter(2026, 3), Quarter(2026, 4)
OPEN = {"forecast_date": None, "at_risk": False, "achieved_on": None, "evidence": ""}


def test_an_open_milestones_outlook_belongs_to_the_quarter_being_reported():
    assert freeze.frozen_fields(None, Q3, {Q3}) == ("forecast_date", "at_risk")
    assert freeze.frozen_fields(None, Q3, {Q2}) == ()
    # achieved after the season's quarter ended: that report still saw it open
    assert freeze.frozen_fields(date(2026, 11, 2), Q3, {Q3}) == ("forecast_date", "at_risk")


def test_an_achievement_belongs_to_the_quarter_it_is_dated_in():
    assert freeze.frozen_fields(date(2026, 8, 1), Q3, {Q3}) == ("achieved_on", "evidence")
    assert freeze.frozen_fields(date(2026, 5, 1), Q3, {Q3}) == ()


def test_a_change_is_refused_only_where_it_alters_an_approved_report():
    assert freeze.approved_change(OPEN, {"forecast_date": date(2026, 12, 1)}, Q3, {Q3}) == (
        "forecast_date",
        Q3,
    )
    assert freeze.approved_change(OPEN, {"forecast_date": None, "at_risk": False}, Q3, {Q3}) is None
    november = {"achieved_on": date(2026, 11, 2), "evidence": "Verslag"}
    assert freeze.approved_change(OPEN, november, Q3, {Q3}) is None
    september = {"achieved_on": date(2026, 9, 20), "evidence": "Verslag"}
    assert freeze.approved_change(OPEN, september, Q3, {Q3}) == ("achieved_on", Q3)


def test_moving_an_achievement_out_of_an_approved_quarter_is_refused():
    achieved = {**OPEN, "achieved_on": date(2026, 9, 20), "evidence": "Verslag"}
    assert freeze.approved_change(achieved, {"achieved_on": date(2026, 10, 2)}, Q3, {Q3}) == (
        "achieved_on",
        Q3,
    )
    assert freeze.approved_change(achieved, {"achieved_on": None}, Q4, {Q3}) == ("achieved_on", Q3)
    assert freeze.approved_change(achieved, {"evidence": "Verslag"}, Q3, {Q3}) is None
