"""The exception report in the quarter form: owed when the lead's or the computed status is amber
or red, refused incomplete with nothing saved, listing what deviates with its recorded reason."""

from datetime import date, datetime

from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import (
    AuditEntry,
    ExceptionReport,
    Indicator,
    Measurement,
    Milestone,
    MilestoneDateChange,
    Programme,
    QuarterlyUpdate,
)

REPORT = {
    "cause": "Docententekort",
    "consequence_time": "Cohort een kwartaal later",
    "consequence_result": "Twintig leerlingen minder",
    "consequence_money": "Geen",
    "measure": "Gastdocenten uit bedrijven",
    "measure_owner": "Vmbo Almere",
    "measure_due": "31-01-2027",
}


def _form(app, subproject_id, **overrides):
    with app.app_context():
        milestones = db.session.scalars(
            select(Milestone).where(
                Milestone.subproject_id == subproject_id, Milestone.achieved_on.is_(None)
            )
        ).all()
        indicators = db.session.scalars(
            select(Indicator).where(Indicator.subproject_id == subproject_id)
        ).all()
        data = {f"msversion_{m.id}": str(m.version) for m in milestones}
        data.update({f"mversion_{i.id}": "" for i in indicators})
    data.update({"rag": "green", "achieved": "Veel", "update_version": "", "exception_version": ""})
    data.update(overrides)
    return data


def _count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_amber_by_the_lead_without_the_report_is_refused_with_the_fields_named(
    app, login_as, world
):
    response = login_as("lead").post(
        f"/subprojects/{world['a']}/quarter/2026-Q4", data=_form(app, world["a"], rag="amber")
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Beschrijf de oorzaak van de afwijking." in body
    assert "Vul de datum in waarop de maatregel is uitgevoerd." in body
    assert _count(app, QuarterlyUpdate) == 1  # only the Q3 update of the fixture


def test_green_by_the_lead_but_computed_red_is_refused_too(app, login_as, world):
    """Subproject A has an overdue milestone and an off-track indicator: computed red."""
    response = login_as("lead").post(
        f"/subprojects/{world['a']}/quarter/2026-Q4", data=_form(app, world["a"])
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "de berekende status Rood" in body
    assert "Beschrijf de oorzaak van de afwijking." in body
    assert 'value="Veel"' not in body or "Veel" in body  # the typed update is kept
    assert _count(app, QuarterlyUpdate) == 1
    assert _count(app, ExceptionReport) == 0


def test_a_complete_report_is_saved_with_the_quarter_and_audited(app, login_as, world):
    client = login_as("lead")
    path = f"/subprojects/{world['a']}/quarter/2026-Q4"
    response = client.post(path, data=_form(app, world["a"], rag="red", **REPORT))
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        report = db.session.scalars(select(ExceptionReport)).one()
        assert (report.quarter, report.cause, report.measure_due) == (
            "2026-Q4",
            "Docententekort",
            date(2027, 1, 31),
        )
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "ExceptionReport")
        ).all()
        assert [e.action for e in entries] == ["create"]
    page = client.get(path).get_data(as_text=True)
    assert "Gastdocenten uit bedrijven" in page and 'value="2027-01-31"' in page


