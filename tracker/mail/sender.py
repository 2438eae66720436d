"""Compose a mail from its templates in the recipient's language and send it once.

Links in a mail are absolute, built from ``BASE_URL`` (``TRACKER_BASE_URL``): a job has no
request to take the host from. The templates are ``templates/mail/<name>.txt`` and ``.html``;
the HTML one is autoescaped like every page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_mail import Connection, Mail, Message
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tracker.extensions import db
from tracker.mail.models import SentMail

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Composed:
    subject: str
    text: str
    html: str


def language_of(user) -> str:
    """The user's own language where the account has one, else the instance's (Dutch)."""
    chosen = getattr(user, "language", None)
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def compose(template: str, locale: str, subject: Callable[[], str], **context) -> Composed:
    """Render ``template`` (text and HTML) and ``subject()`` in ``locale``; in the templates,
    ``link(endpoint, ...)`` is the page's absolute address under ``BASE_URL`` (which holds any
    path prefix the app is served under)."""
    base_url = current_app.config["BASE_URL"].rstrip("/")

    def link(endpoint: str, **values) -> str:
        return base_url + url_for(endpoint, **values)

    with current_app.test_request_context("/"), force_locale(locale):
        return Composed(
            subject=subject(),
            text=render_template(f"mail/{template}.txt", link=link, **context),
            html=render_template(f"mail/{template}.html", link=link, **context),
        )


def send_now(recipient: str, mail: Composed) -> None:
    """Send through the configured SMTP server; without one, write the mail to the log."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        logger.info(
            "No TRACKER_MAIL_SERVER: mail to %s not sent.\nSubject: %s\n\n%s",
            recipient,
            mail.subject,
            mail.text,
        )
        return
    message = Message(
        subject=mail.subject,
        recipients=[recipient],
        body=mail.text,
        html=mail.html,
        sender=config.get("MAIL_DEFAULT_SENDER"),
    )
    state = Mail().init_mail({**config, "MAIL_SUPPRESS_SEND": False})
    with Connection(state) as connection:
        connection.send(message)


def deliver(record: SentMail, recipient: str, mail: Composed) -> bool:
    """Record ``record`` and send ``mail``, in one transaction: False (nothing sent) when a mail
    under the same key was sent before; a failed send records nothing, so a retry sends it."""
    db.session.add(record)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return False
    try:
        send_now(recipient, mail)
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    return True


def sent_keys(quarter: str) -> set[tuple[str, int, int | None, int]]:
    """(kind, user, subproject, occasion) of every mail sent about ``quarter``: one query."""
    rows = db.session.execute(
        select(SentMail.kind, SentMail.user_id, SentMail.subproject_id, SentMail.occasion).where(
            SentMail.quarter == quarter
        )
    )
    return {tuple(row) for row in rows}
