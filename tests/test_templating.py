"""The app's Jinja environment reads a dict row's fields at once (tracker/templating.py); a
template must read exactly what Flask's own environment reads."""

from __future__ import annotations

from collections import OrderedDict, defaultdict

import pytest
from flask import Flask
from jinja2 import UndefinedError

from tracker.templating import Environment

EXPRESSIONS = [
    "{{ row.title }}",
    "{{ row.missing }}",
    "{{ row.missing is defined }}",
    "{{ row.missing|default('–') }}",
    "{{ row.none is none }}",
    "{{ row.items is string }}",
    "{% for key, value in row.items() %}{{ key }}={{ value }};{% endfor %}",
    "{{ row.get('title') }}",
    "{{ row.values is callable }}",
    "{{ row.nested.inner }}",
    "{{ row.nested.missing is defined }}",
    "{{ row['title'] }}",
    "{{ row.__class__.__name__ }}",
]

ROWS = {
    "dict": {"title": "<b>x</b>", "none": None, "items": "shadowed", "nested": {"inner": 1}},
    "dict with a values key": {"values": [1, 2], "title": "t", "nested": {}},
    "ordered dict": OrderedDict(title="t", items="shadowed", nested={"inner": 2}),
    "default dict": defaultdict(str, title="t", nested={"inner": 3}),
    "object": type("Row", (), {"title": "t", "none": None, "nested": {"inner": 4}})(),
    "empty": {},
}


def environments():
    plain, ours = Flask("plain"), Flask("ours")
    ours.jinja_environment = Environment
    return plain.jinja_env, ours.jinja_env


def rendered(environment, expression, row):
    try:
        return environment.from_string(expression).render(row=row)
    except UndefinedError as error:
        return f"UndefinedError: {error}"


@pytest.mark.parametrize("kind", sorted(ROWS))
def test_a_template_reads_what_flasks_environment_reads(kind):
    plain, ours = environments()
    assert type(ours) is Environment
    for expression in EXPRESSIONS:
        expected = rendered(plain, expression, ROWS[kind])
        assert rendered(ours, expression, ROWS[kind]) == expected, expression


def test_a_missing_field_of_a_missing_field_is_an_error_as_before():
    plain, ours = environments()
    assert rendered(ours, "{{ row.missing.deeper }}", {}).startswith("UndefinedError")
    assert rendered(ours, "{{ row.missing.deeper }}", {}) == rendered(
        plain, "{{ row.missing.deeper }}", {}
    )


def test_the_app_uses_it(app):
    assert type(app.jinja_env) is Environment


def test_every_template_is_compiled_before_the_first_request(app):
    """wsgi.py compiles them when a worker starts: the first page after a release then costs
    what any page costs. A template that does not compile stops the start, not a user."""
    from tracker.templating import compile_templates

    compiled = compile_templates(app)
    names = app.jinja_env.list_templates(extensions=("html", "txt"))
    assert compiled == len(names) > 90
    assert "mail/reminder.txt" in names and "reports/dashboard.html" in names
