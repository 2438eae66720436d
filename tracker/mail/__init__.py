"""Mail through SMTP with Flask-Mail, sent from jobs on the queue, never inside a web request.

Settings are read when a mail is sent (``MAIL_SERVER`` and the rest, from ``TRACKER_MAIL_*``).
Without a server the mail is written to the log instead, so an instance that has no SMTP yet
works the same, minus the mail. Every mail sent is recorded (:class:`~tracker.mail.models.
SentMail`) in the same transaction, under a unique key: what was sent once is never sent again.
"""

from flask import Flask
from flask_mail import Mail


def init_app(app: Flask) -> None:
    """Flask-Mail's messages read a setting or two from the app's mail state when they are
    built; the connection itself is made from the settings as they are at send time."""
    Mail().init_app(app)
