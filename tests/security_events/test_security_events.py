"""The security log: what is written (log-ins, refusals, CSRF failures, role changes, password
resets, downloads), with time, user, address and outcome; the admin's page with filters and
paging; the retention purge."""

from datetime import datetime, timedelta

import pytest
from conftest import PASSWORD, count_queries, login
from sqlalchemy import select

from tracker import timeutil
from tracker.extensions import db
from tracker.models import SecurityEvent, User
from tracker.security_events.queries import PAGE_SIZE


def _events(app, kind=None) -> list[dict]:
    with app.app_context():
        query = select(SecurityEvent, User.email).outerjoin(User).order_by(SecurityEvent.id)
        if kind:
            query = query.where(SecurityEvent.kind == kind)
        rows = [
            {
                "kind": e.kind,
                "outcome": e.outcome,
                "user": email,
                "account": e.account,
                "address": e.address,
                "path": e.path,
                "detail": e.detail,
                "at": e.occurred_at,
            }
            for e, email in db.session.execute(query).all()
        ]
        db.session.remove()
        return rows


def test_log_ins_are_logged_with_user_address_and_outcome(app, client, world):
    lead = world["users"]["lead"]
    login(client, lead, "wrong-password-123")
    login(client, "nobody@example.org", "wrong-password-123")
    client.post(
        "/login",
        data={"email": lead, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "192.0.2.7"},
    )
    events = _events(app, "login")
    assert [(e["outcome"], e["user"], e["detail"]) for e in events] == [
        ("failure", lead, "wrong password"),
        ("failure", None, "unknown account"),
        ("success", lead, ""),
    ]
    assert events[0]["account"] == lead and events[1]["account"] is None
    assert events[2]["address"] == "192.0.2.7" and events[0]["address"] == "127.0.0.1"
    assert all(abs(e["at"] - timeutil.utcnow()) < timedelta(minutes=1) for e in events)
    client.post("/logout")
    assert _events(app, "logout")[0]["user"] == lead


def test_a_throttled_log_in_is_logged_as_refused(app, client, world):
    for _ in range(7):
        login(client, world["users"]["lead"], "wrong-password-123")
    refused = _events(app, "login")[-1]
    assert refused["outcome"] == "refused" and refused["detail"].startswith("throttled")


def test_a_refused_page_is_logged(app, login_as, world):
    client = login_as("lead")
    assert client.get("/users").status_code == 403
    event = _events(app, "access_denied")[-1]
    assert (event["user"], event["path"], event["outcome"]) == (
        world["users"]["lead"],
        "/users",
        "refused",
    )


def test_a_form_without_its_csrf_token_is_logged(app, login_as, world):
    client = login_as("lead")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post(f"/subprojects/{world['a']}/edit", data={"name": "X"}).status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    event = _events(app, "csrf_failed")[-1]
    assert event["user"] == world["users"]["lead"] and event["outcome"] == "refused"


def test_role_changes_deactivation_and_password_resets_are_logged(app, login_as, world):
    client = login_as("admin")
    with app.app_context():
        lead = db.session.scalar(select(User).where(User.email == world["users"]["lead"]))
        lead_id, version = lead.id, lead.version
    data = {"name": "Lead", "role": "steering", "version": str(version)}
    assert client.post(f"/users/{lead_id}/edit", data=data).status_code == 302
    with app.app_context():
        version = db.session.get(User, lead_id).version
    data = {"name": "Lead", "role": "steering", "version": str(version)}  # not active
    assert client.post(f"/users/{lead_id}/edit", data=data).status_code == 302
    password = "een-lang-wachtwoord-2026"
    client.post(
        f"/users/{lead_id}/password", data={"password": password, "password_again": password}
    )
    kinds = [
        (e["kind"], e["user"], e["account"], e["detail"])
        for e in _events(app)
        if e["kind"] not in ("login",)
    ]
    admin, lead_email = world["users"]["admin"], world["users"]["lead"]
    assert ("role_changed", admin, lead_email, "lead → steering") in kinds
    assert ("deactivated", admin, lead_email, "") in kinds
    assert ("password_reset", admin, lead_email, "") in kinds


