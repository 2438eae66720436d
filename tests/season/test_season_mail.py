"""A whole reporting season against a real SMTP server (aiosmtpd, started here on a free port):
the due date is set, the two leads who have not submitted get a reminder and the one who has
does not, a returned update reaches its lead with the comment, the last submission tells the
manager that all updates are in, and running the daily command again sends nothing new."""

from __future__ import annotations

import email
import socket
from datetime import date
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from conftest import login, make_user
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import QuarterlyUpdate, SentMail, Submission, Subproject

BASE_URL = "https://tracker.example.nl"
Q3 = "2026-Q3"


class Inbox:
    """What the SMTP server received, parsed."""

    def __init__(self):
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def inbox(app, monkeypatch):
    received = Inbox()
    controller = Controller(received, hostname="127.0.0.1", port=_free_port())
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", controller.port)
    monkeypatch.setitem(app.config, "MAIL_DEFAULT_SENDER", "tracker@example.nl")
    monkeypatch.setitem(app.config, "BASE_URL", BASE_URL)
    yield received
    controller.stop()


def _text(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    raise AssertionError("no plain-text part")


def _html(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/html":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    raise AssertionError("no HTML part")


def _subject(message: Message) -> str:
    return str(email.header.make_header(email.header.decode_header(message["Subject"])))


@pytest.fixture
def season(app, world):
    """Three subprojects, each with its own lead and a saved quarterly update of 2026-Q3."""
    with app.app_context():
        a, b = db.session.get(Subproject, world["a"]), db.session.get(Subproject, world["b"])
        c = Subproject(
            programme_id=a.programme_id, municipality_id=a.municipality_id, code="C", name="Zorg"
        )
        db.session.add(c)
        make_user("lead.b@example.org", "lead", "Deelprojectleider B", led=[b])
        make_user("lead.c@example.org", "lead", "Deelprojectleider C", led=[c])
        db.session.flush()
        db.session.add_all(
            [
                QuarterlyUpdate(subproject=b, quarter=Q3, rag="green", achieved="Werkplaats"),
                QuarterlyUpdate(subproject=c, quarter=Q3, rag="amber", achieved="Zorgtechniek"),
            ]
        )
        db.session.commit()
        return {**world, "c": c.id}


def _as(client, email_address: str):
    client.post("/logout")
    assert login(client, email_address).status_code == 302


def _submit(client, subproject_id: int, version: str = ""):
    url = f"/subprojects/{subproject_id}/quarter/{Q3}/submit"
    return client.post(url, data={"submission-version": version})


def _version(app, subproject_id: int) -> str:
    with app.app_context():
        record = db.session.scalar(
            select(Submission).where(Submission.subproject_id == subproject_id)
        )
        return str(record.version) if record else ""


def _send_reminders(app, day: date) -> str:
    result = app.test_cli_runner().invoke(args=["send-reminders", "--today", day.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_whole_season_by_mail(app, client, season, inbox):
    _as(client, "manager@example.org")
    terms = f"/programmes/{season['programme_id']}/season/terms"
    assert client.post(terms, data={"due_days": "15", "reminder_days": "5"}).status_code == 302
    _as(client, "lead@example.org")
    assert _submit(client, season["a"]).status_code == 302

    assert "2 mail(s) queued" in _send_reminders(app, date(2026, 10, 12))
    assert sorted(m["To"] for m in inbox.messages) == ["lead.b@example.org", "lead.c@example.org"]
    assert inbox.to("lead@example.org") == []
    reminder = inbox.to("lead.b@example.org")[0]
    assert _subject(reminder) == "Herinnering: update 3e kwartaal 2026 van B"
    text = _text(reminder)
    assert "15-10-2026" in text and "over 3 dagen" in text
    assert f"{BASE_URL}/subprojects/{season['b']}/quarter/2026-Q3" in text
    assert "Leerlijn" not in text and "Zorg" not in text  # nothing of another subproject
    assert "correct-horse" not in text  # no password, ever
    assert f'href="{BASE_URL}/subprojects/{season["b"]}/quarter/2026-Q3"' in _html(reminder)

    assert "0 mail(s) queued" in _send_reminders(app, date(2026, 10, 12))
    assert "0 mail(s) queued" in _send_reminders(app, date(2026, 10, 13))
    assert len(inbox.messages) == 2

    _as(client, "manager@example.org")
    returned = client.post(
        f"/subprojects/{season['a']}/quarter/{Q3}/review",
        data={
            "review-version": "1",
            "review-comment": "Graag de risico's <b>aanvullen</b>.",
            "review-send_back": "1",
        },
    )
    assert returned.status_code == 302
    (notice,) = inbox.to("lead@example.org")
    assert _subject(notice) == "Update 3e kwartaal 2026 van A teruggestuurd"
    assert "Graag de risico's <b>aanvullen</b>." in _text(notice)
    assert "Graag de risico&#39;s &lt;b&gt;aanvullen&lt;/b&gt;." in _html(notice)
    assert "Programmaregisseur" in _text(notice)

    # Past the due date the two who never submitted and the one whose update was returned
    # get the overdue notice.
    assert "3 mail(s) queued" in _send_reminders(app, date(2026, 10, 16))
    overdue = inbox.to("lead.c@example.org")[-1]
    assert _subject(overdue) == "Update 3e kwartaal 2026 van C is te laat"
    assert "1 dag te laat" in _text(overdue)
    assert {m["To"] for m in inbox.messages[-3:]} == {
        "lead@example.org",
        "lead.b@example.org",
        "lead.c@example.org",
    }
    assert "0 mail(s) queued" in _send_reminders(app, date(2026, 10, 17))

    for lead, key in (
        ("lead@example.org", "a"),
        ("lead.b@example.org", "b"),
        ("lead.c@example.org", "c"),
    ):
        _as(client, lead)
        assert _submit(client, season[key], _version(app, season[key])).status_code == 302
    (all_in,) = inbox.to("manager@example.org")
    assert _subject(all_in) == "Alle updates over het 3e kwartaal 2026 zijn binnen"
    text = _text(all_in)
    assert "Alle 3 kwartaalupdates over het 3e kwartaal 2026 van Testprogramma zijn binnen." in text
    count = len(inbox.messages)
    assert "0 mail(s) queued" in _send_reminders(app, date(2026, 10, 20))
    assert len(inbox.messages) == count

    with app.app_context():
        kinds = sorted(db.session.scalars(select(SentMail.kind)))
    assert kinds == ["all_in", *["overdue"] * 3, "reminder", "reminder", "returned"]


def test_a_lead_who_switched_reminders_off_gets_none(app, client, season, inbox):
    _as(client, "lead.b@example.org")
    assert client.post("/account/reminders", data={}).status_code == 302
    _send_reminders(app, date(2026, 10, 12))
    assert inbox.to("lead.b@example.org") == []
    assert len(inbox.to("lead.c@example.org")) == 1
    _send_reminders(app, date(2026, 10, 16))
    assert len(inbox.to("lead.b@example.org")) == 1  # the overdue notice still comes


def test_without_a_mail_server_the_mail_is_logged(app, season, monkeypatch, caplog):
    from tracker.mail import sender

    # Alembic's logging set-up in the test fixture switches off loggers that existed before it.
    monkeypatch.setattr(sender.logger, "disabled", False)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    with caplog.at_level("INFO", logger="tracker.mail.sender"):
        assert "3 mail(s) queued" in _send_reminders(app, date(2026, 10, 12))
    assert "lead.b@example.org" in caplog.text and "Herinnering" in caplog.text
    with app.app_context():
        assert len(db.session.scalars(select(SentMail)).all()) == 3
