"""Load test: gunicorn with several workers, and simulated users from this (second) process.

    python scripts/loadtest.py --database postgresql --users 50 --duration 60
    python scripts/loadtest.py --database sqlite --users 10 --duration 60

Creates (drops and recreates) a load-test database, migrates it, loads the demo programme, serves
it with gunicorn on 127.0.0.1 and lets simulated users work for --duration seconds: leads save
edits, steering-group members open pages. Traffic goes to 127.0.0.1 only; every loop is bounded
in time and count. Reports requests per second, p50/p95/p99 latency and errors, then checks
that every save answered with success is in the database, and no other. Exit status 1 on any
error or mismatch.

To add a journey, write an action function ``def name(user: SimUser) -> None`` and list it with
a weight in LEAD_ACTIONS or STEERING_ACTIONS.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import signal
import socket
import subprocess  # nosec B404
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
MAX_REQUESTS_PER_USER = 20_000
PG_URL = os.environ.get(
    "TRACKER_LOAD_DATABASE_URL", "postgresql+psycopg://tracker:tracker@127.0.0.1/tracker_load"
)


# --- Simulated users --------------------------------------------------------------------------


@dataclass
class Save:
    subproject_id: int
    name: str
    status: int


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    saves: list[Save] = field(default_factory=list)

    def record(self, kind: str, seconds: float, status: int | str, error: str | None) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            self.statuses[status] += 1
            if error:
                self.errors[error] += 1


class SimUser:
    def __init__(self, number, login, base, stats, deadline, led, subprojects, programme_id):
        self.number = number
        self.login = login
        self.base = base
        self.stats = stats
        self.deadline = deadline
        self.led = led
        self.subprojects = subprojects
        self.programme_id = programme_id
        self.http = requests.Session()
        self.rng = random.Random(number)  # noqa: S311  # nosec B311 (choice of page, not secret)
        self.count = 0

    def request(self, kind: str, method: str, path: str, expect=(200,), **kwargs):
        start = time.perf_counter()
        try:
            response = self.http.request(
                method, self.base + path, timeout=30, allow_redirects=False, **kwargs
            )
        except requests.RequestException as error:
            self.stats.record(kind, time.perf_counter() - start, "exception", type(error).__name__)
            return None
        seconds = time.perf_counter() - start
        error = None
        if response.status_code >= 500 or response.status_code not in expect:
            error = f"{kind}: HTTP {response.status_code}"
            if "database is locked" in response.text:
                error += " (database is locked)"
        self.stats.record(kind, seconds, response.status_code, error)
        return response

    def csrf_token(self, html: str) -> str:
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)

    def log_in(self) -> bool:
        page = self.request("login page", "GET", "/login")
        if page is None:
            return False
        response = self.request(
            "log in",
            "POST",
            "/login",
            expect=(302,),
            data={
                "email": self.login.email,
                "password": self.login.password,
                "csrf_token": self.csrf_token(page.text),
            },
        )
        return response is not None and response.status_code == 302

    def run(self, actions) -> None:
        if not self.log_in():
            return
        functions = [f for f, _ in actions]
        weights = [w for _, w in actions]
        while time.monotonic() < self.deadline and self.count < MAX_REQUESTS_PER_USER:
            self.rng.choices(functions, weights)[0](self)
            self.count += 1
            time.sleep(self.rng.uniform(0, THINK_SECONDS))


def open_overview(user: SimUser) -> None:
    user.request("overview", "GET", f"/programmes/{user.programme_id}")


def open_subproject(user: SimUser) -> None:
    user.request("subproject page", "GET", f"/subprojects/{user.rng.choice(user.subprojects)}")


def save_subproject_edit(user: SimUser) -> None:
    """A lead opens the edit form of a subproject they lead and saves a new name."""
    subproject_id = user.rng.choice(user.led)
    path = f"/subprojects/{subproject_id}/edit"
    form = user.request("edit form", "GET", path)
    if form is None or form.status_code != 200:
        return
    version = re.search(r'name="version" type="hidden" value="(\d+)"', form.text).group(1)
    name = f"Belast {user.number}-{user.count}-{secrets.token_hex(3)}"
    response = user.request(
        "save edit",
        "POST",
        path,
        expect=(302, 409),  # 409: another session of this lead saved the same subproject first
        data={
            "name": name,
            "aim": "Tekst uit de belastingtest.",
            "version": version,
            "csrf_token": user.csrf_token(form.text),
        },
    )
    status = response.status_code if response is not None else 0
    with user.stats.lock:
        user.stats.saves.append(Save(subproject_id, name, status))


# After the quarter form, dashboard and PDF are merged: add e.g. (save_quarterly_update, 3) to
# LEAD_ACTIONS and (open_dashboard, 3), (download_pdf, 1) to STEERING_ACTIONS.
LEAD_ACTIONS = [(save_subproject_edit, 3), (open_subproject, 1)]
STEERING_ACTIONS = [(open_overview, 2), (open_subproject, 3)]
THINK_SECONDS = 0.2


# --- Set-up, server, verification -------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def prepare_database(kind: str, folder: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{folder / 'load.db'}"
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(PG_URL)
    admin = url.set(drivername="postgresql", database="postgres")
    with psycopg.connect(
        admin.render_as_string(hide_password=False), autocommit=True
    ) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{url.database}"')
    return PG_URL


def flask(env, *args) -> None:
    subprocess.run(  # noqa: S603  # nosec B603 (our own flask, fixed arguments)
        [str(BIN / "flask"), "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def start_server(env, port: int, workers: int, log: Path) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603  # nosec B603
        [
            str(BIN / "gunicorn"),
            "--workers",
            str(workers),
            "--bind",
            f"{HOST}:{port}",
            "--timeout",
            "60",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    for _ in range(120):
        try:
            if requests.get(f"http://{HOST}:{port}/login", timeout=2).status_code == 200:
                return server
        except requests.RequestException:
            pass
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped; see {log}")
        time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def programme_facts(env):
    """Programme id, subproject ids and versions, and each demo lead's subprojects."""
    os.environ.update(env)
    from sqlalchemy import select

    from tracker import create_app
    from tracker.extensions import db
    from tracker.models import Programme, Subproject, User

    app = create_app({"SQLALCHEMY_DATABASE_URI": env["TRACKER_DATABASE_URL"]})
    with app.app_context():
        programme_id = db.session.scalar(select(Programme.id))
        subprojects = {s.id: (s.name, s.version) for s in db.session.scalars(select(Subproject))}
        led = {
            u.email: [s.id for s in u.led_subprojects]
            for u in db.session.scalars(select(User).where(User.role == "lead"))
        }
        db.session.remove()
        db.engine.dispose()
    return programme_id, subprojects, led


