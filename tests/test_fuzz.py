"""Property-based tests: arbitrary text, numbers, dates and ids posted to every form and query
parameter. No response may be a 500, a refused request may change no stored record, and
HTML/script typed into a text field is shown escaped.

To cover a new form, add a FormCase to FORMS (and a page to PAGES): the tests below run every
entry. Each test runs FUZZ_EXAMPLES examples (env TRACKER_FUZZ_EXAMPLES, default 25; slow
pages such as PDFs fewer). A form with a known-good example (``valid``) also draws that example
with one field fuzzed at a time, so the strategies reach the rules behind the first validator.
The suite runs twice in CI (SQLite and PostgreSQL): keep the counts modest.
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
from sqlalchemy import delete, select

from tracker.auth.models import LoginThrottle
from tracker.extensions import db

FUZZ_EXAMPLES = int(os.environ.get("TRACKER_FUZZ_EXAMPLES", "25"))


def fuzz(examples: int = FUZZ_EXAMPLES):
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.filter_too_much,
        ],
        database=None,
    )


FUZZ = fuzz()

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


QUARTER = st.one_of(
    st.sampled_from(["2026-Q4", "2026-Q3", "2025-Q1", "2026-q4", " 2026-Q3 ", "2027-Q1"]),
    st.sampled_from(["2026-Q5", "2026-Q0", "0000-Q1", "9999-Q4", "2026Q3", "Q3-2026", ""]),
    st.tuples(st.integers(-(2**40), 2**40), st.integers(-3, 9)).map(lambda t: f"{t[0]}-Q{t[1]}"),
    st.text(max_size=30),
)
TICK = st.one_of(st.sampled_from(["y", "on", "1", "", "false", "0"]), st.text(max_size=8))


def choice(values) -> st.SearchStrategy:
    """A valid option most of the time, anything else sometimes."""
    return st.one_of(st.sampled_from(list(values)), TEXT)


class Current:
    """A value filled in at request time, e.g. a record's current version, so that the
    strategies can also draw requests that should succeed."""

    def __init__(self, resolve: Callable[[dict], str]):
        self.resolve = resolve


def _version(model_name: str, key: str) -> Current:
    import tracker.models

    def resolve(world):
        record = db.session.get(getattr(tracker.models, model_name), world[key])
        return "" if record is None else str(record.version)

    return Current(resolve)


def _adjusted_version() -> Current:
    """The version of the counted indicator's value of 2026-Q4, once there is one."""
    from tracker.models import Measurement

    def resolve(world):
        version = db.session.scalar(
            select(Measurement.version).where(
                Measurement.indicator_id == world["counted"], Measurement.period == "2026-Q4"
            )
        )
        return "" if version is None else str(version)

    return Current(resolve)


def _subproject_version(key: str) -> Current:
    return _version("Subproject", key)


def _version_or(model_name: str, key: str) -> st.SearchStrategy:
    return st.one_of(st.just(_version(model_name, key)), ID)


# --- What to fuzz ------------------------------------------------------------------------------


@dataclass
class FormCase:
    id: str
    path: Callable[[dict], str]
    role: str | None  # logged in as; None: anonymous
    # name -> strategy; or a function of the world when field names hold record ids
    fields: dict[str, st.SearchStrategy] | Callable[[dict], dict[str, st.SearchStrategy]]
    writes: bool = True  # may change stored records when accepted
    always_refused: bool = False  # this role may never make this change
    shown_on: Callable[[dict], list[str]] = field(default=lambda world: [])
    valid: Callable[[dict], dict] | None = None  # a known-good example, fuzzed field by field
    must_accept: bool = False  # some example must be accepted (the happy path is reachable)


def _subproject_pages(w):
    return [f"/subprojects/{w['a']}", f"/programmes/{w['programme_id']}"]


