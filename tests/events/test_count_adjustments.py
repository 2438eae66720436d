"""A counted value set by hand: with a required reason, kept by the recount, shown with what it
replaced, audited, withdrawn back to the count; refused in a closed quarter, to a lead in an
approved one, to whoever may not keep the indicator's values, and when stale. Counting limited
to one municipality."""

from __future__ import annotations

from datetime import date

from conftest import archive_quarter, count_queries, login
from sqlalchemy import select

from tracker.events import services
from tracker.extensions import db
from tracker.models import (
    AuditEntry,
    Event,
    Indicator,
    Measurement,
    Municipality,
    Organisation,
    Submission,
)

REASON = "twee bedrijven tekenden de presentielijst niet"


def _counted(app, world, subproject="a", **extra) -> int:
    with app.app_context():
        indicator = Indicator(
            programme_id=world["programme_id"],
            subproject_id=world[subproject],
            name="Bedrijven bereikt",
            unit="bedrijven",
            baseline_value=0,
            baseline_date=date(2026, 1, 1),
            target_value=50,
            target_date=date(2027, 12, 31),
            rollup="sum",
            counted_from="companies_attending",
            **extra,
        )
        db.session.add(indicator)
        db.session.commit()
        return indicator.id


def _attended(app, world, names, municipality="Almere", held_on=date(2026, 10, 15)) -> int:
    """An event of subproject A that the named companies attended, counted as the app does."""
    with app.app_context():
        place = db.session.scalar(select(Municipality).where(Municipality.name == municipality))
        companies = [Organisation(name=n, kind="company", municipality=place) for n in names]
        event = Event(
            programme_id=world["programme_id"],
            subproject_id=world["a"],
            kind="meeting",
            title="Clusterbijeenkomst",
            held_on=held_on,
        )
        db.session.add_all([event, *companies])
        db.session.flush()
        services.register(event, [c.id for c in companies])
        services.mark_attendance(event, {r.id for r in event.registrations}, set())
        db.session.commit()
        return event.id


def _switch(client, world, role):
    client.post("/logout")
    assert login(client, world["users"][role]).status_code == 302
    return client


def _stored(app, indicator_id, period="2026-Q4") -> Measurement | None:
    with app.app_context():
        measurement = db.session.scalar(
            select(Measurement).where(
                Measurement.indicator_id == indicator_id, Measurement.period == period
            )
        )
        if measurement is not None:
            db.session.expunge(measurement)
        return measurement


def _url(indicator_id, quarter="2026-Q4") -> str:
    return f"/indicators/{indicator_id}/quarter/{quarter}/adjust"


def _adjust(client, indicator_id, value="14", reason=REASON, version=None, quarter="2026-Q4"):
    data = {"value": value, "override_reason": reason}
    if version is not None:
        data["version"] = str(version)
    return client.post(_url(indicator_id, quarter), data=data)


def test_an_adjusted_value_is_kept_by_the_recount_shown_everywhere_and_audited(
    app, world, login_as
):
    indicator_id = _counted(app, world)
    _attended(app, world, ["Bouw BV", "Staal BV"])
    client = login_as("lead")
    form = client.get(_url(indicator_id)).text
    assert "geven 2 bedrijven" in form
    response = _adjust(client, indicator_id, version=_stored(app, indicator_id).version)
    assert response.status_code == 302, response.text

    _attended(app, world, ["Kraan BV"], held_on=date(2026, 11, 2))
    stored = _stored(app, indicator_id)
    assert (stored.value, stored.counted_value, stored.override_reason) == (14, 3, REASON)
    shown = f"Aangepast: 14 (geteld: 3), reden: {REASON}, door Deelprojectleider A, op "
    assert shown in client.get(f"/indicators/{indicator_id}").text
    quarter_page = client.get(f"/subprojects/{world['a']}/quarter/2026-Q4").text
    assert shown in quarter_page
    with app.app_context():
        entries = db.session.scalars(
            select(AuditEntry).where(
                AuditEntry.entity == "Measurement", AuditEntry.entity_id == stored.id
            )
        ).all()
    assert any(e.changes.get("override_reason") == [None, REASON] for e in entries)
    history = client.get(f"/indicators/{indicator_id}/history").text
    assert "Reden van de aanpassing" in history and REASON in history


