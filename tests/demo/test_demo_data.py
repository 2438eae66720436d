"""The demo programme: complete, current as at the given day, varied in status, deterministic.

These tests use their own in-memory SQLite database, not the app fixture of conftest.py.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from unittest.mock import patch

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

import tracker.models  # noqa: F401  (registers every table on the metadata)
from tracker.auth.models import User
from tracker.demo.seed import DemoLogin, seed_demo
from tracker.extensions import db
from tracker.indicators.models import Indicator, Measurement
from tracker.indicators.status import IndicatorFacts, indicator_status
from tracker.milestones import status as milestone_rules
from tracker.milestones.models import Milestone
from tracker.milestones.status import MilestoneFacts, milestone_status
from tracker.projects.models import (
    Action,
    Municipality,
    Organisation,
    Programme,
    QuarterlyUpdate,
    Subproject,
    SubprojectOrganisation,
)
from tracker.projects.status import computed_rag
from tracker.quarters import Quarter
from tracker.steering.models import DecisionSubproject, Meeting

TODAY = date(2026, 11, 24)
PERIODS = ["2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
UNENTERED = "Tevredenheid stagebedrijven over begeleiding"
CBS_CODES = {
    "Almere": "GM0034",
    "Lelystad": "GM0995",
    "Dronten": "GM0303",
    "Zeewolde": "GM0050",
    "Urk": "GM0184",
    "Noordoostpolder": "GM0171",
}


@pytest.fixture(autouse=True)
def _clean_database():
    """Overrides conftest's fixture of the same name: these tests need no app."""
    yield


def _seeded(today: date) -> tuple[Session, list[DemoLogin]]:
    engine = create_engine("sqlite://")
    db.metadata.create_all(engine)
    session = Session(engine)
    logins = seed_demo(session, today)
    session.commit()
    return session, logins


@pytest.fixture(scope="module")
def seeded():
    session, logins = _seeded(TODAY)
    yield session, logins
    session.close()


@pytest.fixture(scope="module")
def s(seeded):
    return seeded[0]


@pytest.fixture(scope="module")
def logins(seeded):
    return seeded[1]


def _facts(milestone: Milestone) -> MilestoneFacts:
    return MilestoneFacts(
        baseline_date=milestone.baseline_date,
        planned_date=milestone.planned_date,
        forecast_date=milestone.forecast_date,
        achieved_on=milestone.achieved_on,
        at_risk=milestone.at_risk,
    )


def _indicator_facts(indicator: Indicator) -> IndicatorFacts:
    return IndicatorFacts(
        direction=indicator.direction,
        baseline_value=indicator.baseline_value,
        baseline_date=indicator.baseline_date,
        target_value=indicator.target_value,
        target_date=indicator.target_date,
        rollup=indicator.rollup,
    )


def test_programme_starts_with_the_meeting_of_6_february(s):
    programme = s.scalars(select(Programme)).one()
    assert programme.name == "Toptechniek in bedrijf Flevoland"
    assert "behouden" in programme.aim and "regio" in programme.aim
    assert programme.start_date == date(2025, 2, 6)
    assert programme.end_date.year == 2028


def test_six_municipalities_with_their_cbs_codes(s):
    assert {m.name: m.cbs_code for m in s.scalars(select(Municipality))} == CBS_CODES


def test_six_subprojects_one_per_municipality(s):
    subprojects = s.scalars(select(Subproject)).all()
    assert len(subprojects) == 6
    assert {sp.municipality.name for sp in subprojects} == set(CBS_CODES)
    assert [sp.code for sp in subprojects] == [f"DP{n}" for n in range(1, 7)]
    for subproject in subprojects:
        assert subproject.name and subproject.aim
        roles = {link.role for link in subproject.organisation_links}
        assert "trekker" in roles and len(subproject.organisation_links) >= 4


def test_every_subproject_has_actions_milestones_indicators_and_updates(s):
    for subproject in s.scalars(select(Subproject)):
        assert len(subproject.actions) >= 5
        milestones = s.scalars(select(Milestone).filter_by(subproject_id=subproject.id)).all()
        assert len(milestones) >= 4
        statuses = {milestone_status(_facts(m), TODAY) for m in milestones}
        assert len(statuses) >= 3, (subproject.code, statuses)
        indicators = s.scalars(select(Indicator).filter_by(subproject_id=subproject.id)).all()
        assert len(indicators) >= 3
        for indicator in indicators:
            if indicator.counted:  # its values follow the events: test_demo_events_count
                continue
            assert [m.period for m in indicator.measurements] == _entered(indicator)
        assert [u.quarter for u in subproject.updates] == ["2026-Q3", "2026-Q2"]
        for update in subproject.updates:
            assert update.rag in ("green", "amber", "red")
            assert update.achieved and update.next_steps and update.risks
            assert update.updated_by in subproject.leads


