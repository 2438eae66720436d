"""``flask --app wsgi run-jobs``: the consumer that runs the queued jobs, beside the web server."""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("run-jobs")
@click.option("--workers", default=1, show_default=True, help="Jobs run at the same time.")
@click.option(
    "--poll",
    default=1.0,
    show_default=True,
    help="Longest wait in seconds between looks at an idle queue.",
)
@with_appcontext
def run_jobs_command(workers: int, poll: float) -> None:
    """Run queued jobs (reports, closing a quarter) until stopped with Ctrl+C or SIGTERM."""
    from tracker.jobs import queue_of

    queue = queue_of(current_app)
    if queue.immediate:
        raise click.UsageError("TRACKER_JOBS_IMMEDIATE is on: jobs run in the web server itself.")
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        for chatty in ("weasyprint", "fontTools"):  # a line per layout step and font subset
            logging.getLogger(chatty).setLevel(logging.WARNING)
    # Threads: a report job spends its time in WeasyPrint and the database, and threads share
    # the app, its engine and its fonts. huey's own signal handling stops it gracefully.
    consumer = queue.huey.create_consumer(
        workers=workers, worker_type="thread", max_delay=poll, scheduler_interval=1
    )
    consumer.run()