ACTION_FIELDS = {
    "title": TEXT,
    "description": TEXT,
    "owner_id": ID,
    "start_date": DATE,
    "due_date": DATE,
    "state": choice(["planned", "running", "done", "cancelled"]),
    "progress": NUMBER,
    "from_event_id": ID,
}
ACTION_VALID = {
    "title": "Bedrijfsbezoek",
    "start_date": "01-01-2026",
    "due_date": "31-12-2026",
    "state": "running",
    "progress": "40",
}
MILESTONE_FIELDS = {
    "title": TEXT,
    "description": TEXT,
    "action_id": ID,
    "planned_date": DATE,
    "reason": TEXT,
    "forecast_date": DATE,
    "at_risk": TICK,
    "achieved_on": DATE,
    "evidence": TEXT,
}
# Moves the planned date (so needs the reason) and marks it achieved.
MILESTONE_VALID = {
    "title": "Eerste cohort gestart",
    "planned_date": "15-11-2026",
    "reason": "Later begonnen <b>door</b> de aanbesteding",
    "achieved_on": "20-11-2026",
    "evidence": "Presentielijst",
}
INDICATOR_FIELDS = {
    "name": TEXT,
    "unit": TEXT,
    "definition": TEXT,
    "source": TEXT,
    "direction": choice(["up", "down"]),
    "baseline_value": NUMBER,
    "baseline_date": DATE,
    "target_value": NUMBER,
    "target_date": DATE,
    "frequency": choice(["quarterly", "half_yearly", "yearly"]),
    "publication_month": choice(["", "1", "4", "12"]),
    "rollup": choice(["sum", "mean", "last"]),
}
INDICATOR_VALID = {
    "name": "Stages",
    "unit": "plaatsen",
    "direction": "up",
    "baseline_value": "0",
    "baseline_date": "01-01-2026",
    "target_value": "50",
    "target_date": "31-12-2027",
    "frequency": "quarterly",
    "rollup": "sum",
}
MEASUREMENT_FIELDS = {"period": QUARTER, "value": NUMBER, "note": TEXT, "source": TEXT}
USER_FIELDS = {
    "name": TEXT,
    "role": choice(["admin", "manager", "steering", "lead"]),
    "active": TICK,
    "led_subprojects": ID,
}
PASSWORDS = st.one_of(TEXT, st.just("een-lang-wachtwoord"))


def _quarter_fields(w) -> dict[str, st.SearchStrategy]:
    fields = {
        "rag": choice(["green", "amber", "red"]),
        "achieved": TEXT,
        "next_steps": TEXT,
        "risks": TEXT,
        "decisions_requested": TEXT,
        "update_version": st.one_of(st.just(""), ID),
    }
    for key in ("a1", "a2"):
        i = w[key]
        fields[f"value_{i}"] = NUMBER
        fields[f"note_{i}"] = TEXT
        fields[f"mversion_{i}"] = st.one_of(st.just(_quarter_measurement_version(key)), ID)
    m = w["open_milestone"]
    fields[f"done_{m}"] = TICK
    fields[f"done_on_{m}"] = DATE
    fields[f"evidence_{m}"] = TEXT
    fields[f"msversion_{m}"] = _version_or("Milestone", "open_milestone")
    for name in ("cause", "consequence_time", "consequence_result", "consequence_money"):
        fields[name] = TEXT
    fields["measure"] = TEXT
    fields["measure_owner"] = TEXT
    fields["measure_due"] = DATE
    fields["exception_version"] = st.one_of(st.just(""), ID)
    return fields


def _quarter_measurement_version(key: str) -> Current:
    from tracker.models import Measurement

    def resolve(world):
        version = db.session.scalar(
            select(Measurement.version).where(
                Measurement.indicator_id == world[key], Measurement.period == "2026-Q4"
            )
        )
        return "" if version is None else str(version)

    return Current(resolve)


def _quarter_valid(w) -> dict:
    return {
        "rag": "amber",
        "achieved": "Gastlessen <script>x</script>",
        "update_version": "",
        f"value_{w['a1']}": "190",
        f"mversion_{w['a1']}": _quarter_measurement_version("a1"),
        f"mversion_{w['a2']}": _quarter_measurement_version("a2"),
        f"msversion_{w['open_milestone']}": _version("Milestone", "open_milestone"),
        "cause": "Docententekort <b>",
        "consequence_time": "Een kwartaal later",
        "consequence_result": "Geen",
        "consequence_money": "Geen",
        "measure": "Gastdocenten",
        "measure_owner": "Vmbo Almere",
        "measure_due": "31-01-2027",
        "exception_version": "",
    }


PROGRAMME_FIELDS = {
    "name": TEXT,
    "aim": TEXT,
    "start_date": DATE,
    "end_date": DATE,
    "reporting_frequency": choice(["quarterly", "half_yearly", "yearly"]),
}
PROGRAMME_VALID = {
    "name": "Metaalcluster <i>Flevoland</i>",
    "start_date": "01-01-2026",
    "end_date": "31-12-2028",
    "reporting_frequency": "half_yearly",
}
SUBPROJECT_SETUP_FIELDS = {
    "code": TEXT,
    "name": TEXT,
    "aim": TEXT,
    "municipality_id": ID,
    "lead_ids": ID,
}


def _subproject_setup_valid(w) -> dict:
    return {"code": "C<b>", "name": "Lasacademie", "municipality_id": str(w["almere"])}