def test_a_subproject_on_track_saves_without_a_report(app, login_as, world):
    with app.app_context():
        lead = db.session.scalars(select(QuarterlyUpdate)).first()
        lead.subproject.leads  # noqa: B018  (loaded for the session)
    client = login_as("manager")
    response = client.post(
        f"/subprojects/{world['b']}/quarter/2026-Q4", data=_form(app, world["b"])
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _count(app, ExceptionReport) == 0


def test_a_value_typed_in_the_same_form_counts_for_the_computed_status(app, login_as, world):
    """B is green; a value far below its trajectory, typed now, makes it red at once."""
    with app.app_context():
        indicator = db.session.scalars(select(Indicator).filter_by(name="Stageplaatsen")).one()
        indicator.target_value = 4000
        db.session.commit()
        indicator_id = indicator.id
    client = login_as("manager")
    data = _form(app, world["b"], **{f"value_{indicator_id}": "1"})
    response = client.post(f"/subprojects/{world['b']}/quarter/2026-Q4", data=data)
    assert response.status_code == 400
    assert _count(app, Measurement) == 3  # the fixture's, not the typed one


def test_the_page_lists_late_milestones_with_their_reason_and_lagging_indicators(
    app, login_as, world
):
    with app.app_context():
        milestone = db.session.scalars(
            select(Milestone).filter_by(title="Eerste cohort gestart")
        ).one()
        db.session.add(
            MilestoneDateChange(
                milestone=milestone,
                from_date=date(2026, 9, 1),
                to_date=date(2026, 10, 1),
                reason="Aanbesteding vertraagd",
                changed_at=datetime(2026, 8, 1),
            )
        )
        db.session.commit()
    body = login_as("lead").get(f"/subprojects/{world['a']}/quarter/2026-Q4").get_data(as_text=True)
    assert "Afwijkingsrapportage" in body
    assert "Eerste cohort gestart" in body and "Aanbesteding vertraagd" in body
    assert "54 dagen" in body  # planned 01-10-2026, judged 24-11-2026
    assert "Uitval" in body and "punten achter op het verwachte verloop" in body


def test_the_programme_tolerance_leaves_small_slips_out(app, login_as, world):
    with app.app_context():
        db.session.get(Programme, world["programme_id"]).tolerance_slip_days = 60
        db.session.commit()
    body = login_as("lead").get(f"/subprojects/{world['a']}/quarter/2026-Q4").get_data(as_text=True)
    section = body.split('id="exception"', 1)[1]
    assert "Eerste cohort gestart" not in section.split("<label", 1)[0]


def test_the_manager_sets_the_tolerances_of_the_programme(app, login_as, world):
    client = login_as("manager")
    path = f"/programmes/{world['programme_id']}/tolerances"
    page = client.get(path)
    assert page.status_code == 200 and 'value="0:10"' in page.get_data(as_text=True)
    response = client.post(
        path, data={"tolerance_slip_days": "14", "tolerance_points": "15", "opened_on": "0:10"}
    )
    assert response.status_code == 302
    with app.app_context():
        programme = db.session.get(Programme, world["programme_id"])
        assert (programme.tolerance_slip_days, programme.tolerance_points) == (14, 15)
        assert db.session.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.entity == "Programme")
        )


def test_tolerances_out_of_range_or_stale_are_refused_and_kept(app, login_as, world):
    client = login_as("manager")
    path = f"/programmes/{world['programme_id']}/tolerances"
    bad = client.post(
        path, data={"tolerance_slip_days": "-1", "tolerance_points": "x", "opened_on": "0:10"}
    )
    assert bad.status_code == 400
    stale = client.post(
        path, data={"tolerance_slip_days": "7", "tolerance_points": "12", "opened_on": "3:10"}
    )
    assert stale.status_code == 409 and 'value="7"' in stale.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Programme, world["programme_id"]).tolerance_slip_days == 0


def test_the_agenda_and_the_report_read_one_query_of_exception_reports(app, login_as, world):
    from sqlalchemy import event

    from tracker.quarters import Quarter
    from tracker.steering import queries

    saved = login_as("lead").post(
        f"/subprojects/{world['a']}/quarter/2026-Q4",
        data=_form(app, world["a"], rag="amber", **REPORT),
    )
    assert saved.status_code == 302
    with app.app_context():
        statements = []
        listen = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            by_subproject = queries.exception_reports_by_subproject(
                world["programme_id"], Quarter(2026, 4)
            )
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
        report = queries.exception_reports(world["programme_id"], Quarter(2026, 4))
    assert [s for s in statements if s.startswith("SELECT")] == statements[-1:]
    assert by_subproject == {row["subproject_id"]: row for row in report.to_dict("records")}
    assert by_subproject[world["a"]]["measure_due"] == date(2027, 1, 31)
    assert by_subproject[world["a"]]["cause"] == "Docententekort"
