"""Data is text, never markup: whatever a user typed shows escaped on every page and form.

The finding: an indicator's unit reached the measurement form as HTML, because Flask-Babel's
lazy translation (``_l("In %(unit)s.", unit=...)``) tells markupsafe it is safe already. Every
lazy text is now made by ``tracker.i18n.lazy_gettext``, which escapes when rendered."""

import ast
from pathlib import Path

import pytest
from flask import render_template_string
from sqlalchemy import select
from wtforms import Form, SelectField, StringField

from tracker.extensions import db
from tracker.i18n import lazy_gettext
from tracker.models import (
    Action,
    Indicator,
    Measurement,
    Milestone,
    Organisation,
    Subproject,
    User,
)

TRACKER = Path(__file__).resolve().parent.parent / "tracker"
HOSTILE = "<script>alert(1)</script><i onclick=x>"  # fits the shortest column (unit, 40)


def test_no_module_makes_a_lazy_text_that_renders_unescaped():
    """Only tracker/i18n.py may touch Flask-Babel's lazy strings."""
    offences = []
    for path in sorted(TRACKER.rglob("*.py")):
        if path.name == "i18n.py" and path.parent == TRACKER:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("flask_babel"):
                names = {alias.name for alias in node.names}
                if any(name.startswith("lazy_") for name in names) or node.module.endswith(
                    "speaklater"
                ):
                    offences.append(f"{path.relative_to(TRACKER.parent)}:{node.lineno}")
    assert offences == []


def test_a_lazy_text_with_data_is_escaped_wherever_it_is_rendered(app):
    text = lazy_gettext("In %(unit)s.", unit=HOSTILE)

    class Sample(Form):
        name = StringField(lazy_gettext("Name of %(x)s", x=HOSTILE), description=text)
        kind = SelectField(choices=[("a", lazy_gettext("Kind %(x)s", x=HOSTILE))])

    with app.test_request_context("/"):
        form = Sample()
        html = render_template_string(
            "{{ text }}|{{ form.name.label() }}|{{ form.name.description }}|{{ form.kind() }}"
            "|{{ [text]|join(' ') }}",
            text=text,
            form=form,
        )
    assert "<script>" not in html and "<i " not in html
    assert html.count("&lt;script&gt;") == 5


@pytest.fixture
def hostile_world(app, world):
    """Every kind of name a user types, set to HTML."""
    with app.app_context():
        for model, column in [
            (Indicator, "name"),
            (Indicator, "unit"),
            (Subproject, "name"),
            (Milestone, "title"),
            (Action, "title"),
            (Organisation, "name"),
            (User, "name"),
            (Measurement, "note"),
        ]:
            for record in db.session.scalars(select(model)):
                setattr(record, column, HOSTILE)
        db.session.commit()
        ids = {
            "indicator": db.session.scalar(
                select(Indicator.id).where(Indicator.subproject_id == world["a"]).limit(1)
            ),
            "measurement": db.session.scalar(select(Measurement.id).limit(1)),
            "milestone": db.session.scalar(
                select(Milestone.id).where(Milestone.subproject_id == world["a"]).limit(1)
            ),
            "lead": db.session.scalar(select(User.id).where(User.role == "lead")),
            "organisation": db.session.scalar(select(Organisation.id).limit(1)),
            "municipality": db.session.scalar(select(Organisation.municipality_id).limit(1)),
        }
        db.session.remove()
    return world | ids


PAGES = [
    "/programmes/{programme_id}",
    "/subprojects/{a}",
    "/subprojects/{a}/edit",
    "/subprojects/{a}/organisations/new",
    "/subprojects/{a}/quarter/2026-Q3",
    "/subprojects/{a}/actions/new",
    "/subprojects/{a}/milestones/new",
    "/subprojects/{a}/history",
    "/milestones/{milestone}",
    "/milestones/{milestone}/edit",
    "/indicators/{indicator}",
    "/indicators/{indicator}/history",
    "/indicators/{indicator}/edit",
    "/indicators/{indicator}/measurements/new",
    "/measurements/{measurement}/edit",
    "/dashboard",
    "/history",
    "/users",
    "/users/{lead}/edit",
    "/organisations",
    "/organisations/{organisation}",
    "/organisations/municipalities/{municipality}",
]


@pytest.mark.parametrize("page", PAGES)
def test_html_typed_anywhere_is_shown_as_text_on_every_page(app, login_as, hostile_world, page):
    client = login_as("admin")
    response = client.get(page.format(**hostile_world))
    assert response.status_code == 200, page
    body = response.get_data(as_text=True)
    assert "<script>alert" not in body and "<i onclick" not in body
    assert "&lt;script&gt;alert" in body, "the page shows none of the typed names"