def _programme_indicator_fields(w) -> dict:
    return {
        **INDICATOR_FIELDS,
        "aggregation": choice(["sum", "mean", "last"]),
        "source_ids": st.one_of(st.just(str(w["a1"])), ID),
    }


SETUP_FORMS = [
    FormCase(
        "new-programme-as-manager",
        lambda w: "/setup/programmes/new",
        "manager",
        PROGRAMME_FIELDS,
        valid=lambda w: PROGRAMME_VALID,
        shown_on=lambda w: ["/setup"],
        must_accept=True,
    ),
    FormCase(
        "new-programme-as-steering",
        lambda w: "/setup/programmes/new",
        "steering",
        PROGRAMME_FIELDS,
        valid=lambda w: PROGRAMME_VALID,
        always_refused=True,
    ),
    FormCase(
        "new-municipality-as-manager",
        lambda w: "/setup/municipalities/new",
        "manager",
        {"name": TEXT, "cbs_code": st.one_of(TEXT, st.from_regex(r"GM[0-9]{4}", fullmatch=True))},
        valid=lambda w: {"name": "Lelystad <b>", "cbs_code": "gm0995"},
        shown_on=lambda w: ["/setup/municipalities"],
        must_accept=True,
    ),
    FormCase(
        "new-subproject-as-manager",
        lambda w: f"/setup/programmes/{w['programme_id']}/subprojects/new",
        "manager",
        SUBPROJECT_SETUP_FIELDS,
        valid=_subproject_setup_valid,
        shown_on=lambda w: [f"/setup/programmes/{w['programme_id']}"],
        must_accept=True,
    ),
    FormCase(
        "edit-subproject-setup-as-lead",
        lambda w: f"/setup/subprojects/{w['a']}/edit",
        "lead",
        SUBPROJECT_SETUP_FIELDS,
        valid=_subproject_setup_valid,
        always_refused=True,
    ),
    FormCase(
        "new-programme-indicator-as-manager",
        lambda w: f"/programmes/{w['programme_id']}/indicators/new",
        "manager",
        _programme_indicator_fields,
        valid=lambda w: {**INDICATOR_VALID, "aggregation": "sum", "source_ids": str(w["a1"])},
        shown_on=lambda w: [
            f"/setup/programmes/{w['programme_id']}",
            f"/programmes/{w['programme_id']}",
        ],
        must_accept=True,
    ),
]

ORGANISATION_FIELDS = {
    "name": TEXT,
    "kind": choice(["school_vmbo", "company", "technet_circle"]),
    "municipality_id": ID,
    "sector": choice(["", "ict", "maritime"]),
    "website": st.one_of(TEXT, st.sampled_from(["www.example.org", "javascript:alert(1)"])),
}
CONTACT_FIELDS = {
    "name": TEXT,
    "function": TEXT,
    "email": st.one_of(TEXT, st.just("a.b@example.org")),
    "phone": st.one_of(TEXT, st.just("0320 123 456")),
    "purpose": TEXT,
}

STAKEHOLDER_FORMS = [
    FormCase(
        "new-organisation-as-manager",
        lambda w: "/organisations/new",
        "manager",
        ORGANISATION_FIELDS,
        valid=lambda w: {
            "name": "Scheepswerf <b>Urk</b>",
            "kind": "company",
            "municipality_id": str(w["almere"]),
            "sector": "maritime",
            "website": "www.example.org",
        },
        shown_on=lambda w: ["/organisations", f"/organisations/municipalities/{w['almere']}"],
        must_accept=True,
    ),
    FormCase(
        "new-organisation-as-lead",
        lambda w: "/organisations/new",
        "lead",
        ORGANISATION_FIELDS,
        always_refused=True,
    ),
    FormCase(
        "new-contact-as-manager",
        lambda w: f"/organisations/{w['school']}/contacts/new",
        "manager",
        CONTACT_FIELDS,
        valid=lambda w: {
            "name": "Anna <i>de Boer</i>",
            "function": "Stagecoördinator",
            "email": "anna@example.org",
            "phone": "0320 123 456",
            "purpose": "Stages <script>",
        },
        shown_on=lambda w: [f"/organisations/{w['school']}", "/organisations/contacts"],
        must_accept=True,
    ),
    FormCase(
        "merge-choice-as-manager",
        lambda w: f"/organisations/{w['company']}/merge",
        "manager",
        {"keep_id": ID},
        writes=False,
        valid=lambda w: {"keep_id": str(w["school"])},
    ),
    FormCase(
        "merge-confirm-as-manager",
        lambda w: f"/organisations/{w['company']}/merge/{w['school']}",
        "manager",
        {"version": st.one_of(TEXT, ID)},
    ),
    FormCase(
        "merge-confirm-as-lead",
        lambda w: f"/organisations/{w['company']}/merge/{w['school']}",
        "lead",
        {"version": st.one_of(TEXT, ID)},
        always_refused=True,
    ),
    FormCase(
        "new-contact-as-steering",
        lambda w: f"/organisations/{w['school']}/contacts/new",
        "steering",
        CONTACT_FIELDS,
        always_refused=True,
    ),
]

