"""The register's plain rules: names, websites, email addresses, phone numbers, retention ages."""

from datetime import datetime

import pytest

from tracker.stakeholders import rules


@pytest.fixture(autouse=True)
def _clean_database():
    """Overrides conftest's fixture of the same name: these tests need no app."""
    yield


def test_a_name_is_trimmed_and_its_inner_spaces_made_one():
    assert rules.normalise_name("  ROC   Flevoland ") == "ROC Flevoland"
    assert rules.name_key("ROC  flevoland") == rules.name_key("roc Flevoland ")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("www.rocflevoland.nl", "https://www.rocflevoland.nl"),
        ("http://example.org/stage", "http://example.org/stage"),
        ("", ""),
        ("javascript:alert(1)", None),
        ("javascript://example.org/%0Aalert(1)", None),
        ("ftp://example.org", None),
        ("nodot", None),
        ("www.example .org", None),
        ("[", None),
        ("https://[::1", None),
    ],
)
def test_a_website_is_a_safe_http_link_or_refused(typed, stored):
    assert rules.normalise_website(typed) == stored


def test_email_and_phone():
    assert rules.is_email("a.jansen@example.org")
    assert not rules.is_email("a.jansen@example")
    assert rules.normalise_phone(" 0320  123 456 ") == "0320 123 456"
    assert rules.normalise_phone("+31 6 12345678") == "+31 6 12345678"
    assert rules.normalise_phone("") == ""
    assert rules.normalise_phone("bel maar") is None
    assert rules.normalise_phone("12") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("730d", (730, "d")), ("24m", (24, "m")), (" 2Y ", (2, "y"))],
)
def test_an_age_is_a_number_and_a_unit(text, expected):
    assert rules.parse_age(text) == expected


@pytest.mark.parametrize("text", ["", "24", "m24", "0m", "24 weeks", "-3d", "1.5y"])
def test_a_bad_age_is_refused(text):
    with pytest.raises(rules.BadAge):
        rules.parse_age(text)


def test_the_cutoff_counts_calendar_months_and_days():
    now = datetime(2026, 11, 24, 10, 30)
    assert rules.cutoff(now, "24m") == datetime(2024, 11, 24, 10, 30)
    assert rules.cutoff(now, "2y") == datetime(2024, 11, 24, 10, 30)
    assert rules.cutoff(now, "730d") == datetime(2024, 11, 24, 10, 30)
    assert rules.cutoff(datetime(2026, 3, 31), "1m") == datetime(2026, 2, 28)
    assert rules.cutoff(datetime(2024, 3, 31), "1m") == datetime(2024, 2, 29)
    assert rules.cutoff(datetime(2026, 1, 15), "13m") == datetime(2024, 12, 15)
