"""The rule that turns attendance and pupils into an indicator's quarterly value."""

from datetime import date

import pytest

from tracker.events.counting import Attendance, Pupils, count


def _came(event_id, day, organisation_id, kind="company"):
    return Attendance(event_id, day, organisation_id, kind)


def test_a_company_at_two_meetings_of_a_quarter_counts_once():
    facts = [
        _came(1, date(2026, 10, 5), 10),
        _came(2, date(2026, 11, 5), 10),
        _came(2, date(2026, 11, 5), 11),
        _came(2, date(2026, 11, 5), 12, kind="school_mbo"),
    ]
    result = count("companies_attending", facts, [])
    assert result["2026-Q4"].value == 2
    assert result["2026-Q4"].event_ids == (1, 2)


def test_organisations_of_every_kind_count_for_the_organisation_rule():
    facts = [_came(1, date(2026, 10, 5), 10), _came(1, date(2026, 10, 5), 12, "school_mbo")]
    assert count("organisations_attending", facts, [])["2026-Q4"].value == 2


def test_quarters_are_counted_apart_and_a_quarter_without_events_has_no_value():
    facts = [_came(1, date(2026, 9, 30), 10), _came(2, date(2026, 10, 1), 10)]
    result = count("companies_attending", facts, [])
    assert set(result) == {"2026-Q3", "2026-Q4"}
    assert "2026-Q2" not in result


def test_an_event_with_only_schools_gives_no_company_value():
    facts = [_came(1, date(2026, 10, 5), 12, "school_vmbo")]
    assert count("companies_attending", facts, []) == {}


def test_pupils_are_added_up_from_guest_lessons_only():
    pupils = [
        Pupils(1, date(2026, 10, 5), "guest_lesson", 25),
        Pupils(1, date(2026, 10, 5), "guest_lesson", 30),
        Pupils(2, date(2026, 11, 5), "open_day", 200),
    ]
    result = count("pupils_reached", [], pupils)
    assert result["2026-Q4"].value == 55
    assert result["2026-Q4"].event_ids == (1,)


def test_an_unknown_rule_is_refused():
    with pytest.raises(ValueError):
        count("everything", [], [])


def test_a_municipality_limits_the_count_to_its_own_organisations():
    urk, almere = 7, 8
    facts = [
        Attendance(1, date(2026, 10, 5), 10, "company", urk),
        Attendance(1, date(2026, 10, 5), 11, "company", almere),
        Attendance(2, date(2026, 11, 5), 12, "company", None),
        Attendance(3, date(2026, 11, 9), 13, "company", urk),
    ]
    result = count("companies_attending", facts, [], municipality_id=urk)
    assert result["2026-Q4"].value == 2
    assert result["2026-Q4"].event_ids == (1, 3)
    assert count("companies_attending", facts, [])["2026-Q4"].value == 4


def test_a_municipality_limits_pupils_to_those_of_its_schools():
    urk, almere = 7, 8
    pupils = [
        Pupils(1, date(2026, 10, 5), "guest_lesson", 25, urk),
        Pupils(1, date(2026, 10, 5), "guest_lesson", 30, almere),
        Pupils(2, date(2026, 11, 5), "guest_lesson", 10, almere),
    ]
    result = count("pupils_reached", [], pupils, municipality_id=urk)
    assert result["2026-Q4"].value == 25
    assert result["2026-Q4"].event_ids == (1,)
    assert count("pupils_reached", [], pupils, municipality_id=99) == {}
