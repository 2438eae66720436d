"""Command-line commands: seed-demo, create-user, purge-security-events, send-reminders
(purge-contacts lives with the stakeholder register)."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import func, select

from tracker import timeutil
from tracker.auth.models import MIN_PASSWORD_LENGTH, ROLES, User
from tracker.extensions import db
from tracker.projects.models import Programme, Subproject


@click.command("seed-demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Only seed when the database holds no programme.")
@click.option(
    "--demo/--no-demo",
    default=True,
    envvar="TRACKER_DEMO",
    help="TRACKER_DEMO=0 (--no-demo) loads nothing: an install that starts empty.",
)
def seed_demo_command(if_empty: bool, demo: bool) -> None:
    """Load the demo programme Toptechniek in bedrijf Flevoland and its demo users."""
    from tracker.demo.seed import demo_logins, seed_demo

    if not demo:
        click.echo(
            "TRACKER_DEMO=0: no demo loaded. Create the first application manager with "
            "`flask --app wsgi create-user --role admin ...`; after logging in, the start page "
            "guides you through setting up your programme."
        )
        return
    if db.session.scalar(select(func.count(Programme.id))):
        if not if_empty:
            raise click.ClickException(
                "The database already holds a programme; use an empty database."
            )
        click.echo("The database already holds a programme; demo not loaded again.")
        logins = _existing_demo_logins(demo_logins())
    else:
        logins = seed_demo(db.session, timeutil.today())
        db.session.commit()
        click.echo("Demo programme loaded.")
    if logins:
        click.echo("Demo log-ins (role, email address, password):")
    for login in logins:
        click.echo(f"  {login.role:<9} {login.email:<42} {login.password}   ({login.name})")


def _existing_demo_logins(logins):
    """The demo log-ins whose user still exists with its demo password."""
    users = {
        u.email: u
        for u in db.session.scalars(select(User).where(User.email.in_([x.email for x in logins])))
    }
    return [x for x in logins if x.email in users and users[x.email].check_password(x.password)]


@click.command("create-user")
@with_appcontext
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--subproject", "subproject_codes", multiple=True, help="Code of a subproject led.")
@click.password_option(help="At least 12 characters.")
def create_user_command(email: str, name: str, role: str, subproject_codes, password: str) -> None:
    """Create a user with a role; a lead with the subprojects they lead."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.BadParameter(
            f"use at least {MIN_PASSWORD_LENGTH} characters", param_hint="password"
        )
    email = email.strip().lower()
    if db.session.scalar(select(User).where(func.lower(User.email) == email)):
        raise click.ClickException(f"A user with email {email} already exists.")
    user = User(email=email, name=name.strip(), role=role)
    user.set_password(password)
    for code in subproject_codes:
        subproject = db.session.scalar(select(Subproject).where(Subproject.code == code))
        if subproject is None:
            raise click.ClickException(f"No subproject with code {code}.")
        user.led_subprojects.append(subproject)
    if subproject_codes and role != "lead":
        raise click.ClickException("Only a lead can be given subprojects.")
    db.session.add(user)
    db.session.commit()
    click.echo(f"User {email} created with role {role}.")


@click.command("purge-security-events")
@with_appcontext
@click.option(
    "--days",
    type=click.IntRange(min=1),
    help="Keep this many days (default: TRACKER_SECURITY_EVENT_DAYS, 365).",
)
def purge_security_events_command(days: int | None) -> None:
    """Delete security events older than the retention period, and login-failure counts that
    no longer matter. Run it daily (cron or a systemd timer)."""
    from flask import current_app

    from tracker.auth import login_throttle
    from tracker.security_events import queries

    days = days or current_app.config["SECURITY_EVENT_DAYS"]
    now = timeutil.utcnow()
    events = queries.purge(now - timedelta(days=days))
    counts = login_throttle.purge(now)
    db.session.commit()
    click.echo(
        f"Deleted {events} security events older than {days} days and {counts} old "
        "login-failure counts."
    )


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(purge_security_events_command)
    app.cli.add_command(create_user_command)
    from tracker.backup import backup_command, restore_command
    from tracker.stakeholders.commands import purge_contacts_command

    app.cli.add_command(purge_contacts_command)

    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    from tracker.season.cli import send_reminders_command

    app.cli.add_command(send_reminders_command)
