"""``flask send-reminders``: one day's reminders, overdue notices and "all in" mails."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext

from tracker import timeutil


@click.command("send-reminders")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Do the work of this day (YYYY-MM-DD) instead of today's.",
)
@with_appcontext
def send_reminders_command(today) -> None:
    """Queue the mails due today. Safe to run twice: what was sent is not sent again."""
    from tracker.season.mails import send_reminders

    day: date = today.date() if today else timeutil.today()
    queued = send_reminders(day)
    click.echo(f"{queued} mail(s) queued for {day.isoformat()}.")