def verify_saves(before, after, saves) -> list[str]:
    """Every save answered with success is in the database, and no other: per subproject the
    version rose by exactly the number of successful saves and the stored name is that of a
    successful save (the last one wins; issue 3's audit trail will let this check each save)."""
    problems = []
    for subproject_id, (old_name, old_version) in before.items():
        name, version = after[subproject_id]
        mine = [s for s in saves if s.subproject_id == subproject_id]
        ok = {s.name for s in mine if s.status == 302}
        refused = {s.name for s in mine if s.status != 302}
        if version - old_version != len(ok):
            problems.append(
                f"subproject {subproject_id}: {len(ok)} successful saves but version "
                f"{old_version} -> {version}"
            )
        if ok and name not in ok:
            problems.append(f"subproject {subproject_id}: stored name {name!r} was not saved")
        if not ok and name != old_name:
            problems.append(f"subproject {subproject_id}: changed without a successful save")
        if name in refused:
            problems.append(f"subproject {subproject_id}: a refused save {name!r} is stored")
    return problems


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def report(stats: Stats, seconds: float, server_log: Path) -> list[str]:
    everything = [x for values in stats.latencies.values() for x in values]
    total = len(everything)
    print(f"\n{total} requests in {seconds:.1f} s = {total / seconds:.1f} requests/s")
    print(f"{'kind':<18}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for kind, values in sorted(stats.latencies.items()) + [("ALL", everything)]:
        if values:
            print(
                f"{kind:<18}{len(values):>7}{percentile(values, .5) * 1000:>9.0f}"
                f"{percentile(values, .95) * 1000:>9.0f}{percentile(values, .99) * 1000:>9.0f}"
            )
    print("statuses:", dict(sorted(stats.statuses.items(), key=str)))
    saves = Counter(s.status for s in stats.saves)
    print(f"saves: {saves.get(302, 0)} succeeded, {saves.get(409, 0)} refused as concurrent "
          f"(409), {sum(saves.values()) - saves.get(302, 0) - saves.get(409, 0)} other")
    locked = server_log.read_text(errors="replace").count("database is locked")
    problems = [f"{count} x {error}" for error, count in stats.errors.items()]
    if locked:
        problems.append(f"'database is locked' {locked} times in the server log")
    print(f"errors: {sum(stats.errors.values())}; 'database is locked' in server log: {locked}")
    return problems


def main() -> int:
    global THINK_SECONDS
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--think", type=float, default=THINK_SECONDS, help="max pause, seconds")
    args = parser.parse_args()
    THINK_SECONDS = args.think
    sys.path.insert(0, str(ROOT))  # config.py and the tracker package

    from tracker.projects.demo import demo_logins

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = prepare_database(args.database, folder)
        env = {
            **os.environ,
            "TRACKER_ENV": "development",
            "TRACKER_DATABASE_URL": url,
            "TRACKER_SECRET_KEY": secrets.token_hex(32),
            # every simulated user comes from 127.0.0.1: lift the per-address login throttle
            "TRACKER_LOGIN_LIMIT_PER_ADDRESS": "100000 per minute",
        }
        flask(env, "db", "upgrade")
        flask(env, "seed-demo")
        programme_id, before, led = programme_facts(env)
        logins = demo_logins()
        leads = [x for x in logins if x.role == "lead"]
        steering = [x for x in logins if x.role == "steering"]
        port = free_port()
        log = folder / "gunicorn.log"
        print(f"{args.database}: gunicorn with {args.workers} workers on {HOST}:{port}, "
              f"{args.users} users for {args.duration:.0f} s")
        server = start_server(env, port, args.workers, log)
        stats = Stats()
        try:
            deadline = time.monotonic() + args.duration
            threads = []
            for number in range(args.users):
                is_lead = number % 5 < 2  # 40 % leads, 60 % steering-group members
                login = leads[number % len(leads)] if is_lead else steering[0]
                user = SimUser(number, login, f"http://{HOST}:{port}", stats, deadline,
                               led.get(login.email, []), list(before), programme_id)
                actions = LEAD_ACTIONS if is_lead else STEERING_ACTIONS
                threads.append(threading.Thread(target=user.run, args=(actions,), daemon=True))
            started = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=args.duration + 60)
            elapsed = time.monotonic() - started
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        problems = report(stats, elapsed, log)
        _, after, _ = programme_facts(env)
        mismatches = verify_saves(before, after, stats.saves)
        print("saves in database:", "all and only the successful ones" if not mismatches
              else f"{len(mismatches)} MISMATCHES")
        for line in problems + mismatches:
            print("PROBLEM:", line)
        return 1 if problems or mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
