"""Property-based tests: arbitrary text, numbers, dates and ids posted to every form and query
parameter. No response may be a 500, a refused request may change no stored record, and
HTML/script typed into a text field is shown escaped.

To cover a new form, add a FormCase to FORMS (and a page to PAGES): the tests below run every
entry. Each test runs FUZZ_EXAMPLES examples (env TRACKER_FUZZ_EXAMPLES, default 50).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import quote

import pytest
from conftest import login
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from sqlalchemy import select

from tracker.extensions import db
from tracker.security import limiter

FUZZ_EXAMPLES = int(os.environ.get("TRACKER_FUZZ_EXAMPLES", "50"))
FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)

# --- Field strategies ------------------------------------------------------------------------

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "';alert(1);//</textarea><b>x</b>",
]
TEXT = st.one_of(
    st.text(max_size=300),
    st.sampled_from(XSS_PAYLOADS),
    st.tuples(st.text(max_size=20), st.sampled_from(XSS_PAYLOADS)).map("".join),
    st.text(min_size=190, max_size=6000),
)
NUMBER = st.one_of(
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(allow_nan=True, places=3).map(str),
    st.sampled_from(["1.234,5", "1,5", "", " ", "1e400", "-0", "٣", "NaN"]),
    st.text(max_size=20),
)
DATE = st.one_of(
    st.dates().map(lambda d: d.strftime("%d-%m-%Y")),
    st.dates().map(date.isoformat),
    st.sampled_from(["31-02-2026", "00-00-0000", "2026-13-01", "", "99999-01-01", "today"]),
    st.text(max_size=20),
)
ID = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["0", "1", "2", "-1", "2147483648", "9223372036854775808", "", "1.5", "x"]),
    st.text(max_size=12),
)


class Current:
    """A value filled in at request time, e.g. a record's current version, so that the
    strategies can also draw requests that should succeed."""

    def __init__(self, resolve: Callable[[dict], str]):
        self.resolve = resolve


def _subproject_version(key: str) -> Current:
    from tracker.models import Subproject

    return Current(lambda world: str(db.session.get(Subproject, world[key]).version))


# --- What to fuzz ------------------------------------------------------------------------------


@dataclass
class FormCase:
    id: str
    path: Callable[[dict], str]
    role: str | None  # logged in as; None: anonymous
    fields: dict[str, st.SearchStrategy]
    writes: bool = True  # may change stored records when accepted
    always_refused: bool = False  # this role may never make this change
    shown_on: Callable[[dict], list[str]] = field(default=lambda world: [])


FORMS = [
    FormCase(
        "login",
        lambda w: "/login",
        None,
        {"email": st.one_of(TEXT, st.emails()), "password": TEXT},
        writes=False,
    ),
    FormCase("language", lambda w: "/language/en", None, {"next": TEXT}, writes=False),
    FormCase("language-code", lambda w: "/language/xx", "lead", {"next": TEXT}, writes=False),
    FormCase(
        "edit-subproject-as-lead",
        lambda w: f"/subprojects/{w['a']}/edit",
        "lead",
        {
            "name": TEXT,
            "aim": TEXT,
            "version": st.one_of(st.just(_subproject_version("a")), ID),
        },
        shown_on=lambda w: [f"/subprojects/{w['a']}", f"/programmes/{w['programme_id']}"],
    ),
    FormCase(
        "edit-other-subproject-as-lead",
        lambda w: f"/subprojects/{w['b']}/edit",
        "lead",
        {"name": TEXT, "aim": TEXT, "version": st.just(_subproject_version("b"))},
        always_refused=True,
    ),
    FormCase(
        "edit-subproject-as-steering",
        lambda w: f"/subprojects/{w['a']}/edit",
        "steering",
        {"name": TEXT, "aim": TEXT, "version": st.just(_subproject_version("a"))},
        always_refused=True,
    ),
]

# Pages whose path ids and query parameters are fuzzed: (path with {} for an id, role).
PAGES = [
    ("/programmes/{}", "steering"),
    ("/subprojects/{}", "steering"),
    ("/subprojects/{}/edit", "manager"),
    ("/login", None),
    ("/users", "admin"),
]


# --- Helpers -----------------------------------------------------------------------------------


def _snapshot(app) -> dict[str, list]:
    with app.app_context():
        db.session.remove()
        result = {
            table.name: sorted(map(repr, db.session.execute(select(table)).all()))
            for table in db.metadata.sorted_tables
        }
        db.session.remove()
    return result


def _client(app, world, role):
    client = app.test_client()
    if role:
        assert login(client, world["users"][role]).status_code == 302
    return client


def _resolve(app, world, data: dict) -> dict:
    with app.app_context():
        resolved = {k: v.resolve(world) if isinstance(v, Current) else v for k, v in data.items()}
        db.session.remove()
    return resolved


def _assert_escaped(body: str, sent: dict) -> None:
    for value in sent.values():
        for payload in XSS_PAYLOADS:
            if payload in value:
                assert payload not in body, f"unescaped {payload!r}"


# --- Tests -------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", FORMS, ids=lambda c: c.id)
def test_forms_survive_arbitrary_input(app, world, case):
    client = _client(app, world, case.role)
    path = case.path(world)
    accepted = examples = 0

    @FUZZ
    @given(data=st.fixed_dictionaries(case.fields))
    def run(data):
        nonlocal accepted, examples
        examples += 1
        limiter.reset()
        sent = _resolve(app, world, data)
        before = _snapshot(app)
        response = client.post(path, data=sent)
        body = response.get_data(as_text=True)
        assert response.status_code < 500, body[:2000]
        after = _snapshot(app)
        refused = response.status_code >= 400
        if refused or not case.writes:
            assert after == before, "a refused request changed stored data"
        if case.always_refused:
            assert response.status_code in (400, 403)
        _assert_escaped(body, sent)
        if not refused and case.writes and after != before:
            accepted += 1
            for page in case.shown_on(world):
                shown = client.get(page)
                assert shown.status_code == 200
                text = shown.get_data(as_text=True)
                _assert_escaped(text, sent)
                if "name" in sent:
                    assert str(escape(sent["name"].strip())) in text

    run()
    assert examples >= FUZZ_EXAMPLES
    if case.id == "edit-subproject-as-lead":
        assert accepted > 0, "no example was accepted: the strategies miss the happy path"


@pytest.mark.parametrize("template,role", PAGES)
def test_path_ids_and_query_parameters_never_give_500(app, world, template, role):
    client = _client(app, world, role)
    examples = 0

    @FUZZ
    @given(
        id_=ID,
        params=st.dictionaries(
            st.one_of(st.sampled_from(["next", "quarter", "municipality", "page", "id"]), TEXT),
            st.one_of(TEXT, NUMBER, DATE, ID),
            max_size=4,
        ),
    )
    def run(id_, params):
        nonlocal examples
        examples += 1
        before = _snapshot(app)
        path = template.format(quote(id_, safe="")) if "{}" in template else template
        response = client.get(path, query_string=params)
        assert response.status_code < 500, (path, params)
        assert response.status_code in (200, 302, 400, 403, 404), response.status_code
        _assert_escaped(response.get_data(as_text=True), params)
        assert _snapshot(app) == before

    run()
    assert examples >= FUZZ_EXAMPLES