PEOPLE_FIELDS = {
    **CONTACT_FIELDS,
    "contact_ids": ID,
    "version": _version_or("Registration", "registration"),
}
EVENT_FORMS = [
    FormCase(
        "registration-people-as-manager",
        lambda w: f"/registrations/{w['registration']}/people",
        "manager",
        PEOPLE_FIELDS,
        valid=lambda w: {
            "version": _version("Registration", "registration"),
            "name": "Kees <b>Bakker</b>",
            "email": "kees@example.org",
            "purpose": "Aanmelding <script>",
        },
        shown_on=lambda w: [f"/events/{w['event']}"],
        must_accept=True,
    ),
    FormCase(
        "registration-people-as-lead",
        lambda w: f"/registrations/{w['registration']}/people",
        "lead",
        PEOPLE_FIELDS,
        always_refused=True,
    ),
]

MEETING_FIELDS = {
    "held_on": DATE,
    "quarter": QUARTER,
    "title": TEXT,
    "attendees": TEXT,
    "agenda": TEXT,
    "notes": TEXT,
    "draft": st.sampled_from(["", "draft"]),
}
MEETING_VALID = {
    "held_on": "10-11-2026",
    "quarter": "2026-Q3",
    "title": "Stuurgroep <b>november</b>",
    "agenda": "1. Opening",
}
DECISION_FIELDS = {
    "text": TEXT,
    "owner": TEXT,
    "due_date": DATE,
    "status": choice(["open", "in_progress", "completed", "lapsed"]),
    "subproject_ids": ID,
    "request_id": ID,
    "answer": choice(["", "taken", "rejected", "postponed"]),
}
FOLLOW_UP_FIELDS = {
    "subproject_id": ID,
    "title": TEXT,
    "description": TEXT,
    "start_date": DATE,
    "due_date": DATE,
}

