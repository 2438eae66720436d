"""The dashboard's board is rendered once per worker and served from the cache until the data,
the day, the language or the viewer's role change."""

from __future__ import annotations

from datetime import date

from conftest import count_queries, statements_of
from markupsafe import Markup

from tracker.extensions import db
from tracker.reports.fragments import Deferred, FragmentCache


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
    cache.put("a", Markup("A"))
    cache.put("b", Markup("B"))
    assert cache.get("a") == "A"
    cache.put("c", Markup("C"))
    assert cache.get("b") is None and cache.get("a") == "A" and cache.get("c") == "C"


def test_deferred_computes_once_and_only_when_read():
    calls = []
    board = Deferred(lambda: calls.append(1) or {"counts": 3})
    assert board and calls == []
    assert board["counts"] == 3 and dict(board) == {"counts": 3}
    assert calls == [1]
