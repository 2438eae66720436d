"""The rules that draft a meeting's agenda, on plain rows (no database)."""

from datetime import date

from tracker.steering import agenda


def _sub(sid, code, lead=None, computed=None):
    return {
        "id": sid,
        "code": code,
        "name": f"Deelproject {code}",
        "lead_rag": lead,
        "computed_rag": computed,
    }


def test_exceptions_are_amber_or_red_by_lead_or_computed_most_urgent_first():
    rows = [
        _sub(1, "DP1", lead="amber"),
        _sub(2, "DP2", lead="green", computed="green"),
        _sub(3, "DP3", lead="green", computed="red"),
        _sub(4, "DP4"),
    ]
    items = agenda.exceptions(rows, {1: {"cause": "Ziekte"}})
    assert [i.code for i in items] == ["DP3", "DP1"]
    assert items[1].report == {"cause": "Ziekte"}
    assert items[0].report is None


def _request(rid, quarter, text="Meer budget", code="DP1"):
    return {"id": rid, "subproject_id": 1, "code": code, "quarter": quarter, "text": text}


def test_a_request_stays_until_taken_or_rejected_and_a_postponed_one_says_so():
    rows = [_request(1, "2026-Q2"), _request(2, "2026-Q3"), _request(3, "2026-Q3")]
    answers = {1: ["postponed"], 2: ["postponed", "taken"], 3: ["rejected"]}
    items = agenda.requests(rows, "2026-Q3", answers, {1: "Instemmen"})
    assert [(i.id, i.postponed, i.advice) for i in items] == [(1, True, "Instemmen")]


def test_a_request_of_a_later_quarter_or_without_text_is_not_on_the_agenda():
    rows = [_request(1, "2026-Q4"), _request(2, "2026-Q3", text="  "), _request(3, "2026-Q1")]
    items = agenda.requests(rows, "2026-Q3", {}, {})
    assert [i.id for i in items] == [3]


def test_requests_are_listed_oldest_first():
    rows = [_request(1, "2026-Q3", code="DP2"), _request(2, "2026-Q2"), _request(3, "2026-Q3")]
    assert [i.id for i in agenda.requests(rows, "2026-Q3", {}, {})] == [2, 3, 1]


def _decision(did, held_on, status="open", due=None, number=1):
    return {
        "id": did,
        "meeting_id": did,
        "held_on": held_on,
        "number": number,
        "text": "Besluit",
        "owner": None,
        "due_date": due,
        "status": status,
    }


def test_earlier_decisions_still_open_with_their_follow_ups():
    follow_up = agenda.FollowUp(7, 1, "DP1", "Gastdocenten", "running", 40, date(2026, 12, 1))
    rows = [
        _decision(1, date(2026, 9, 1), "in_progress", due=date(2026, 10, 1)),
        _decision(2, date(2026, 9, 1), "completed"),
        _decision(3, date(2026, 6, 1), "lapsed"),
        _decision(4, date(2026, 11, 10), "open"),  # the meeting itself
        _decision(5, date(2026, 6, 1), "open", due=date(2026, 12, 31)),
    ]
    items = agenda.decisions(rows, {1: [follow_up]}, before=date(2026, 11, 10))
    assert [d.id for d in items] == [5, 1]
    assert items[1].follow_ups == [follow_up] and items[1].overdue
    assert not items[0].overdue and items[0].owner == ""


def test_draft_is_empty_when_nothing_needs_the_steering_group():
    draft = agenda.draft(
        "2026-Q3", date(2026, 11, 10), [_sub(1, "DP1", "green", "green")], {}, [], {}, {}, [], {}
    )
    assert draft.empty
