from sqlalchemy import select

from tracker.extensions import db
from tracker.models import User


def test_create_user_with_role_and_subproject(app, runner, world):
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "New.Lead@Example.org",
            "--name",
            "Deelprojectleider B",
            "--role",
            "lead",
            "--subproject",
            "B",
            "--password",
            "long-enough-pass",
        ]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "new.lead@example.org"))
        assert user.role == "lead"
        assert [s.code for s in user.led_subprojects] == ["B"]
        assert user.check_password("long-enough-pass")


def test_create_user_refuses_short_password_and_duplicates(app, runner, world):
    short = runner.invoke(
        args=[
            "create-user",
            "--email",
            "x@example.org",
            "--name",
            "X",
            "--role",
            "steering",
            "--password",
            "short",
        ]
    )
    assert short.exit_code != 0 and "12" in short.output
    duplicate = runner.invoke(
        args=[
            "create-user",
            "--email",
            world["users"]["lead"],
            "--name",
            "X",
            "--role",
            "lead",
            "--password",
            "long-enough-pass",
        ]
    )
    assert duplicate.exit_code != 0 and "already exists" in duplicate.output


def test_create_user_refuses_unknown_role_and_subproject(runner, world):
    role = runner.invoke(
        args=[
            "create-user",
            "--email",
            "y@example.org",
            "--name",
            "Y",
            "--role",
            "king",
            "--password",
            "long-enough-pass",
        ]
    )
    assert role.exit_code != 0
    code = runner.invoke(
        args=[
            "create-user",
            "--email",
            "y@example.org",
            "--name",
            "Y",
            "--role",
            "lead",
            "--subproject",
            "ZZ",
            "--password",
            "long-enough-pass",
        ]
    )
    assert code.exit_code != 0 and "ZZ" in code.output


def test_seed_demo_loads_the_programme_and_prints_the_log_ins(app, runner):
    from tracker.models import Programme, Subproject

    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "lead.almere@toptechniek.example" in result.output
    assert "demo-lead-almere-2026" in result.output
    with app.app_context():
        assert db.session.scalar(select(Programme.name)) == "Toptechniek in bedrijf Flevoland"
        assert len(db.session.scalars(select(Subproject)).all()) == 6
    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert again.exit_code == 0 and "not loaded again" in again.output
    assert "demo-lead-urk-2026" in again.output
    with app.app_context():
        assert len(db.session.scalars(select(Subproject)).all()) == 6
    refused = runner.invoke(args=["seed-demo"])
    assert refused.exit_code != 0


def test_demo_lead_can_log_in_and_see_the_overview(app, runner, client):
    from conftest import login

    runner.invoke(args=["seed-demo"])
    response = login(client, "lead.urk@toptechniek.example", "demo-lead-urk-2026")
    assert response.status_code == 302
    body = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Toptechniek in bedrijf Flevoland" in body
    for place in ["Almere", "Lelystad", "Dronten", "Zeewolde", "Urk", "Noordoostpolder"]:
        assert place in body


def test_tracker_demo_0_leaves_an_empty_database_empty(app, runner):
    from tracker.models import Programme

    result = runner.invoke(args=["seed-demo", "--if-empty"], env={"TRACKER_DEMO": "0"})
    assert result.exit_code == 0, result.output
    assert "no demo loaded" in result.output and "create-user --role admin" in result.output
    with app.app_context():
        assert db.session.scalar(select(Programme)) is None
        assert db.session.scalar(select(User)) is None