STEERING_FORMS = [
    FormCase(
        "new-meeting-as-manager",
        lambda w: f"/programmes/{w['programme_id']}/meetings/new",
        "manager",
        MEETING_FIELDS,
        valid=lambda w: MEETING_VALID,
        shown_on=lambda w: [f"/programmes/{w['programme_id']}/meetings"],
        must_accept=True,
    ),
    FormCase(
        "new-meeting-as-lead",
        lambda w: f"/programmes/{w['programme_id']}/meetings/new",
        "lead",
        MEETING_FIELDS,
        valid=lambda w: MEETING_VALID,
        always_refused=True,
    ),
    FormCase(
        "new-decision-as-manager",
        lambda w: f"/meetings/{w['meeting']}/decisions/new",
        "manager",
        DECISION_FIELDS,
        valid=lambda w: {
            "text": "Besluit <script>alert(1)</script>",
            "status": "open",
            "subproject_ids": str(w["a"]),
        },
        shown_on=lambda w: [
            f"/meetings/{w['meeting']}",
            f"/programmes/{w['programme_id']}/decisions",
        ],
        must_accept=True,
    ),
    FormCase(
        "new-follow-up-as-manager",
        lambda w: f"/decisions/{w['decision']}/follow-ups/new",
        "manager",
        FOLLOW_UP_FIELDS,
        valid=lambda w: {
            "subproject_id": str(w["a"]),
            "title": "Vervolg <b>x</b>",
            "start_date": "01-12-2026",
            "due_date": "31-12-2026",
        },
        shown_on=lambda w: [f"/decisions/{w['decision']}", f"/subprojects/{w['a']}"],
        must_accept=True,
    ),
]

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
        shown_on=_subproject_pages,
        must_accept=True,
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
    # Actions
    FormCase(
        "new-action-as-lead",
        lambda w: f"/subprojects/{w['a']}/actions/new",
        "lead",
        ACTION_FIELDS,
        valid=lambda w: ACTION_VALID,
        shown_on=_subproject_pages,
        must_accept=True,
    ),
    FormCase(
        "edit-action-as-lead",
        lambda w: f"/actions/{w['action']}/edit",
        "lead",
        {**ACTION_FIELDS, "version": _version_or("Action", "action")},
        valid=lambda w: {**ACTION_VALID, "version": _version("Action", "action")},
        shown_on=_subproject_pages,
        must_accept=True,
    ),
    FormCase(
        "follow-up-of-an-event-as-lead",
        lambda w: f"/events/{w['event']}/follow-up",
        "lead",
        {**ACTION_FIELDS, "subproject_id": ID},
        valid=lambda w: {**ACTION_VALID, "subproject_id": str(w["a"])},
        shown_on=lambda w: [f"/events/{w['event']}", f"/subprojects/{w['a']}"],
        must_accept=True,
    ),
    FormCase(
        "follow-up-of-an-event-as-steering",
        lambda w: f"/events/{w['event']}/follow-up",
        "steering",
        {**ACTION_FIELDS, "subproject_id": ID},
        always_refused=True,
    ),
    FormCase(
        "new-action-in-other-subproject-as-lead",
        lambda w: f"/subprojects/{w['b']}/actions/new",
        "lead",
        ACTION_FIELDS,
        valid=lambda w: ACTION_VALID,
        always_refused=True,
    ),
    # Milestones: move the date (reason required), mark achieved
    FormCase(
        "new-milestone-as-lead",
        lambda w: f"/subprojects/{w['a']}/milestones/new",
        "lead",
        MILESTONE_FIELDS,
        valid=lambda w: MILESTONE_VALID,
        shown_on=_subproject_pages,
        must_accept=True,
    ),
    FormCase(
        "edit-milestone-as-lead",
        lambda w: f"/milestones/{w['open_milestone']}/edit",
        "lead",
        {**MILESTONE_FIELDS, "version": _version_or("Milestone", "open_milestone")},
        valid=lambda w: {**MILESTONE_VALID, "version": _version("Milestone", "open_milestone")},
        shown_on=lambda w: [*_subproject_pages(w), f"/milestones/{w['open_milestone']}"],
        must_accept=True,
    ),
    FormCase(
        "edit-milestone-of-other-subproject-as-lead",
        lambda w: f"/milestones/{w['b_milestone']}/edit",
        "lead",
        {**MILESTONE_FIELDS, "version": _version_or("Milestone", "b_milestone")},
        valid=lambda w: {**MILESTONE_VALID, "version": _version("Milestone", "b_milestone")},
        always_refused=True,
    ),
    # Indicators and measurements
    FormCase(
        "new-indicator-as-manager",
        lambda w: f"/subprojects/{w['a']}/indicators/new",
        "manager",
        INDICATOR_FIELDS,
        valid=lambda w: INDICATOR_VALID,
        shown_on=_subproject_pages,
        must_accept=True,
    ),
    FormCase(
        "new-indicator-as-lead",
        lambda w: f"/subprojects/{w['a']}/indicators/new",
        "lead",
        INDICATOR_FIELDS,
        valid=lambda w: INDICATOR_VALID,
        always_refused=True,
    ),
    FormCase(
        "edit-indicator-as-manager",
        lambda w: f"/indicators/{w['a1']}/edit",
        "manager",
        {**INDICATOR_FIELDS, "version": _version_or("Indicator", "a1")},
        valid=lambda w: {**INDICATOR_VALID, "version": _version("Indicator", "a1")},
        shown_on=lambda w: [*_subproject_pages(w), f"/indicators/{w['a1']}"],
        must_accept=True,
    ),
    FormCase(
        "new-measurement-as-lead",
        lambda w: f"/indicators/{w['a1']}/measurements/new",
        "lead",
        MEASUREMENT_FIELDS,
        valid=lambda w: {"period": "2026-Q4", "value": "1.234,5", "note": "<i>telling</i>"},
        shown_on=lambda w: [f"/indicators/{w['a1']}"],
        must_accept=True,
    ),
    FormCase(
        "edit-measurement-as-lead",
        lambda w: f"/measurements/{w['measurement']}/edit",
        "lead",
        {**MEASUREMENT_FIELDS, "version": _version_or("Measurement", "measurement")},
        valid=lambda w: {
            "period": "2026-Q3",
            "value": "181",
            "version": _version("Measurement", "measurement"),
        },
        shown_on=lambda w: [f"/indicators/{w['a1']}"],
        must_accept=True,
    ),
    FormCase(
        "adjust-counted-value-as-lead",
        lambda w: f"/indicators/{w['counted']}/quarter/2026-Q4/adjust",
        "lead",
        {
            "value": NUMBER,
            "override_reason": TEXT,
            "version": st.one_of(st.just(_adjusted_version()), ID),
        },
        valid=lambda w: {
            "value": "14",
            "override_reason": "<b>twee bedrijven</b> tekenden niet",
            "version": _adjusted_version(),
        },
        shown_on=lambda w: [
            f"/indicators/{w['counted']}",
            f"/subprojects/{w['a']}/quarter/2026-Q4",
        ],
        must_accept=True,
    ),
    FormCase(
        "new-measurement-of-other-subproject-as-lead",
        lambda w: f"/indicators/{w['b1']}/measurements/new",
        "lead",
        MEASUREMENT_FIELDS,
        valid=lambda w: {"period": "2026-Q4", "value": "3"},
        always_refused=True,
    ),
    # Organisation links
    FormCase(
        "new-organisation-link-as-lead",
        lambda w: f"/subprojects/{w['a']}/organisations/new",
        "lead",
        {
            "organisation_id": st.one_of(st.just("new"), ID),
            "new_name": TEXT,
            "new_kind": choice(["school_mbo", "company", "intermediary"]),
            "role": TEXT,
        },
        valid=lambda w: {
            "organisation_id": "new",
            "new_name": "Metaalbedrijf <b>BV</b>",
            "new_kind": "company",
            "role": "partner",
        },
        shown_on=_subproject_pages,
        must_accept=True,
    ),
    FormCase(
        "edit-organisation-link-as-lead",
        lambda w: f"/organisation-links/{w['link']}/edit",
        "lead",
        {"role": TEXT, "version": _version_or("SubprojectOrganisation", "link")},
        valid=lambda w: {"role": "partner", "version": _version("SubprojectOrganisation", "link")},
        shown_on=_subproject_pages,
        must_accept=True,
    ),
    # The quarter page: every indicator value, milestones achieved and the update in one form
    FormCase(
        "quarter-page-as-lead",
        lambda w: f"/subprojects/{w['a']}/quarter/2026-Q4",
        "lead",
        _quarter_fields,
        valid=_quarter_valid,
        shown_on=lambda w: [*_subproject_pages(w), f"/subprojects/{w['a']}/quarter/2026-Q4"],
        must_accept=True,
    ),
    FormCase(
        "quarter-page-of-other-subproject-as-lead",
        lambda w: f"/subprojects/{w['b']}/quarter/2026-Q4",
        "lead",
        {"rag": choice(["green", "red"]), "achieved": TEXT, "update_version": ID},
        always_refused=True,
    ),
    # The admin screen: users and roles
    FormCase(
        "new-user-as-admin",
        lambda w: "/users/new",
        "admin",
        {
            "email": st.one_of(TEXT, st.emails()),
            **USER_FIELDS,
            "password": PASSWORDS,
            "password_again": PASSWORDS,
        },
        valid=lambda w: {
            "email": "nieuw@example.org",
            "name": "Nieuw <script>alert(1)</script>",
            "role": "lead",
            "led_subprojects": str(w["b"]),
            "password": "een-lang-wachtwoord",
            "password_again": "een-lang-wachtwoord",
        },
        shown_on=lambda w: ["/users"],
        must_accept=True,
    ),
    FormCase(
        "edit-user-as-admin",
        lambda w: f"/users/{w['steering_id']}/edit",
        "admin",
        {**USER_FIELDS, "version": _version_or("User", "steering_id")},
        valid=lambda w: {
            "name": "Ander lid",
            "role": "steering",
            "active": "y",
            "version": _version("User", "steering_id"),
        },
        shown_on=lambda w: ["/users", f"/users/{w['steering_id']}/edit"],
        must_accept=True,
    ),
    FormCase(
        "edit-self-as-admin",
        lambda w: f"/users/{w['admin_id']}/edit",
        "admin",
        {**USER_FIELDS, "version": _version_or("User", "admin_id")},
        valid=lambda w: {
            "name": "Beheer",
            "role": "admin",
            "active": "y",
            "version": _version("User", "admin_id"),
        },
        shown_on=lambda w: ["/users"],
    ),
    FormCase(
        "reset-password-as-admin",
        lambda w: f"/users/{w['steering_id']}/password",
        "admin",
        {"password": PASSWORDS, "password_again": PASSWORDS},
    ),
    FormCase(
        "edit-user-as-manager",
        lambda w: f"/users/{w['steering_id']}/edit",
        "manager",
        {**USER_FIELDS, "version": _version_or("User", "steering_id")},
        always_refused=True,
    ),
    FormCase(
        "close-quarter-as-manager",
        lambda w: f"/reports/{w['programme_id']}/2026-Q3/close",
        "manager",
        {"decision": st.one_of(ID, TEXT)},
    ),
    FormCase(
        "close-quarter-as-steering",
        lambda w: f"/reports/{w['programme_id']}/2026-Q3/close",
        "steering",
        {"decision": ID},
        always_refused=True,
    ),
    *SETUP_FORMS,
    *STAKEHOLDER_FORMS,
    *STEERING_FORMS,
    *EVENT_FORMS,
]

