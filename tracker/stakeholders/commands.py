"""``flask purge-contacts``: the retention period of contact persons, run by cron or a timer."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from tracker import timeutil
from tracker.extensions import db
from tracker.stakeholders import privacy, rules


def _cutoff(text: str):
    try:
        return rules.cutoff(timeutil.utcnow(), text)
    except rules.BadAge:
        raise click.BadParameter(
            "a number with d (days), m (months) or y (years), e.g. 730d or 24m",
            param_hint="--older-than",
        ) from None


def _persons(count: int) -> str:
    return f"{count} contact person" + ("" if count == 1 else "s")


@click.command("purge-contacts")
@with_appcontext
@click.option(
    "--older-than",
    "older_than",
    required=True,
    help="Erase contacts not saved or confirmed for this long: 730d, 24m or 2y.",
)
@click.option("--dry-run", is_flag=True, help="List what would be erased; erase nothing.")
def purge_contacts_command(older_than: str, dry_run: bool) -> None:
    """Erase the contact persons whose details were not saved or confirmed for longer than the
    retention period, with their personal data in the audit trail (AVG). Audited."""
    before = _cutoff(older_than)
    since = before.strftime("%d-%m-%Y")
    stale = privacy.stale_contacts(before)
    verb = "Would erase" if dry_run else "Erasing"
    for item in stale:
        click.echo(
            f"  {verb} contact #{item.contact_id} of {item.organisation} "
            f"(last confirmed {item.confirmed_at:%d-%m-%Y})"
        )
    if dry_run:
        click.echo(
            f"Dry run: {_persons(len(stale))} not confirmed since {since} would be erased; "
            "nothing was changed."
        )
        return
    privacy.purge(stale)
    db.session.commit()
    click.echo(
        f"Erased {_persons(len(stale))} not confirmed since {since}, "
        "with their personal data in the audit trail."
    )
