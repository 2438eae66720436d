"""The main menu stays with the programme a user opened last: a province that set up its own
programme beside the demo is not sent back to the demo by Programme, Dashboard, Reports or
Meetings."""

from __future__ import annotations

from datetime import date, datetime

from tracker.extensions import db
from tracker.models import Programme


def _own_programme(app) -> int:
    with app.app_context():
        own = Programme(
            name="Techniek Noord", start_date=date(2026, 1, 1), end_date=date(2028, 12, 31)
        )
        db.session.add(own)
        db.session.commit()
        return own.id


def _landing(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 302, path
    return response.headers["Location"]


def test_the_menu_goes_to_the_programme_opened_last(app, login_as, world):
    own = _own_programme(app)
    first = world["programme_id"]
    client = login_as("manager")
    assert _landing(client, "/") == f"/programmes/{first}"
    assert client.get(f"/programmes/{own}").status_code == 200
    assert _landing(client, "/") == f"/programmes/{own}"
    assert _landing(client, "/reports") == f"/reports/{own}"
    assert _landing(client, "/meetings") == f"/programmes/{own}/meetings"
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert f'<option value="{own}" selected' in dashboard
    # a choice on the dashboard or the meetings page counts too
    client.get(f"/dashboard?programme={first}")
    assert _landing(client, "/") == f"/programmes/{first}"
    client.get(f"/programmes/{own}/meetings")
    assert _landing(client, "/reports") == f"/reports/{own}"


def test_an_archived_or_deleted_programme_is_not_returned_to(app, login_as, world):
    own = _own_programme(app)
    client = login_as("manager")
    client.get(f"/programmes/{own}")
    with app.app_context():
        db.session.get(Programme, own).archived_at = datetime(2026, 11, 1)
        db.session.commit()
    assert _landing(client, "/") == f"/programmes/{world['programme_id']}"
    with client.session_transaction() as session:
        session["programme_id"] = own + 100
    assert _landing(client, "/") == f"/programmes/{world['programme_id']}"


def test_the_dashboard_filter_takes_the_remembered_programme_only_when_none_is_asked_for(app):
    from tracker.reports.filters import parse_programme

    with app.test_request_context():
        assert parse_programme({}, [1, 2], default=2).programme_id == 2
        assert parse_programme({}, [1, 2], default=7).programme_id == 1
        assert parse_programme({}, [1, 2]).programme_id == 1
        assert parse_programme({"programme": "1"}, [1, 2], default=2).programme_id == 1
        assert "programme" in parse_programme({"programme": "7"}, [1, 2], default=2).errors