# Pages whose path ids and query parameters are fuzzed: (path with {} for an id, role, the
# query parameters the page reads). Ids in the world are drawn too, so filters also match.
PAGES = [
    ("/programmes/{}", "steering", ["next", "id"]),
    ("/subprojects/{}", "steering", ["next"]),
    ("/subprojects/{}/edit", "manager", ["next"]),
    ("/milestones/{}", "steering", []),
    ("/indicators/{}", "steering", []),
    ("/subprojects/{}/quarter", "lead", []),
    ("/subprojects/{}/history", "steering", []),
    ("/login", None, ["next"]),
    ("/users", "admin", []),
    ("/users/{}/edit", "admin", []),
    ("/dashboard", "steering", ["programme", "municipality", "subproject", "quarter"]),
    ("/history", "manager", ["user", "start", "end", "page"]),
    ("/organisations", "steering", ["kind", "municipality", "sector", "archived"]),
    ("/organisations/{}", "manager", []),
    ("/organisations/municipalities/{}", "lead", []),
    ("/programmes/{}/decisions", "steering", ["status"]),
    ("/programmes/{}/decisions/history", "steering", ["page"]),
    ("/meetings/{}", "steering", []),
]

# Paths with a quarter in them: (template with {} for the quarter, role, examples). PDFs take a
# second or more each to build, so they get few examples.
QUARTER_PATHS = [
    (lambda w: f"/subprojects/{w['a']}/quarter/{{}}", "lead", FUZZ_EXAMPLES),
    (lambda w: f"/exports/{w['programme_id']}/{{}}.csv", "steering", FUZZ_EXAMPLES),
    (lambda w: f"/exports/{w['programme_id']}/{{}}.xlsx", "steering", 8),
    (lambda w: f"/exports/{w['programme_id']}/subprojects/{w['a']}/{{}}.csv", "steering", 8),
    (lambda w: f"/reports/{w['programme_id']}/{{}}.pdf", "steering", 6),
]


