"""The job queue: slow work (building a report, closing a quarter, later sending mail) runs on a
huey consumer beside the web server, never inside a web request.

A job is a plain function marked with :func:`job` where it belongs (e.g. ``tracker/reports/
jobs.py``). Every app builds its own huey from its config (:mod:`tracker.jobs.queue`) and registers
every job on it, wrapped so that it runs inside that app's context with a database session of its
own. Anything may enqueue: ``build_report.enqueue(report_id)``. Enqueue after the commit that the
job needs to see: a consumer may start on it at once. This package imports no feature and no
report, so features can enqueue their own jobs (mail) without running up the house.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app

from tracker.jobs.queue import JobQueue

EXTENSION = "jobs"
DEBOUNCE_PREFIX = "debounce:"

_jobs: dict[str, Job] = {}


@dataclass(frozen=True)
class Job:
    """A function the queue can run, by name; ``options`` are huey's (retries, priority, …)."""

    name: str
    function: Callable
    options: dict = field(default_factory=dict)

    def __call__(self, *args, **kwargs):
        """Run it here and now, in the caller's app context (for tests and the CLI)."""
        return self.function(*args, **kwargs)

    def enqueue(self, *args, **kwargs) -> None:
        queue_of(current_app).enqueue(self, args, kwargs)

    def schedule(self, *args, delay: float, **kwargs) -> None:
        """Run it ``delay`` seconds from now (a consumer's scheduler picks it up)."""
        queue_of(current_app).enqueue(self, args, kwargs, delay=delay)

    def debounce(self, key: str, *args, delay: float, **kwargs) -> None:
        """Run it ``delay`` seconds after the last of a burst of calls with the same ``key``.

        Each call stores a new token under ``key`` in the queue's shared storage and schedules
        the job with it; a run whose token is no longer the latest skips itself, so ten saves in
        a minute cause one run, ``delay`` seconds after the last save.
        """
        token = uuid.uuid4().hex
        queue = queue_of(current_app)
        queue.remember(DEBOUNCE_PREFIX + key, token)
        queue.enqueue(_debounced, (self.name, key, token, args, kwargs), {}, delay=delay)


def job(**options) -> Callable[[Callable], Job]:
    """Mark a function as a job. Its module and name are how the queue's storage refers to it:
    keep them while jobs of the old name may still be waiting. ``periodic=crontab(...)`` (from
    huey) also runs it on that schedule wherever a consumer runs."""

    def register(function: Callable) -> Job:
        entry = Job(f"{function.__module__}.{function.__name__}", function, options)
        known = _jobs.get(entry.name)
        if known is not None and known.function is not function:
            raise ValueError(f"two jobs are called {entry.name}")
        _jobs[entry.name] = entry
        return entry

    return register


def registered() -> list[Job]:
    return list(_jobs.values())


def queue_of(app: Flask) -> JobQueue:
    return app.extensions[EXTENSION]


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = JobQueue(app, registered)
    from tracker.jobs.cli import run_jobs_command

    app.cli.add_command(run_jobs_command)


@job()
def _debounced(name: str, key: str, token: str, args: tuple, kwargs: dict) -> None:
    if queue_of(current_app).recall(DEBOUNCE_PREFIX + key) != token:
        return  # a later call scheduled its own run
    _jobs[name].function(*args, **kwargs)
