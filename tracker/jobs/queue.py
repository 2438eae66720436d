"""One app's huey, built from its config: SQLite in ``instance/jobs.db`` unless ``QUEUE_URL``
names another SQLite file or a Redis server; ``JOBS_IMMEDIATE`` runs jobs in the caller."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask
from huey import Huey, RedisHuey, SqliteHuey

from tracker.extensions import db

if TYPE_CHECKING:
    from tracker.jobs import Job

QUEUE_NAME = "tracker"
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
SQLITE_PREFIX = "sqlite:///"


class QueueConfigurationError(ValueError):
    pass


def make_huey(queue_url: str, instance_path: str, immediate: bool) -> Huey:
    """``results=False``: jobs report through the database, not through huey's result store."""
    common = {"name": QUEUE_NAME, "results": False, "immediate": immediate, "utc": True}
    if queue_url.startswith(REDIS_SCHEMES):
        return RedisHuey(url=queue_url, **common)
    if queue_url and not queue_url.startswith(SQLITE_PREFIX):
        raise QueueConfigurationError(
            f"TRACKER_QUEUE_URL must start with redis:// or {SQLITE_PREFIX}, not {queue_url!r}"
        )
    filename = Path(queue_url.removeprefix(SQLITE_PREFIX) or Path(instance_path) / "jobs.db")
    if not immediate:
        filename.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(filename=str(filename), **common)


class JobQueue:
    """The app's huey, made on first use (an app that never queues opens no queue storage), with
    every job registered on it to run inside the app's context."""

    def __init__(self, app: Flask, jobs: Callable[[], list[Job]]):
        self.app = app
        self._jobs = jobs
        self._huey: Huey | None = None
        self._tasks: dict[str, Callable] = {}
        self._lock = threading.Lock()

    @property
    def huey(self) -> Huey:
        with self._lock:
            if self._huey is None:
                config = self.app.config
                self._huey = make_huey(
                    config.get("QUEUE_URL") or "",
                    self.app.instance_path,
                    bool(config.get("JOBS_IMMEDIATE")),
                )
            for entry in self._jobs():
                if entry.name not in self._tasks:
                    self._tasks[entry.name] = self._register(entry)
            return self._huey

    def _register(self, entry: Job) -> Callable:
        """A job with a ``periodic`` option (a huey ``crontab``) also runs on that schedule,
        started by the consumer's scheduler; huey names a task by the function's module and
        this name."""
        options = dict(entry.options)
        schedule = options.pop("periodic", None)
        name = entry.function.__name__
        if schedule is None:
            decorator = self._huey.task(name=name, **options)
        else:
            decorator = self._huey.periodic_task(schedule, name=name, **options)
        return decorator(self._in_app_context(entry.function))

    @property
    def immediate(self) -> bool:
        return self.huey.immediate

    def enqueue(self, entry: Job, args: tuple, kwargs: dict, delay: float | None = None) -> None:
        self.huey  # noqa: B018  (registers jobs imported since the last call)
        task = self._tasks[entry.name]
        if delay:
            task.schedule(args=args, kwargs=kwargs, delay=delay)
        else:
            task(*args, **kwargs)

    def remember(self, key: str, value) -> None:
        self.huey.put(key, value)

    def recall(self, key: str):
        return self.huey.get(key, peek=True)

    def _in_app_context(self, function: Callable) -> Callable:
        app = self.app

        @functools.wraps(function)
        def run(*args, **kwargs):
            # A context of its own, also when run immediately inside a request: the job gets its
            # own session and transaction, and leaves the request's untouched.
            with app.app_context():
                try:
                    return function(*args, **kwargs)
                finally:
                    db.session.remove()

        return run