# --- Helpers -----------------------------------------------------------------------------------


def _world_ids(app, world) -> dict:
    """The world's ids plus the records the forms edit."""
    from tracker.models import (
        Action,
        Decision,
        Event,
        Indicator,
        Measurement,
        Meeting,
        Milestone,
        Municipality,
        Organisation,
        Registration,
        SubprojectOrganisation,
        User,
    )

    with app.app_context():

        def one(query):
            return db.session.scalar(query)

        w = dict(world)
        w["action"] = one(select(Action.id).where(Action.subproject_id == world["a"]))
        w["open_milestone"] = one(
            select(Milestone.id).where(Milestone.title == "Eerste cohort gestart")
        )
        w["b_milestone"] = one(select(Milestone.id).where(Milestone.subproject_id == world["b"]))
        w["a1"] = one(select(Indicator.id).where(Indicator.name == "Leerlingen techniek"))
        w["a2"] = one(select(Indicator.id).where(Indicator.name == "Uitval"))
        w["b1"] = one(select(Indicator.id).where(Indicator.subproject_id == world["b"]))
        counted = Indicator(
            programme_id=world["programme_id"],
            subproject_id=world["a"],
            name="Bedrijven bereikt",
            unit="bedrijven",
            baseline_value=0,
            baseline_date=date(2026, 1, 1),
            target_value=50,
            target_date=date(2027, 12, 31),
            counted_from="companies_attending",
        )
        db.session.add(counted)
        db.session.flush()
        w["counted"] = counted.id
        w["measurement"] = one(
            select(Measurement.id).where(
                Measurement.indicator_id == w["a1"], Measurement.period == "2026-Q3"
            )
        )
        w["link"] = one(select(SubprojectOrganisation.id))
        w["almere"] = one(select(Municipality.id).where(Municipality.name == "Almere"))
        w["school"] = one(select(Organisation.id).where(Organisation.name == "Vmbo Almere"))
        company = Organisation(name="Lasbedrijf Almere", kind="company")
        event = Event(
            programme_id=world["programme_id"],
            subproject_id=world["a"],
            kind="meeting",
            title="Clusterbijeenkomst",
            held_on=date(2026, 10, 15),
        )
        meeting = Meeting(
            programme_id=world["programme_id"], held_on=date(2026, 11, 10), title="Stuurgroep"
        )
        decision = Decision(meeting=meeting, number=1, text="Besluit")
        registration = Registration(event=event, organisation_id=w["school"])
        db.session.add_all([meeting, decision, company, event, registration])
        db.session.commit()
        w["meeting"], w["decision"] = meeting.id, decision.id
        w["company"], w["event"] = company.id, event.id
        w["registration"] = registration.id
        for role in ("admin", "steering", "lead"):
            w[f"{role}_id"] = one(select(User.id).where(User.email == world["users"][role]))
        db.session.remove()
    return w


