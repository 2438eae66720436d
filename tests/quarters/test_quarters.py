"""Calendar quarters: parsing, membership, boundaries, stepping across years, leap years."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.quarters import InvalidQuarter, Quarter, quarter_range


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-Q1", Quarter(2026, 1)),
        ("2026-Q3", Quarter(2026, 3)),
        ("2026-Q4", Quarter(2026, 4)),
        ("2026-q3", Quarter(2026, 3)),
        ("  2026-Q2  ", Quarter(2026, 2)),
        ("1900-Q1", Quarter(1900, 1)),
        ("2999-Q4", Quarter(2999, 4)),
    ],
)
def test_parse_valid(text, expected):
    assert Quarter.parse(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2026-Q5",
        "2026-Q0",
        "2026Q1",
        "2026-1",
        "2026 Q1",
        "26-Q1",
        "20260-Q1",
        "Q1-2026",
        "2026-Q1x",
        "2026-Q12",
        "",
        "   ",
        None,
        "1899-Q4",
        "3000-Q1",
    ],
)
def test_parse_invalid(text):
    with pytest.raises(InvalidQuarter):
        Quarter.parse(text)


def test_invalid_quarter_is_a_value_error():
    with pytest.raises(ValueError, match="2026-Q5"):
        Quarter.parse("2026-Q5")


@pytest.mark.parametrize(
    ("year", "number"), [(2026, 0), (2026, 5), (2026, -1), (1899, 1), (3000, 1)]
)
def test_constructor_rejects_out_of_range(year, number):
    with pytest.raises(InvalidQuarter):
        Quarter(year, number)


@pytest.mark.parametrize(
    ("quarter", "text"),
    [(Quarter(2026, 3), "2026-Q3"), (Quarter(1999, 1), "1999-Q1"), (Quarter(2024, 4), "2024-Q4")],
)
def test_str_round_trips_through_parse(quarter, text):
    assert str(quarter) == text
    assert Quarter.parse(str(quarter)) == quarter


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 1), Quarter(2026, 1)),
        (date(2026, 3, 31), Quarter(2026, 1)),
        (date(2026, 4, 1), Quarter(2026, 2)),
        (date(2026, 6, 30), Quarter(2026, 2)),
        (date(2026, 7, 1), Quarter(2026, 3)),
        (date(2026, 9, 30), Quarter(2026, 3)),
        (date(2026, 10, 1), Quarter(2026, 4)),
        (date(2026, 12, 31), Quarter(2026, 4)),
        (date(2024, 2, 29), Quarter(2024, 1)),
    ],
)
def test_of(day, expected):
    assert Quarter.of(day) == expected


@pytest.mark.parametrize(
    ("quarter", "start", "end"),
    [
        (Quarter(2026, 1), date(2026, 1, 1), date(2026, 3, 31)),
        (Quarter(2026, 2), date(2026, 4, 1), date(2026, 6, 30)),
        (Quarter(2026, 3), date(2026, 7, 1), date(2026, 9, 30)),
        (Quarter(2026, 4), date(2026, 10, 1), date(2026, 12, 31)),
        (Quarter(2024, 1), date(2024, 1, 1), date(2024, 3, 31)),
        (Quarter(2999, 3), date(2999, 7, 1), date(2999, 9, 30)),
    ],
)
def test_start_and_end(quarter, start, end):
    assert quarter.start == start
    assert quarter.end == end


def test_end_of_last_quarter_of_final_year_is_out_of_range():
    # end is computed from next(), which would be 3000-Q1 and is rejected.
    with pytest.raises(InvalidQuarter):
        Quarter(2999, 4).next()


def test_quarter_boundary_31_march_vs_1_april():
    q1, q2 = Quarter(2026, 1), Quarter(2026, 2)
    assert q1.contains(date(2026, 3, 31)) is True
    assert q1.contains(date(2026, 4, 1)) is False
    assert q2.contains(date(2026, 3, 31)) is False
    assert q2.contains(date(2026, 4, 1)) is True
    assert q1.end == date(2026, 3, 31)
    assert q2.start == date(2026, 4, 1)


def test_leap_year_q1():
    q = Quarter(2024, 1)
    assert q.end == date(2024, 3, 31)
    assert q.contains(date(2024, 2, 29)) is True
    assert (q.end - q.start).days + 1 == 91  # 31 + 29 + 31
    assert (Quarter(2025, 1).end - Quarter(2025, 1).start).days + 1 == 90


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        (date(2026, 6, 30), False),
        (date(2026, 7, 1), True),
        (date(2026, 8, 15), True),
        (date(2026, 9, 30), True),
        (date(2026, 10, 1), False),
        (date(2025, 8, 15), False),
    ],
)
def test_contains(day, inside):
    assert Quarter(2026, 3).contains(day) is inside


@pytest.mark.parametrize(
    ("quarter", "following"),
    [
        (Quarter(2026, 1), Quarter(2026, 2)),
        (Quarter(2026, 2), Quarter(2026, 3)),
        (Quarter(2026, 3), Quarter(2026, 4)),
        (Quarter(2026, 4), Quarter(2027, 1)),
        (Quarter(1999, 4), Quarter(2000, 1)),
    ],
)
def test_next_and_previous(quarter, following):
    assert quarter.next() == following
    assert following.previous() == quarter


def test_previous_across_year():
    assert Quarter(2026, 1).previous() == Quarter(2025, 4)


def test_previous_of_first_allowed_quarter_is_out_of_range():
    with pytest.raises(InvalidQuarter):
        Quarter(1900, 1).previous()


def test_ordering():
    assert Quarter(2025, 4) < Quarter(2026, 1) < Quarter(2026, 2)
    assert Quarter(2026, 3) > Quarter(2025, 4)
    assert sorted([Quarter(2026, 2), Quarter(2025, 4), Quarter(2026, 1)]) == [
        Quarter(2025, 4),
        Quarter(2026, 1),
        Quarter(2026, 2),
    ]


def test_frozen_and_hashable():
    q = Quarter(2026, 3)
    assert {q, Quarter.parse("2026-Q3")} == {q}
    with pytest.raises(AttributeError):
        q.number = 4  # type: ignore[misc]


def test_quarter_range_across_years():
    assert quarter_range(Quarter(2025, 3), Quarter(2026, 2)) == [
        Quarter(2025, 3),
        Quarter(2025, 4),
        Quarter(2026, 1),
        Quarter(2026, 2),
    ]


def test_quarter_range_single_and_empty():
    assert quarter_range(Quarter(2026, 3), Quarter(2026, 3)) == [Quarter(2026, 3)]
    assert quarter_range(Quarter(2026, 3), Quarter(2026, 2)) == []