def test_actions_are_consistent_with_today(s):
    actions = s.scalars(select(Action)).all()
    assert {"planned", "running", "done"} <= {a.state for a in actions}
    for action in actions:
        assert action.start_date <= action.due_date
        assert action.owner is not None
        if action.state == "planned":
            assert action.progress == 0 and action.start_date > TODAY
        elif action.state == "done":
            assert action.progress == 100 and action.due_date <= TODAY
        elif action.state == "running":
            assert 0 < action.progress < 100 and action.start_date <= TODAY


def test_milestone_statuses_are_mixed_across_the_programme(s):
    counts = Counter(milestone_status(_facts(m), TODAY) for m in s.scalars(select(Milestone)))
    for status in milestone_rules.STATUSES:
        assert counts[status] >= 1, counts


def test_achieved_milestones_have_evidence_and_moves_are_recorded(s):
    moved = 0
    for milestone in s.scalars(select(Milestone)):
        if milestone.achieved_on is not None:
            assert milestone.evidence
        changes = milestone.date_changes
        if milestone.planned_date != milestone.baseline_date:
            moved += 1
            assert changes[0].from_date == milestone.baseline_date
            assert changes[-1].to_date == milestone.planned_date
            for earlier, later in zip(changes[:-1], changes[1:], strict=True):
                assert earlier.to_date == later.from_date
                assert earlier.changed_at <= later.changed_at
            assert all(c.reason and c.changed_by is not None for c in changes)
        else:
            assert changes == []
    assert moved >= 3


def test_indicators_have_directions_rollups_and_mixed_status(s):
    everything = s.scalars(select(Indicator)).all()
    indicators = [i for i in everything if i.aggregation is None and not i.counted]
    programme_level = [i for i in indicators if i.subproject_id is None]
    assert len(programme_level) == 2
    assert {i.direction for i in indicators} == {"up", "down"}
    assert {i.rollup for i in indicators} == {"sum", "mean", "last"}
    assert {"leerlingen", "%"} <= {i.unit for i in indicators}
    last = Quarter.parse(PERIODS[-1])
    statuses = Counter()
    for indicator in indicators:
        assert [m.period for m in indicator.measurements] == _entered(indicator)
        assert indicator.target_date > indicator.baseline_date
        values = [m.value for m in indicator.measurements]
        statuses[indicator_status(_indicator_facts(indicator), values, last.end)] += 1
        if indicator.rollup == "sum":
            assert all(v >= 0 for v in values)
    assert statuses["on_track"] >= 1 and statuses["at_risk"] >= 1 and statuses["off_track"] >= 1


def _entered(indicator) -> list[str]:
    """The quarters with a value: every one, except the newest two of the survey the lead has
    not entered (the demo's outdated indicator)."""
    return PERIODS[:-2] if indicator.name == UNENTERED else PERIODS


def test_indicators_expect_values_as_often_as_their_source_publishes(s):
    from tracker.indicators.queries import stale_indicators

    indicators = s.scalars(select(Indicator)).all()
    duo = [i for i in indicators if i.source.startswith("DUO")]
    assert duo and {(i.frequency, i.publication_month) for i in duo} == {("yearly", 4)}
    assert {i.frequency for i in indicators} == {"quarterly", "half_yearly", "yearly"}
    subprojects = s.scalars(select(Subproject.id)).all()
    with patch.object(db, "session", s):
        stale = stale_indicators(subprojects, TODAY)
    assert [i.name for i in stale] == [UNENTERED]
    assert stale[0].latest_period == PERIODS[-3]


def test_one_programme_indicator_is_the_sum_of_the_subprojects(s):
    from tracker.indicators.rollup import SourceValue, combine

    computed = s.scalars(select(Indicator).where(Indicator.aggregation.is_not(None))).all()
    assert len(computed) == 1
    total = computed[0]
    assert total.subproject_id is None and total.aggregation == "sum"
    assert len(total.sources) == 5 and not total.measurements
    assert total.baseline_value == sum(i.baseline_value for i in total.sources)
    values = [
        SourceValue(i.id, m.period, m.value, m.entered_at)
        for i in total.sources
        for m in i.measurements
    ]
    made = combine(values, total.aggregation)
    assert [q.period for q in made] == PERIODS
    assert made[-1].value == pytest.approx(sum(i.measurements[-1].value for i in total.sources))
    assert made[-1].counted == 5