# Not anybody's data: logs a refused request writes to by design, and reports it had built.
LOG_TABLES = {"login_throttle", "security_event", "stored_report"}


def _forget_login_failures(app) -> None:
    """Each example tries afresh: the login throttle would refuse the later ones unseen."""
    with app.app_context():
        db.session.execute(delete(LoginThrottle))
        db.session.commit()


def _snapshot(app) -> dict[str, list]:
    with app.app_context():
        db.session.remove()
        result = {
            table.name: sorted(map(repr, db.session.execute(select(table)).all()))
            for table in db.metadata.sorted_tables
            if table.name not in LOG_TABLES
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


def _strategy(case: FormCase, w: dict) -> st.SearchStrategy:
    fields = case.fields(w) if callable(case.fields) else case.fields
    arbitrary = st.fixed_dictionaries(fields)
    if case.valid is None:
        return arbitrary
    valid = case.valid(w)
    one_field_off = st.sampled_from(sorted(fields)).flatmap(
        lambda key: fields[key].map(lambda value: {**valid, key: value})
    )
    return st.one_of(st.just(valid), one_field_off, arbitrary)


# --- Tests -------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", FORMS, ids=lambda c: c.id)
def test_forms_survive_arbitrary_input(app, world, case):
    w = _world_ids(app, world)
    client = _client(app, world, case.role)
    path = case.path(w)
    accepted = examples = 0

    @FUZZ
    @given(data=_strategy(case, w))
    def run(data):
        nonlocal accepted, examples
        examples += 1
        _forget_login_failures(app)
        sent = _resolve(app, w, data)
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
            for page in case.shown_on(w):
                shown = client.get(page)
                assert shown.status_code == 200, page
                text = shown.get_data(as_text=True)
                _assert_escaped(text, sent)
                if "name" in sent and case.id.startswith("edit-subproject"):
                    assert str(escape(sent["name"].strip())) in text

    run()
    assert examples >= FUZZ_EXAMPLES
    if case.must_accept:
        assert accepted > 0, "no example was accepted: the strategies miss the happy path"


@pytest.mark.parametrize("template,role,names", PAGES, ids=[p[0] for p in PAGES])
def test_path_ids_and_query_parameters_never_give_500(app, world, template, role, names):
    w = _world_ids(app, world)
    client = _client(app, world, role)
    known_ids = st.sampled_from(
        [str(w[k]) for k in ("programme_id", "a", "b", "open_milestone", "a1", "admin_id")]
    )
    examples = 0

    @FUZZ
    @given(
        id_=st.one_of(ID, known_ids),
        params=st.dictionaries(
            st.one_of(st.sampled_from([*names, "page", "id"]), TEXT),
            st.one_of(TEXT, NUMBER, DATE, ID, QUARTER, known_ids),
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


@pytest.mark.parametrize(
    "template,role,count",
    QUARTER_PATHS,
    ids=["quarter-page", "export-csv", "export-xlsx", "export-subproject-csv", "pdf"],
)
def test_quarters_in_paths_never_give_500(app, world, template, role, count):
    w = _world_ids(app, world)
    client = _client(app, world, role)
    examples = 0

    @fuzz(count)
    @given(quarter=QUARTER)
    def run(quarter):
        nonlocal examples
        examples += 1
        before = _snapshot(app)
        path = template(w).format(quote(quarter, safe=""))
        response = client.get(path)
        assert response.status_code < 500, path
        # A "/" in the quarter can give "//" in the path, which Werkzeug answers with a 308 to
        # the address with the slashes merged: harmless, and that address gets its own answer.
        allowed = (200, 302, 400, 403, 404) + ((308,) if "/" in quarter else ())
        assert response.status_code in allowed, (path, response.status_code)
        if response.mimetype == "text/html":
            _assert_escaped(response.get_data(as_text=True), {"quarter": quarter})
        assert _snapshot(app) == before

    run()
    assert examples >= count
