"""A quarter in a URL is parsed by one converter: every route that takes one answers a bad or
unsupported quarter with a 404 that says what is wrong, never a 500."""

import re

import pytest

from tracker.quarters import Quarter
from tracker.quarters.urls import QuarterConverter

BAD = {
    "1900-Q1": "buiten de jaren",
    "2100-Q1": "buiten de jaren",
    "9999-Q4": "buiten de jaren",
    "0000-Q1": "buiten de jaren",
    "2026-Q5": "is geen kwartaal",
    "Q3-2026": "is geen kwartaal",
    "2026": "is geen kwartaal",
}


def _quarter_rules(app):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if any(isinstance(c, QuarterConverter) for c in rule._converters.values())
    ]


def test_every_quarter_in_a_url_goes_through_the_converter(app):
    rules = {rule.endpoint for rule in _quarter_rules(app)}
    assert {
        "projects.quarter_page",
        "indicators.excel_template",
        "indicators.excel_upload",
        "indicators.excel_apply",
        "reports.programme_pdf",
        "reports.subproject_pdf",
        "reports.close",
        "reports.reopen",
        "reports.withdrawn_pdf",
        "reports.programme_export",
        "reports.subproject_export",
        "events.adjust_count",
        "events.remove_adjustment",
    } <= rules
    hand_written = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if re.search(r"<(string:)?\w*quarter\w*>", rule.rule)
    ]
    assert hand_written == []


def _path(rule, world, quarter: str) -> str:
    values = {
        "programme_id": world["programme_id"],
        "subproject_id": world["a"],
        "indicator_id": 1,  # the quarter is refused before any record is looked up
        "quarter": "QUARTER",
        "report_version": 1,
        "fmt": "xlsx",
    }
    path = rule.rule
    for name in rule.arguments:
        path = re.sub(rf"<[^>]*\b{name}>", str(values[name]), path)
    return path.replace("QUARTER", quarter)


@pytest.mark.parametrize("quarter", sorted(BAD))
def test_a_bad_or_unsupported_quarter_is_a_404_that_says_why(app, login_as, world, quarter):
    client = login_as("admin")
    for rule in _quarter_rules(app):
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(_path(rule, world, quarter), method=method)
        assert response.status_code == 404, (rule.rule, response.status_code)
        assert BAD[quarter] in response.get_data(as_text=True), rule.rule


def test_a_quarter_converts_both_ways(app):
    converter = QuarterConverter(app.url_map)
    assert converter.to_python("2026-q3") == Quarter(2026, 3)
    assert converter.to_url(Quarter(2026, 3)) == "2026-Q3"
    with app.test_request_context():
        from flask import url_for

        assert url_for("projects.quarter_page", subproject_id=1, quarter=Quarter(2026, 3)).endswith(
            "/subprojects/1/quarter/2026-Q3"
        )