def test_removing_the_adjustment_returns_to_the_count(app, world, login_as):
    indicator_id = _counted(app, world)
    _attended(app, world, ["Bouw BV", "Staal BV"])
    client = login_as("manager")
    assert _adjust(client, indicator_id, version=_stored(app, indicator_id).version).status_code
    stored = _stored(app, indicator_id)
    assert stored.value == 14
    removed = client.post(_url(indicator_id) + "/remove", data={"version": stored.version})
    assert removed.status_code == 302
    stored = _stored(app, indicator_id)
    assert (stored.value, stored.override_reason) == (2, None)


def test_a_quarter_without_a_count_can_be_adjusted_and_returns_to_nothing(app, world, login_as):
    indicator_id = _counted(app, world)
    client = login_as("lead")
    assert (
        "Waarde van het 4e kwartaal 2026 aanpassen"
        in client.get(f"/indicators/{indicator_id}").text
    )
    assert _adjust(client, indicator_id, value="3").status_code == 302
    stored = _stored(app, indicator_id)
    assert (stored.value, stored.counted_value) == (3, None)
    assert "(geteld: –)" in client.get(f"/indicators/{indicator_id}").text
    client.post(_url(indicator_id) + "/remove", data={"version": stored.version})
    assert _stored(app, indicator_id) is None


def test_a_reason_is_required_and_a_bad_value_is_refused_clearly(app, world, login_as):
    indicator_id = _counted(app, world)
    _attended(app, world, ["Bouw BV"])
    version = _stored(app, indicator_id).version
    client = login_as("lead")
    no_reason = _adjust(client, indicator_id, reason="  ", version=version)
    assert no_reason.status_code == 400
    assert "Vul de reden van de aanpassing in." in no_reason.text
    for value, message in (("veertien", "Vul een getal in"), ("-2", "niet negatief")):
        refused = _adjust(client, indicator_id, value=value, version=version)
        assert refused.status_code == 400 and message in refused.text
    stored = _stored(app, indicator_id)
    assert (stored.value, stored.override_reason) == (1, None)


def test_who_may_adjust(app, world, login_as):
    indicator_id = _counted(app, world)
    other_id = _counted(app, world, subproject="b")
    lead = login_as("lead")
    assert lead.get(_url(indicator_id)).status_code == 200
    assert _adjust(lead, other_id).status_code == 403
    assert _stored(app, other_id) is None
    with app.app_context():
        typed = db.session.scalar(select(Indicator.id).where(Indicator.name == "Uitval"))
    assert lead.get(_url(typed)).status_code == 404  # not counted: its values are typed
    steering = _switch(lead, world, "steering")
    assert steering.get(_url(indicator_id)).status_code == 403
    assert _adjust(steering, indicator_id).status_code == 403
    assert _switch(lead, world, "manager").get(_url(other_id)).status_code == 200


def test_a_stale_adjustment_is_refused_and_nothing_changes(app, world, login_as):
    indicator_id = _counted(app, world)
    _attended(app, world, ["Bouw BV", "Staal BV"])
    opened = _stored(app, indicator_id).version
    _attended(app, world, ["Kraan BV"], held_on=date(2026, 11, 2))
    response = _adjust(login_as("lead"), indicator_id, version=opened)
    assert response.status_code == 409
    assert REASON in response.text  # what was typed is kept
    stored = _stored(app, indicator_id)
    assert (stored.value, stored.override_reason) == (3, None)