def test_a_lead_rag_disagrees_with_the_computed_rag(s):
    """As at the end of the last quarter, at least one lead judges differently from the rules."""
    quarter = Quarter.parse(PERIODS[-1])
    disagreements = []
    for subproject in s.scalars(select(Subproject)):
        milestones = s.scalars(select(Milestone).filter_by(subproject_id=subproject.id))
        indicators = s.scalars(select(Indicator).filter_by(subproject_id=subproject.id))
        computed = computed_rag(
            [milestone_status(_facts(m), quarter.end) for m in milestones],
            [
                indicator_status(
                    _indicator_facts(i), [m.value for m in i.measurements], quarter.end
                )
                for i in indicators
            ],
        )
        lead_rag = next(u.rag for u in subproject.updates if u.quarter == str(quarter))
        if lead_rag != computed:
            disagreements.append(subproject.code)
    assert 1 <= len(disagreements) <= 3, disagreements


def test_named_organisations_exist(s):
    kinds = {o.name: o.kind for o in s.scalars(select(Organisation))}
    for name in (
        "Taskforce Technologie Onderwijs Arbeidsmarkt Flevoland",
        "Technocentrum Flevoland",
    ):
        assert kinds[name] == "intermediary"
    assert kinds["Provinciaal Platform Arbeidsmarkt"] == "government"
    assert kinds["Provincie Flevoland"] == "government"
    technet = [name for name in kinds if name.startswith("TechNet kring")]
    assert len(technet) == 5 and all(kinds[name] == "technet_circle" for name in technet)
    assert {"school_vmbo", "school_mbo", "school_hbo", "company"} <= set(kinds.values())
    assert kinds["Installatiebedrijf Zeewolde"] == "company"
    assert kinds["Scheepswerf Urk"] == "company"


def test_start_meeting_with_numbered_decisions_and_follow_up(s):
    meeting = s.scalars(select(Meeting).filter_by(held_on=date(2025, 2, 6))).one()
    assert meeting.title == "Startbijeenkomst stuurgroep Toptechniek in bedrijf Flevoland"
    assert "meet- en evaluatiesystematiek" in meeting.notes
    assert 3 <= len(meeting.decisions) <= 4
    assert [d.number for d in meeting.decisions] == list(range(1, len(meeting.decisions) + 1))
    assert sum(len(d.follow_up_actions) for d in meeting.decisions) >= 3
    assert s.scalar(select(func.count(Meeting.id))) >= 2
    assert s.scalar(select(func.count(DecisionSubproject.id)))


def test_start_meeting_comes_before_all_programme_data(s):
    kickoff = date(2025, 2, 6)
    assert min(s.scalars(select(Action.start_date))) > kickoff
    assert min(s.scalars(select(Milestone.baseline_date))) > kickoff
    assert min(s.scalars(select(Measurement.entered_at))).date() > kickoff
    assert max(s.scalars(select(Measurement.entered_at))).date() <= TODAY
    assert max(s.scalars(select(QuarterlyUpdate.updated_at))).date() <= TODAY


def test_one_login_per_role_and_one_lead_per_subproject(s, logins):
    assert Counter(login.role for login in logins) == {
        "admin": 1,
        "manager": 1,
        "steering": 1,
        "lead": 6,
    }
    names = {login.role: login.name for login in logins if login.role != "lead"}
    assert names == {
        "admin": "Beheerder",
        "manager": "Programmaregisseur",
        "steering": "Stuurgroeplid",
    }
    assert len({login.email for login in logins}) == len(logins)
    for login in logins:
        assert len(login.password) >= 12
        user = s.scalars(select(User).filter_by(email=login.email)).one()
        assert user.role == login.role and user.name == login.name
        assert user.check_password(login.password)
        assert not user.check_password(login.password + "x")
    for subproject in s.scalars(select(Subproject)):
        assert len(subproject.leads) == 1
        lead = subproject.leads[0]
        assert lead.role == "lead"
        assert lead.name == f"Deelprojectleider {subproject.municipality.name}"


