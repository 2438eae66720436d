"""Load test: gunicorn with several workers, and simulated users from this (second) process.

    python scripts/loadtest.py --database postgresql --users 50 --duration 60
    python scripts/loadtest.py --database sqlite --users 10 --duration 60

Creates (drops and recreates) a load-test database, migrates it, loads the demo programme, serves
it with gunicorn on 127.0.0.1 and lets simulated users work for --duration seconds: leads save
edits and enter the quarter (update and measurements) on the quarter page; steering-group
members open pages and the dashboard, and now and then download the quarterly PDF, following
its progress page until it is made. The job queue is on a Redis of its own when redis-server is
installed (as in production), else on SQLite. Traffic goes to 127.0.0.1 only; every loop is
bounded in time and count. Reports requests per second and p50/p95/p99 latency per kind of
request, for pages and for report requests, and errors; then checks that every save answered
with success is in the database and in the audit trail, and no other. Exit status 1 on any
error or mismatch, a page p95 above 1 s, or a report asked for and not delivered.

To add a journey, write an action function ``def name(user: SimUser) -> None`` and list it with
a weight in LEAD_ACTIONS or STEERING_ACTIONS.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess  # nosec B404
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
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
class QuarterSave:
    subproject_id: int
    token: str  # the unique "achieved" text of this save
    values: dict[int, float]  # indicator id -> value entered
    status: int


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    saves: list[Save] = field(default_factory=list)
    quarter_saves: list[QuarterSave] = field(default_factory=list)
    reports_requested: int = 0
    reports_delivered: int = 0
    reports_undelivered: Counter = field(default_factory=Counter)
    sequence: int = 0

    def next_number(self) -> int:
        with self.lock:
            self.sequence += 1
            return self.sequence

    def problem(self, error: str) -> None:
        with self.lock:
            self.errors[error] += 1

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
        today = date.today()
        self.current_quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
        previous = date(today.year, (today.month - 1) // 3 * 3 + 1, 1) - timedelta(days=1)
        self.previous_quarter = f"{previous.year}-Q{(previous.month - 1) // 3 + 1}"

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


class _FormFields(HTMLParser):
    """The values a browser would send from a form page: inputs, textareas, selected options."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("checkbox", "submit", "file"):
            self.values[name] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value") or ""

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def save_quarter(user: SimUser) -> None:
    """A lead opens this quarter's page of a subproject they lead, enters a value for every
    indicator and the quarterly update, and saves it all in one form."""
    subproject_id = user.rng.choice(user.led)
    page = user.request("quarter page", "GET", f"/subprojects/{subproject_id}/quarter")
    if page is None or page.status_code != 200:
        return
    action = re.search(r'<form method="post" action="(/subprojects/\d+/quarter/[^"]+)"', page.text)
    if action is None:
        user.stats.record("save quarter", 0, "no form", "quarter page: no quarter form")
        return
    path = action.group(1)
    parser = _FormFields()
    parser.feed(page.text)
    data = parser.values
    number = user.stats.next_number()
    token = f"Belast {user.number}-{number}-{secrets.token_hex(3)}"
    values = {}
    for name in list(data):
        if name.startswith("value_"):
            # unique per save and indicator (so each has its own audit entry), valid for any unit
            value = round(user.stats.next_number() * 0.001 % 100, 3)
            data[name] = f"{value:.3f}".replace(".", ",")
            values[int(name.removeprefix("value_"))] = value
    data.update({"rag": user.rng.choice(["green", "amber", "red"]), "achieved": token})
    # an amber or red quarter (the lead's or computed from the values) needs its exception report
    data.update({name: text for name, text in EXCEPTION_REPORT.items() if name in data})
    response = user.request("save quarter", "POST", path, expect=(302, 409), data=data)
    status = response.status_code if response is not None else 0
    with user.stats.lock:
        user.stats.quarter_saves.append(QuarterSave(subproject_id, token, values, status))


EXCEPTION_REPORT = {
    "cause": "Belasting: docententekort.",
    "consequence_time": "Een kwartaal later.",
    "consequence_result": "Minder leerlingen.",
    "consequence_money": "Geen.",
    "measure": "Gastdocenten.",
    "measure_owner": "Programmaregisseur",
    "measure_due": "31-01-2027",
}


def open_dashboard(user: SimUser) -> None:
    params = {}
    if user.rng.random() < 0.5:
        params["quarter"] = user.current_quarter
    user.request("dashboard", "GET", "/dashboard", params=params)


