"""The dashboard names what needs the steering group above its charts: amber and red
subprojects with their explanation, status changes, late milestones with days and reason,
lagging indicators, requests until a decision answers them, open decisions and their follow-up,
and who has not reported; in a fixed number of queries."""

import re
from datetime import date, datetime

from conftest import count_queries, exception_report

from tracker.extensions import db
from tracker.models import (
    Action,
    Decision,
    Meeting,
    Milestone,
    MilestoneDateChange,
    QuarterlyUpdate,
    Subproject,
)


def _first_screen(body: str) -> str:
    """The page from the attention list up to the first chart section."""
    start = body.index('id="attention-title"')
    return body[start : body.index('id="headline-title"')]


def _add(app, *records):
    with app.app_context():
        db.session.add_all(records)
        db.session.commit()


def _amber_with_report(subproject) -> list:
    """An amber quarterly update of 2026-Q4 with its exception report."""
    return [
        QuarterlyUpdate(subproject=subproject, quarter="2026-Q4", rag="amber"),
        exception_report(
            subproject.id,
            "2026-Q4",
            cause="Docententekort",
            consequence_time="Later",
            consequence_result="Minder",
            measure="Gastdocenten",
            measure_owner="Vmbo Almere",
            measure_due=date(2027, 1, 31),
        ),
    ]


def test_the_first_screen_names_amber_and_red_subprojects_and_what_is_late(app, login_as, world):
    with app.app_context():
        milestone = db.session.query(Milestone).filter_by(title="Eerste cohort gestart").one()
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
    attention = _first_screen(login_as("steering").get("/dashboard").get_data(as_text=True))
    assert "Vraagt aandacht van de stuurgroep" in attention
    assert f'href="/subprojects/{world["a"]}"' in attention and "Leerlijn" in attention
    assert "Nog geen afwijkingsrapportage over het 4e kwartaal 2026." in attention
    assert "Eerste cohort gestart" in attention and "54 dagen" in attention
    assert "Aanbesteding vertraagd" in attention
    assert "Uitval" in attention and "Buiten koers" in attention
    # neither A nor B has an update for 2026-Q4 yet
    assert "Geen kwartaalrapportage over het 4e kwartaal 2026" in attention
    assert "Maritiem" in attention


def test_a_status_change_since_the_previous_quarter_is_shown_as_such(app, login_as, world):
    with app.app_context():
        a = db.session.get(Subproject, world["a"])
        db.session.add_all(_amber_with_report(a))
        db.session.commit()
    attention = _first_screen(login_as("steering").get("/dashboard").get_data(as_text=True))
    assert "Statuswijzigingen sinds het 3e kwartaal 2026" in attention
    changes = attention.split("Statuswijzigingen sinds het 3e kwartaal 2026", 1)[1]
    assert changes.index("Groen") < changes.index("→") < changes.index("Oranje")
    assert "Oorzaak: Docententekort" in attention and "Maatregel: Gastdocenten" in attention
    assert "31-01-2027" in attention


def test_a_request_stays_until_a_decision_answers_it(app, login_as, world):
    with app.app_context():
        update = db.session.query(QuarterlyUpdate).filter_by(quarter="2026-Q3").one()
        update.decisions_requested = "Extra budget voor gastdocenten"
        meeting = Meeting(programme_id=world["programme_id"], held_on=date(2026, 10, 20), title="S")
        db.session.add(meeting)
        db.session.commit()
        update_id, meeting_id = update.id, meeting.id
    client = login_as("steering")
    assert "Extra budget voor gastdocenten" in _first_screen(client.get("/dashboard").text)
    _add(
        app,
        Decision(
            meeting_id=meeting_id, number=1, text="Later", request_id=update_id, answer="postponed"
        ),
    )
    assert "Extra budget voor gastdocenten" in _first_screen(client.get("/dashboard").text)
    _add(
        app,
        Decision(meeting_id=meeting_id, number=2, text="Ja", request_id=update_id, answer="taken"),
    )
    assert "Extra budget voor gastdocenten" not in _first_screen(client.get("/dashboard").text)