def test_seeding_is_deterministic():
    def snapshot(session: Session):
        milestones = session.execute(
            select(
                Milestone.title,
                Milestone.baseline_date,
                Milestone.planned_date,
                Milestone.forecast_date,
                Milestone.achieved_on,
            ).order_by(Milestone.id)
        ).all()
        values = session.execute(
            select(Measurement.indicator_id, Measurement.period, Measurement.value).order_by(
                Measurement.id
            )
        ).all()
        return milestones, values

    first, _ = _seeded(TODAY)
    second, _ = _seeded(TODAY)
    try:
        assert snapshot(first) == snapshot(second)
    finally:
        first.close()
        second.close()


def test_seed_demo_does_not_commit():
    engine = create_engine("sqlite://")
    db.metadata.create_all(engine)
    with Session(engine) as session:
        seed_demo(session, TODAY)
        session.rollback()
        assert session.scalar(select(func.count(Programme.id))) == 0


@pytest.mark.parametrize(
    "today", [date(2026, 1, 2), date(2027, 3, 31), date(2027, 5, 15), date(2027, 9, 30)]
)
def test_demo_stays_current_and_mixed_on_other_days(today):
    session, logins = _seeded(today)
    try:
        current = Quarter.of(today)
        last = current.previous()
        periods = {m.period for m in session.scalars(select(Measurement))}
        assert str(last) in periods and str(current) not in periods
        assert len(periods) == 6
        meeting = session.scalars(select(Meeting).order_by(Meeting.held_on)).first()
        assert meeting.held_on.month == 2 and meeting.held_on.day == 6
        assert meeting.held_on <= Quarter.parse(min(periods)).start
        programme = session.scalars(select(Programme)).one()
        for milestone in session.scalars(select(Milestone)):
            assert programme.start_date < milestone.planned_date <= programme.end_date
        statuses = {milestone_status(_facts(m), today) for m in session.scalars(select(Milestone))}
        assert statuses == set(milestone_rules.STATUSES)
        assert len(logins) == 9
    finally:
        session.close()


def test_the_register_has_circles_with_members_and_fictitious_contacts(s):
    from tracker.stakeholders.models import CircleMembership, Contact

    circles = {m.circle.name for m in s.scalars(select(CircleMembership))}
    assert len(circles) == 5
    assert all(m.circle.kind == "technet_circle" for m in s.scalars(select(CircleMembership)))
    contacts = list(s.scalars(select(Contact)))
    assert contacts and all(c.email == "" or c.email.endswith(".example.org") for c in contacts)
    assert all(c.purpose and c.recorded_by is not None for c in contacts)
    # one is over two years unconfirmed, so the purge's dry run has something to show
    assert any((date(2026, 11, 24) - c.confirmed_at.date()).days > 730 for c in contacts)
    companies = list(s.scalars(select(Organisation).where(Organisation.kind == "company")))
    assert all(c.sector for c in companies)
    linked = {o.organisation_id for o in s.scalars(select(SubprojectOrganisation))}
    assert any(o.id not in linked for o in s.scalars(select(Organisation)) if o.municipality_id), (
        "someone in the register does not take part yet"
    )


def test_demo_cluster_meeting_with_three_workshops_and_counted_indicators(s):
    from tracker.models import Event

    cluster = s.scalars(
        select(Event).filter_by(title="Clusterbijeenkomst metaal en techniek")
    ).one()
    assert len(cluster.workshops) == 3
    assert sum(r.attended for r in cluster.registrations) == 6
    follow_up = s.scalars(select(Event).where(Event.follows_id == cluster.id)).one()
    assert {r.organisation_id for r in follow_up.registrations} == {
        r.organisation_id for r in cluster.registrations if r.wants_follow_up
    }
    companies = s.scalars(
        select(Indicator).filter_by(counted_from="companies_attending", subproject_id=None)
    ).one()
    # six companies at the cluster meeting and the guest lessons' company, once each; one more
    # by hand, with the reason
    latest = companies.measurements[-1]
    assert (latest.period, latest.counted_value, latest.value) == ("2026-Q3", 7, 8)
    assert "presentielijst" in latest.override_reason and latest.entered_by.role == "manager"
    action = s.scalars(select(Action).where(Action.from_event_id == cluster.id)).one()
    assert action.subproject.code == "DP2" and action.owner.name.endswith("Lelystad")
    pupils = s.scalars(select(Indicator).filter_by(counted_from="pupils_reached")).one()
    assert [m.value for m in pupils.measurements] == [48, 62]