def download_pdf(user: SimUser) -> None:
    """The quarterly PDF, as a user gets it: at once from storage (200), or a progress page
    (202) whose status URL the user follows, as its script does, until the report is made by
    the consumer beside gunicorn, and then downloads it. Every report asked for must arrive."""
    path = f"/reports/{user.programme_id}/{user.previous_quarter}.pdf"
    with user.stats.lock:
        user.stats.reports_requested += 1
    response = user.request(REPORT + "PDF", "GET", path, expect=(200, 202))
    if response is not None and response.status_code == 202:
        response = follow_progress(user, response)
    delivered = (
        response is not None
        and response.status_code == 200
        and response.headers.get("Content-Type", "").startswith("application/pdf")
    )
    with user.stats.lock:
        if delivered:
            user.stats.reports_delivered += 1
        else:
            why = "no answer" if response is None else f"HTTP {response.status_code}"
            user.stats.reports_undelivered[why] += 1


def follow_progress(user: SimUser, page):
    """Poll the progress page's status URL every 1.5 s (static/js/progress.js) until the job
    is done, at most REPORT_GRACE_SECONDS past the end of the run; then download the build the
    page followed through the link it reveals, as a user does."""
    status_url = re.search(r'data-progress-url="([^"]+)"', page.text)
    download = re.search(r'<p data-progress-ready hidden>\s*<a [^>]*href="([^"]+)"', page.text)
    if status_url is None or download is None:
        user.stats.problem("report: a progress page without its status URL or download link")
        return None
    give_up = user.deadline + REPORT_GRACE_SECONDS
    while time.monotonic() < give_up:
        time.sleep(1.5)
        status = user.request(REPORT + "progress", "GET", status_url.group(1))
        if status is None or status.status_code != 200:
            return None
        answer = status.json()
        if answer.get("done"):
            if answer.get("failed"):
                user.stats.problem("report: the job building it failed")
                return None
            return user.request(REPORT + "PDF", "GET", download.group(1), expect=(200,))
    return None


LEAD_ACTIONS = [(save_subproject_edit, 2), (save_quarter, 2), (open_subproject, 1)]
STEERING_ACTIONS = [
    (open_overview, 2),
    (open_subproject, 3),
    (open_dashboard, 3),
    (download_pdf, 0.25),
]
THINK_SECONDS = 0.2
REPORT = "report: "  # the kinds of request that ask for or follow a report; the rest are pages
REPORT_GRACE_SECONDS = 180  # how long past the run a user waits for a report being made
MAX_PAGE_P95_SECONDS = 1.0


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