def test_report_downloads_are_logged(app, login_as, world):
    client = login_as("steering")
    path = f"/exports/{world['programme_id']}/2026-Q3.csv"
    assert client.get(path).status_code == 200
    event = _events(app, "report_downloaded")[-1]
    assert event["user"] == world["users"]["steering"] and event["path"] == path
    assert event["detail"].endswith(".zip") or "2026-Q3" in event["detail"]


def test_events_stay_readable_after_the_user_is_deleted(app, client, world):
    login(client, world["users"]["lead"], "wrong-password-123")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == world["users"]["lead"]))
        user.led_subprojects = []
        db.session.delete(user)
        db.session.commit()
    event = _events(app, "login")[0]
    assert event["user"] is None and event["account"] == world["users"]["lead"]


def _add_events(app, count: int, **fields) -> None:
    with app.app_context():
        start = fields.pop("at", datetime(2026, 11, 1, 12, 0))
        db.session.add_all(
            SecurityEvent(
                occurred_at=start + timedelta(minutes=i),
                kind=fields.get("kind", "login"),
                outcome=fields.get("outcome", "failure"),
                account=fields.get("account", f"user{i}@example.org"),
                address=fields.get("address", "192.0.2.1"),
            )
            for i in range(count)
        )
        db.session.commit()


def test_the_admin_reads_the_log_with_filters_and_pages(app, login_as, world):
    client = login_as("admin")
    _add_events(app, PAGE_SIZE + 20)
    _add_events(
        app,
        3,
        kind="access_denied",
        outcome="refused",
        account="lead@example.org",
        address="198.51.100.4",
        at=datetime(2026, 10, 5, 8, 0),
    )
    page = client.get("/security-events").get_data(as_text=True)
    assert "Beveiligingslog" in page and "Pagina 1 van 2" in page
    assert client.get("/security-events?page=2").status_code == 200
    assert client.get("/security-events?page=99").status_code == 200  # the last page
    only = client.get("/security-events?kind=access_denied").get_data(as_text=True)
    assert "3 gebeurtenissen" in only and "Toegang geweigerd" in only and "198.51.100.4" in only
    assert "3 gebeurtenissen" in client.get("/security-events?account=LEAD@").get_data(as_text=True)
    assert "3 gebeurtenissen" in client.get(
        "/security-events?address=198.51.100.4&outcome=refused"
    ).get_data(as_text=True)
    dated = client.get("/security-events?start=05-10-2026&end=05-10-2026").get_data(as_text=True)
    assert "3 gebeurtenissen" in dated
    link = client.get("/security-events?kind=login").get_data(as_text=True)
    assert "page=2" in link and "kind=login" in link  # the pager keeps the filter


@pytest.mark.parametrize(
    "query",
    [
        "kind=nonsense",
        "start=31-02-2026",
        "start=02-10-2026&end=01-10-2026",
        "outcome=<b>",
        "account=" + "x" * 300,
    ],
)
def test_a_bad_filter_is_a_clear_400(login_as, world, query):
    client = login_as("admin")
    response = client.get(f"/security-events?{query}")
    assert response.status_code == 400


def test_the_log_page_runs_the_same_queries_for_ten_or_a_thousand_events(app, login_as, world):
    client = login_as("admin")
    _add_events(app, 10)
    few = count_queries(app, client, "/security-events")
    _add_events(app, 1000, at=datetime(2026, 9, 1))
    assert count_queries(app, client, "/security-events") == few


def test_purge_keeps_the_retention_period_and_forgets_old_login_counts(app, runner, world):
    now = timeutil.utcnow()
    _add_events(app, 2, at=now - timedelta(days=400))
    _add_events(app, 3, at=now - timedelta(days=30))
    result = runner.invoke(args=["purge-security-events"])
    assert result.exit_code == 0, result.output
    assert "Deleted 2 security events older than 365 days" in result.output
    assert len(_events(app)) == 3
    result = runner.invoke(args=["purge-security-events", "--days", "7"])
    assert "Deleted 3 security events" in result.output
    assert _events(app) == []
