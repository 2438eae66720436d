"""``status_badge`` is made in Python and kept per status and language (tracker/labels.py); it
must give the HTML the template macro it replaced gave, for every kind, code and language."""

from __future__ import annotations

import pytest
from flask import render_template_string, session
from flask_babel import force_locale

from tracker.labels import STATUS_KINDS

# The macro as it stood in macros.html before the badge was kept per language.
TEMPLATE_MACRO = """{%- macro badge(code, kind=None) -%}
{%- set status = status_of(code, kind) if kind else any_status(code) -%}
<span class="badge {{ status.css_class }}"><span aria-hidden="true">{{ status.symbol }}</span> \
{{ status.label }}</span>
{%- endmacro -%}{{ badge(code, kind) }}"""

IMPORTED = '{% from "macros.html" import status_badge %}{{ status_badge(code, kind) }}'
WITH_CONTEXT = (
    '{% from "macros.html" import status_badge with context %}{{ status_badge(code, kind) }}'
)

CASES = [
    (kind, code)
    for kind, enum in STATUS_KINDS.items()
    for code in [*(member.value for member in enum), None, float("nan"), "bogus", "<b>"]
] + [(None, code) for code in ("on_track", "achieved", "red", "none", None, "bogus")]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_badge_is_the_html_of_the_macro_it_replaced(app, language):
    with app.test_request_context("/"):
        session["lang"] = language
        for kind, code in CASES:
            expected = render_template_string(TEMPLATE_MACRO, code=code, kind=kind)
            assert render_template_string(IMPORTED, code=code, kind=kind) == expected
            assert render_template_string(WITH_CONTEXT, code=code, kind=kind) == expected


def test_a_kept_badge_follows_the_language(app):
    with app.test_request_context("/"):
        session["lang"] = "en"
        assert "At risk" in render_template_string(IMPORTED, code="at_risk", kind="milestone")
        with force_locale("nl"):
            assert "Risico" in render_template_string(IMPORTED, code="at_risk", kind="milestone")
        assert "At risk" in render_template_string(IMPORTED, code="at_risk", kind="milestone")


def test_free_text_inside_our_sentence_loses_its_own_full_stop():
    from tracker.labels import clause

    assert clause("Eén bedrijf tekende niet. ") == "Eén bedrijf tekende niet"
    assert clause("Zie bijlage ...") == "Zie bijlage"
    assert clause("Waarom? Daarom!") == "Waarom? Daarom!"
    assert clause(None) == ""


def test_an_adjusted_count_reads_as_one_sentence(app):
    from datetime import datetime

    from tracker.labels import count_adjusted

    with app.test_request_context("/"):
        text = count_adjusted(
            8, 7, "Eén bedrijf tekende niet.", "Programmaregisseur", datetime(2026, 8, 30, 15)
        )
    assert "reden: Eén bedrijf tekende niet, door Programmaregisseur, op 30-08-2026" in text