def test_a_closed_quarter_and_an_approved_update_refuse(app, world, login_as):
    indicator_id = _counted(app, world)
    archive_quarter(app, world["programme_id"], "2026-Q3")
    closed = _adjust(login_as("manager"), indicator_id, quarter="2026-Q3")
    assert closed.status_code == 409 and "vastgesteld" in closed.text
    with app.app_context():
        db.session.add(Submission(subproject_id=world["a"], quarter="2026-Q4", state="approved"))
        db.session.commit()
    lead = _switch(login_as("manager"), world, "lead")
    approved = _adjust(lead, indicator_id)
    assert approved.status_code == 409 and "goedgekeurd" in approved.text
    # the form says so when it is opened, and the indicator page offers no adjustment
    opened = lead.get(_url(indicator_id, "2026-Q4"))
    assert opened.status_code == 409 and "goedgekeurd" in opened.text
    assert _url(indicator_id, "2026-Q4") not in lead.get(f"/indicators/{indicator_id}").text
    assert _stored(app, indicator_id) is None
    assert _stored(app, indicator_id, "2026-Q3") is None


def test_counting_in_one_municipality_recounts_and_says_so(app, world, login_as):
    indicator_id = _counted(app, world)
    _attended(app, world, ["Bouw BV", "Staal BV"])
    _attended(app, world, ["Visserij Urk"], municipality="Urk", held_on=date(2026, 11, 2))
    assert _stored(app, indicator_id).value == 3
    client = login_as("manager")
    form = client.get(f"/indicators/{indicator_id}/edit").text
    assert "Alleen tellen in gemeente" in form
    with app.app_context():
        urk = db.session.scalar(select(Municipality.id).where(Municipality.name == "Urk"))
        indicator = db.session.get(Indicator, indicator_id)
        data = {
            "name": indicator.name,
            "unit": indicator.unit,
            "definition": "",
            "source": "",
            "direction": "up",
            "baseline_value": "0",
            "baseline_date": "01-01-2026",
            "target_value": "50",
            "target_date": "31-12-2027",
            "frequency": "quarterly",
            "publication_month": "",
            "rollup": "sum",
            "counted_from": "companies_attending",
            "counted_municipality_id": str(urk),
            "version": str(indicator.version),
        }
    saved = client.post(f"/indicators/{indicator_id}/edit", data=data)
    assert saved.status_code == 302, saved.text
    assert _stored(app, indicator_id).value == 1
    assert ", alleen in Urk" in client.get(f"/indicators/{indicator_id}").text
    history = client.get(f"/indicators/{indicator_id}/history").text
    assert "Alleen tellen in gemeente" in history and "Urk" in history
    not_counted = client.post(
        f"/indicators/{indicator_id}/edit",
        data={**data, "counted_from": "", "version": str(int(data["version"]) + 1)},
    )
    assert not_counted.status_code == 400


def test_pages_with_adjusted_values_run_a_bounded_number_of_queries(app, world, login_as):
    client = login_as("manager")

    def adjusted(count: int) -> tuple[int, int]:
        ids = [_counted(app, world) for _ in range(count)]
        for indicator_id in ids:
            assert _adjust(client, indicator_id).status_code == 302
        return (
            count_queries(app, client, f"/subprojects/{world['a']}/quarter/2026-Q4"),
            count_queries(app, client, f"/indicators/{ids[0]}"),
        )

    assert adjusted(1) == adjusted(4)


def test_a_counted_programme_indicator_is_adjusted_by_the_manager_only(app, world, login_as):
    with app.app_context():
        indicator = Indicator(
            programme_id=world["programme_id"],
            subproject_id=None,
            name="Bedrijven bereikt in het programma",
            unit="bedrijven",
            baseline_value=0,
            baseline_date=date(2026, 1, 1),
            target_value=100,
            target_date=date(2027, 12, 31),
            counted_from="organisations_attending",
        )
        db.session.add(indicator)
        db.session.commit()
        indicator_id = indicator.id
    lead = login_as("lead")
    assert _adjust(lead, indicator_id).status_code == 403
    manager = _switch(lead, world, "manager")
    assert _adjust(manager, indicator_id, value="5").status_code == 302
    assert _stored(app, indicator_id).value == 5
