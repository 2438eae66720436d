"""The own account page: who you are, your role and the subprojects you lead."""

from __future__ import annotations

from tests.conftest import count_queries


def test_a_lead_sees_their_role_and_the_subprojects_they_lead(login_as, world):
    page = login_as("lead").get("/account").get_data(as_text=True)
    assert "Deelprojectleider A" in page
    assert "Rol:" in page and "Deelprojectleider" in page
    assert f'href="/subprojects/{world["a"]}"' in page and "A Leerlijn" in page
    assert "Testprogramma" in page
    assert f'href="/subprojects/{world["b"]}"' not in page
    assert "Wijzig je wachtwoord" in page or "wachtwoord" in page


def test_a_role_without_subprojects_sees_none(login_as):
    page = login_as("steering").get("/account").get_data(as_text=True)
    assert "Stuurgroeplid" in page
    assert "deelprojecten die je trekt" not in page.lower()


def test_the_account_page_runs_the_same_queries_for_one_or_many_subprojects(app, login_as, world):
    from tracker.auth.models import User
    from tracker.extensions import db
    from tracker.projects.models import Subproject

    client = login_as("lead")
    one = count_queries(app, client, "/account")
    with app.app_context():
        lead = db.session.query(User).filter_by(email=world["users"]["lead"]).one()
        lead.led_subprojects.append(db.session.get(Subproject, world["b"]))
        db.session.commit()
    assert count_queries(app, client, "/account") == one
