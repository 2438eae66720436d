"""The dashboard's board is rendered once per worker and served from the cache until the data,
the day, the language or the viewer's role change."""

from __future__ import annotations

from datetime import date

from conftest import count_queries, statements_of
from markupsafe import Markup

from tracker.extensions import db
from tracker.reports.fragments import Deferred, FragmentCache, Made


def board(client, path: str = "/dashboard") -> str:
    """The page below the filters (the header holds a CSRF token that differs per request)."""
    return client.get(path).get_data(as_text=True).split('<p class="meta">')[1]


def test_an_unchanged_dashboard_comes_from_the_cache_with_a_handful_of_queries(app, login_as):
    client = login_as("steering")
    first = board(client)
    fresh = count_queries(app, client, "/dashboard?quarter=2026-Q2")
    cached = count_queries(app, client, "/dashboard?quarter=2026-Q2")
    assert cached <= 6 < fresh
    assert board(client) == first


def test_a_saved_change_shows_at_once(app, login_as, world):
    from tracker.models import Milestone

    client = login_as("steering")
    assert "Nieuwe mijlpaal" not in client.get("/dashboard").get_data(as_text=True)
    with app.app_context():
        db.session.add(
            Milestone(
                subproject_id=world["a"],
                title="Nieuwe mijlpaal",
                baseline_date=date(2026, 1, 1),
                planned_date=date(2026, 2, 1),
            )
        )
        db.session.commit()
    assert "Nieuwe mijlpaal" in client.get("/dashboard").get_data(as_text=True)


def test_language_and_filters_each_have_their_own_board(app, login_as, world):
    client = login_as("steering")
    dutch = client.get("/dashboard").get_data(as_text=True)
    with client.session_transaction() as session:
        session["lang"] = "en"
    english = client.get("/dashboard").get_data(as_text=True)
    assert "Mijlpalen per status" in dutch and "Milestones by status" in english
    one = client.get(f"/dashboard?subproject={world['b']}").get_data(as_text=True)
    assert "1 subproject" in one and "2 subprojects" in english


def test_the_cached_board_holds_nothing_of_one_user(app, login_as, world):
    """Another user of the same role gets the same board from the cache, with their own
    header; the board's statements are not run again."""
    from conftest import login, make_user

    with app.app_context():
        make_user("sg2@example.org", "steering", name="Tweede Stuurgroeplid")
        db.session.commit()
    other = app.test_client()
    assert login(other, "sg2@example.org").status_code == 302
    login_as("steering").get("/dashboard")
    statements = statements_of(app, other, "/dashboard")
    assert not any("FROM milestone" in s for s in statements)
    body = other.get("/dashboard").get_data(as_text=True)
    assert "Tweede Stuurgroeplid" in body


def test_the_cache_keeps_the_most_recently_used_parts():
    cache = FragmentCache(size=2)
    a, b, c = (Made(1, 0.0, Markup("A")), Made(1, 0.0, Markup("B")), Made(1, 0.0, Markup("C")))
    cache.put("a", a)
    cache.put("b", b)
    assert cache.get("a") is a
    cache.put("c", c)
    assert cache.get("b") is None and cache.get("a") is a and cache.get("c") is c


def test_deferred_computes_once_and_only_when_read():
    calls = []
    board = Deferred(lambda: calls.append(1) or {"counts": 3})
    assert board and calls == []
    assert board["counts"] == 3 and dict(board) == {"counts": 3}
    assert calls == [1]


class Clock:
    """The fragments' clock, set by hand."""

    def __init__(self, now: float):
        self.now = now

    def time(self) -> float:
        return self.now


def _rename(app, subproject_id: int, name: str) -> None:
    """A change saved by someone who is not looking at the dashboard."""
    from tracker.models import Subproject

    with app.app_context():
        db.session.get(Subproject, subproject_id).name = name
        db.session.commit()


def test_within_the_grace_another_users_change_waits_for_the_next_board(
    app, login_as, world, monkeypatch
):
    """Under DASHBOARD_GRACE_SECONDS a board made from older data is still served for that
    long, and says when it was made; after it, the next view is made anew."""
    from tracker.reports import fragments

    monkeypatch.setitem(app.config, "DASHBOARD_GRACE_SECONDS", 10)
    clock = Clock(1_796_390_000.0)  # 03-12-2026 14:13:20 in Amsterdam
    monkeypatch.setattr(fragments, "time", clock)
    client = login_as("steering")
    first = board(client)
    assert "bijgewerkt om 14:13:20" in first and "Leerlijn" in first
    _rename(app, world["a"], "Hernoemde leerlijn")
    clock.now += 9
    within = board(client)
    assert "Hernoemde leerlijn" not in within and "bijgewerkt om 14:13:20" in within
    clock.now += 2
    after = board(client)
    assert "Hernoemde leerlijn" in after and "bijgewerkt om 14:13:31" in after


def test_whoever_saved_a_change_sees_it_at_once_within_the_grace(
    app, client, login_as, world, monkeypatch
):
    from conftest import login

    from tracker.models import Subproject
    from tracker.reports import fragments

    monkeypatch.setitem(app.config, "DASHBOARD_GRACE_SECONDS", 10)
    clock = Clock(1_796_390_000.0)
    monkeypatch.setattr(fragments, "time", clock)
    steering = login_as("steering")
    assert "Leerlijn" in board(steering)
    manager = app.test_client()
    assert login(manager, world["users"]["manager"]).status_code == 302
    manager.get("/dashboard")
    clock.now += 1
    with app.app_context():
        subproject = db.session.get(Subproject, world["a"])
        form = {"name": "Hernoemde leerlijn", "aim": subproject.aim, "version": subproject.version}
    saved = manager.post(f"/subprojects/{world['a']}/edit", data=form)
    assert saved.status_code == 302
    clock.now += 1
    assert "Hernoemde leerlijn" in board(manager)
    # the steering member's board (their role's own) waits out the grace
    assert "Hernoemde leerlijn" not in board(steering)


def test_a_refused_save_does_not_count_as_a_change(app, client, login_as, world, monkeypatch):
    """A save that is rolled back leaves the viewer's board as it was."""
    from tracker.models import Subproject
    from tracker.reports import fragments

    monkeypatch.setitem(app.config, "DASHBOARD_GRACE_SECONDS", 10)
    clock = Clock(1_796_390_000.0)
    monkeypatch.setattr(fragments, "time", clock)
    manager = login_as("manager")
    manager.get("/dashboard")
    with app.app_context():
        version = db.session.get(Subproject, world["a"]).version
    stale = {"name": "Verouderd formulier", "aim": "x", "version": version - 1}
    assert manager.post(f"/subprojects/{world['a']}/edit", data=stale).status_code == 409
    with manager.session_transaction() as session:
        assert fragments.CHANGED_AT not in session