def start_server(env, port: int, workers: int, log: Path, threads: int = 1) -> subprocess.Popen:
    """gunicorn's sync workers, or with ``threads`` > 1 its gthread workers."""
    server = subprocess.Popen(  # noqa: S603  # nosec B603
        [
            str(BIN / "gunicorn"),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
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


def start_consumer(env, log: Path) -> subprocess.Popen:
    """The job consumer that builds the reports, beside gunicorn as in production, at a lower
    CPU priority (as systemd's Nice=10 in the README): a PDF build yields the cores to pages."""
    return subprocess.Popen(  # noqa: S603  # nosec B603 (our own flask, fixed arguments)
        [str(BIN / "flask"), "--app", "wsgi", "run-jobs"],
        preexec_fn=lambda: os.nice(10),  # the consumer starts before any user thread
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def start_redis(folder: Path):
    """A Redis of our own on a free port for the job queue, as in production; None (and the
    queue on SQLite) where redis-server is not installed."""
    binary = shutil.which("redis-server")
    if binary is None:
        return None, None
    port = free_port()
    server = subprocess.Popen(  # noqa: S603  # nosec B603 (redis-server, fixed arguments)
        [
            binary,
            "--port",
            str(port),
            "--bind",
            HOST,
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ],
        stdout=(folder / "redis.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    for _ in range(50):
        try:
            with socket.create_connection((HOST, port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                if connection.recv(16).startswith(b"+PONG"):
                    return server, f"redis://{HOST}:{port}/0"
        except OSError:
            pass
        time.sleep(0.1)
    server.kill()
    raise SystemExit("redis-server did not answer within 5 s")


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


def audit_facts(env, since_id: int):
    """The audit entries written after ``since_id``, and the highest id."""
    os.environ.update(env)
    from sqlalchemy import func, select

    from tracker import create_app
    from tracker.audit.models import AuditEntry
    from tracker.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": env["TRACKER_DATABASE_URL"]})
    with app.app_context():
        last = db.session.scalar(select(func.max(AuditEntry.id))) or 0
        entries = [
            (e.entity, e.entity_id, e.action, e.changes)
            for e in db.session.scalars(
                select(AuditEntry).where(AuditEntry.id > since_id).order_by(AuditEntry.id)
            )
        ]
        db.session.remove()
        db.engine.dispose()
    return last, entries


def verify_audit(entries, saves, quarter_saves) -> list[str]:
    """Every successful save has its audit entries, and no other save or change has any:
    one Subproject update per successful edit (with its new name), one QuarterlyUpdate entry
    per successful quarter save (with its unique text) and one Measurement entry per value."""
    problems = []
    names = Counter(
        c["name"][1] for entity, _, action, c in entries if entity == "Subproject" and "name" in c
    )
    tokens = Counter(
        c["achieved"][1]
        for entity, _, _, c in entries
        if entity == "QuarterlyUpdate" and "achieved" in c
    )
    values = Counter(
        round(float(c["value"][1]), 6)
        for entity, _, _, c in entries
        if entity == "Measurement" and "value" in c and c["value"][1] is not None
    )
    for s in saves:
        expected = 1 if s.status == 302 else 0
        if names[s.name] != expected:
            problems.append(f"edit {s.name!r} ({s.status}): {names[s.name]} audit entries")
    for q in quarter_saves:
        expected = 1 if q.status == 302 else 0
        if tokens[q.token] != expected:
            problems.append(f"quarter save {q.token!r} ({q.status}): {tokens[q.token]} entries")
        for indicator_id, value in q.values.items():
            found = values[round(value, 6)]
            if found != expected:
                problems.append(
                    f"quarter save {q.token!r} ({q.status}): value {value} of indicator "
                    f"{indicator_id} in {found} audit entries"
                )
    ok_edits = sum(1 for s in saves if s.status == 302)
    ok_quarters = [q for q in quarter_saves if q.status == 302]
    # an exception report is written with an amber or red quarter: at most one per quarter save
    counted = Counter(entity for entity, *_ in entries if entity != "ExceptionReport")
    reports = sum(1 for entity, *_ in entries if entity == "ExceptionReport")
    if reports > len([q for q in quarter_saves if q.status == 302]):
        problems.append(f"{reports} exception reports for fewer successful quarter saves")
    expected_counts = {
        "Subproject": ok_edits,
        "QuarterlyUpdate": len(ok_quarters),
        "Measurement": sum(len(q.values) for q in ok_quarters),
    }
    for entity, count in counted.items():
        if count != expected_counts.get(entity, 0):
            problems.append(
                f"{count} audit entries of {entity}, expected {expected_counts.get(entity, 0)}"
            )
    return problems


def verify_quarter_saves(env, quarter_saves) -> list[str]:
    """The stored update of each subproject saved on the quarter page is a successful save's."""
    os.environ.update(env)
    from sqlalchemy import select

    from tracker import create_app
    from tracker.extensions import db
    from tracker.models import QuarterlyUpdate

    problems = []
    app = create_app({"SQLALCHEMY_DATABASE_URI": env["TRACKER_DATABASE_URL"]})
    with app.app_context():
        stored = {
            u.achieved: u.subproject_id
            for u in db.session.scalars(
                select(QuarterlyUpdate).where(QuarterlyUpdate.achieved.like("Belast %"))
            )
        }
        db.session.remove()
        db.engine.dispose()
    ok = {q.token for q in quarter_saves if q.status == 302}
    saved_subprojects = {q.subproject_id for q in quarter_saves if q.status == 302}
    for token, subproject_id in stored.items():
        if token not in ok:
            problems.append(f"subproject {subproject_id}: stored update {token!r} was not saved")
    if set(stored.values()) != saved_subprojects:
        problems.append("a subproject with a successful quarter save holds no saved update")
    return problems


def verify_saves(before, after, saves) -> list[str]:
    """Every save answered with success is in the database, and no other: per subproject the
    version rose by exactly the number of successful saves and the stored name is that of a
    successful save (the last one wins; verify_audit checks each save in the audit trail)."""
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
    pages = [x for k, values in stats.latencies.items() if not k.startswith(REPORT) for x in values]
    reports = [x for k, values in stats.latencies.items() if k.startswith(REPORT) for x in values]
    total = len(everything)
    print(f"\n{total} requests in {seconds:.1f} s = {total / seconds:.1f} requests/s")
    print(f"{'kind':<18}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    rows = sorted(stats.latencies.items()) + [
        ("PAGES", pages),
        ("REPORT REQUESTS", reports),
        ("ALL", everything),
    ]
    for kind, values in rows:
        if values:
            print(
                f"{kind:<18}{len(values):>7}{percentile(values, 0.5) * 1000:>9.0f}"
                f"{percentile(values, 0.95) * 1000:>9.0f}{percentile(values, 0.99) * 1000:>9.0f}"
            )
    print(
        f"reports: {stats.reports_requested} asked for, {stats.reports_delivered} delivered"
        + (
            f", not delivered: {dict(stats.reports_undelivered)}"
            if stats.reports_undelivered
            else ""
        )
    )
    print("statuses:", dict(sorted(stats.statuses.items(), key=str)))
    for label, items in (("edit saves", stats.saves), ("quarter saves", stats.quarter_saves)):
        saves = Counter(s.status for s in items)
        print(
            f"{label}: {saves.get(302, 0)} succeeded, {saves.get(409, 0)} refused as "
            f"concurrent (409), {sum(saves.values()) - saves.get(302, 0) - saves.get(409, 0)} "
            f"other"
        )
    locked = server_log.read_text(errors="replace").count("database is locked")
    problems = [f"{count} x {error}" for error, count in stats.errors.items()]
    if pages and percentile(pages, 0.95) > MAX_PAGE_P95_SECONDS:
        problems.append(
            f"page p95 {percentile(pages, 0.95) * 1000:.0f} ms, above "
            f"{MAX_PAGE_P95_SECONDS * 1000:.0f} ms"
        )
    if stats.reports_delivered != stats.reports_requested:
        problems.append(
            f"{stats.reports_requested - stats.reports_delivered} of {stats.reports_requested} "
            "reports asked for were not delivered"
        )
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
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument("--think", type=float, default=THINK_SECONDS, help="max pause, seconds")
    parser.add_argument(
        "--queue",
        choices=["auto", "redis", "sqlite"],
        default="auto",
        help="the job queue's storage; auto: Redis when redis-server is installed, else SQLite",
    )
    args = parser.parse_args()
    THINK_SECONDS = args.think
    sys.path.insert(0, str(ROOT))  # config.py and the tracker package

    from tracker.demo.seed import demo_logins

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = prepare_database(args.database, folder)
        redis, queue_url = start_redis(folder) if args.queue != "sqlite" else (None, None)
        if queue_url is None:
            if args.queue == "redis":
                raise SystemExit("--queue redis: redis-server is not installed")
            print(
                "Note: redis-server is not installed, so the job queue uses SQLite "
                "(production uses Redis: apt-get install redis-server)."
            )
            queue_url = f"sqlite:///{folder / 'jobs.db'}"
        env = {
            **os.environ,
            "TRACKER_ENV": "development",
            "TRACKER_DATABASE_URL": url,
            "TRACKER_SECRET_KEY": secrets.token_hex(32),
            "TRACKER_QUEUE_URL": queue_url,
        }
        flask(env, "db", "upgrade")
        flask(env, "seed-demo")
        programme_id, before, led = programme_facts(env)
        audit_start, _ = audit_facts(env, 0)
        logins = demo_logins()
        leads = [x for x in logins if x.role == "lead"]
        steering = [x for x in logins if x.role == "steering"]
        port = free_port()
        log = folder / "gunicorn.log"
        print(
            f"{args.database}: gunicorn with {args.workers} workers on {HOST}:{port}, "
            f"{args.users} users for {args.duration:.0f} s, job queue on "
            f"{queue_url.split(':')[0]}"
        )
        server = start_server(env, port, args.workers, log, args.threads)
        consumer = start_consumer(env, folder / "consumer.log")
        stats = Stats()
        try:
            deadline = time.monotonic() + args.duration
            threads = []
            for number in range(args.users):
                is_lead = number % 5 < 2  # 40 % leads, 60 % steering-group members
                login = leads[number % len(leads)] if is_lead else steering[0]
                user = SimUser(
                    number,
                    login,
                    f"http://{HOST}:{port}",
                    stats,
                    deadline,
                    led.get(login.email, []),
                    list(before),
                    programme_id,
                )
                actions = LEAD_ACTIONS if is_lead else STEERING_ACTIONS
                threads.append(threading.Thread(target=user.run, args=(actions,), daemon=True))
            started = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=args.duration + REPORT_GRACE_SECONDS + 60)
            elapsed = time.monotonic() - started
        finally:
            consumer.send_signal(signal.SIGINT)
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
            try:
                consumer.wait(timeout=60)
            except subprocess.TimeoutExpired:
                consumer.kill()
            if redis is not None:
                redis.terminate()
                redis.wait(timeout=10)
        problems = report(stats, elapsed, log)
        _, after, _ = programme_facts(env)
        mismatches = verify_saves(before, after, stats.saves)
        mismatches += verify_quarter_saves(env, stats.quarter_saves)
        print(
            "saves in database:",
            "all and only the successful ones"
            if not mismatches
            else f"{len(mismatches)} MISMATCHES",
        )
        _, entries = audit_facts(env, audit_start)
        audit_problems = verify_audit(entries, stats.saves, stats.quarter_saves)
        print(
            f"audit trail: {len(entries)} entries written;",
            "one per successful change, none for refused saves"
            if not audit_problems
            else f"{len(audit_problems)} MISMATCHES",
        )
        mismatches += audit_problems
        for line in problems + mismatches:
            print("PROBLEM:", line)
        return 1 if problems or mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