def test_open_decisions_show_their_status_and_open_follow_up(app, login_as, world):
    with app.app_context():
        meeting = Meeting(programme_id=world["programme_id"], held_on=date(2026, 10, 20), title="S")
        decision = Decision(
            meeting=meeting,
            number=1,
            text="Werving docenten starten",
            status="in_progress",
            owner="Programmaregisseur",
        )
        done = Decision(meeting=meeting, number=2, text="Afgerond besluit", status="completed")
        db.session.add_all(
            [
                meeting,
                decision,
                done,
                Action(
                    subproject_id=world["a"],
                    decision=decision,
                    title="Vacature uitzetten",
                    start_date=date(2026, 11, 1),
                    due_date=date(2026, 12, 15),
                    state="running",
                ),
            ]
        )
        db.session.commit()
    attention = _first_screen(login_as("lead").get("/dashboard").text)
    assert "Werving docenten starten" in attention and "In uitvoering" in attention
    assert "Vacature uitzetten" in attention and "15-12-2026" in attention
    assert "Afgerond besluit" not in attention


def test_the_attention_list_runs_a_fixed_number_of_queries(app, login_as, world):
    """A previous meeting is there from the start: it adds the "since the meeting" queries."""
    meeting = Meeting(programme_id=world["programme_id"], held_on=date(2026, 10, 20), title="S")
    _add(app, meeting)
    client = login_as("steering")
    before = count_queries(app, client, "/dashboard")
    with app.app_context():
        meeting = db.session.merge(meeting)
        for n in range(8):
            sub = Subproject(
                programme_id=world["programme_id"],
                municipality_id=db.session.get(Subproject, world["a"]).municipality_id,
                code=f"Y{n}",
                name="Y",
            )
            db.session.add(sub)
            db.session.add(
                QuarterlyUpdate(
                    subproject=sub, quarter="2026-Q3", rag="red", decisions_requested=f"Vraag {n}"
                )
            )
            decision = Decision(meeting=meeting, number=n + 1, text=f"Besluit {n}")
            db.session.add(decision)
            db.session.add(
                Action(
                    subproject=sub,
                    decision=decision,
                    title="Opvolging",
                    start_date=date(2026, 11, 1),
                    due_date=date(2026, 12, 1),
                )
            )
        db.session.commit()
    after = count_queries(app, client, "/dashboard")
    assert after == before <= 21  # 20, and the data version of the dashboard's cache


def test_a_subproject_without_an_explanation_beside_one_with_shows_none_not_nan(
    app, login_as, world
):
    """Two amber subprojects reported this quarter, one with an exception report and one
    without: the one without says so, and no empty field of the other's shows as "nan"."""
    with app.app_context():
        a = db.session.get(Subproject, world["a"])
        b = db.session.get(Subproject, world["b"])
        db.session.add_all(
            [*_amber_with_report(a), QuarterlyUpdate(subproject=b, quarter="2026-Q4", rag="red")]
        )
        db.session.commit()
    attention = _first_screen(login_as("steering").get("/dashboard").get_data(as_text=True))
    assert "Oorzaak: Docententekort" in attention
    assert "Nog geen afwijkingsrapportage over het 4e kwartaal 2026." in attention
    assert not re.search(r"\bnan\b", attention, re.IGNORECASE)


def test_a_cause_and_measure_written_as_sentences_read_as_one_sentence(app, login_as, world):
    """What a lead types usually ends with a full stop; set inside the list's sentence it must
    not read "Docententekort.. Maatregel"."""
    with app.app_context():
        a = db.session.get(Subproject, world["a"])
        update, report = _amber_with_report(a)
        report.cause, report.measure = "Docententekort. ", "Gastdocenten."
        db.session.add_all([update, report])
        db.session.commit()
    attention = _first_screen(login_as("steering").get("/dashboard").get_data(as_text=True))
    assert "Oorzaak: Docententekort. Maatregel: Gastdocenten (Vmbo Almere, 31-01-2027)" in (
        " ".join(attention.split())
    )
