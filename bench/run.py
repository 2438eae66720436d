"""Benchmark of the dashboard: ``make bench`` (or ``python bench/run.py --scales 1 100``).

For each scale factor S it builds a fresh SQLite database with the migrations, fills it with bulk
inserts (S=1 is about the demo: 6 subprojects with 5 actions, 5 milestones and 3 indicators each,
6 quarters of measurements; S=100 is 600 subprojects and 100 times everything), then measures
server-side, through the Flask test client:

- GET /dashboard: median and p95 time over repeated requests, SQL queries per request, and the
  HTML + figure payload size; then the median again with the dashboard's cache
  (tracker/reports/fragments.py) emptied before each request: the first request after a change
  in the data ("fresh");
- a bare Flask route returning a fixed page in the same process, and the ratio of the two.

A time or CPU target counts as met only when every view meets it both from the cache and fresh.

Writes bench/results.json and prints a summary. Not part of ``make test``: it times things.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event, insert  # noqa: E402

import tracker.timeutil  # noqa: E402
from tracker import create_app  # noqa: E402
from tracker.auth.models import User, subproject_leads  # noqa: E402
from tracker.auth.sessions import LAST_SEEN, SIGNED_IN_AT  # noqa: E402
from tracker.extensions import db  # noqa: E402
from tracker.indicators.models import Indicator, Measurement  # noqa: E402
from tracker.milestones.models import Milestone, MilestoneDateChange  # noqa: E402
from tracker.projects.models import (  # noqa: E402
    Action,
    Municipality,
    Programme,
    QuarterlyUpdate,
    Subproject,
)
from tracker.quarters import Quarter  # noqa: E402
from tracker.steering.models import Meeting  # noqa: E402

TODAY = date(2026, 11, 24)
MUNICIPALITIES = (
    ("Almere", "GM0034"),
    ("Lelystad", "GM0995"),
    ("Dronten", "GM0303"),
    ("Zeewolde", "GM0050"),
    ("Urk", "GM0184"),
    ("Noordoostpolder", "GM0171"),
)
QUARTERS = [
    str(q)
    for q in (
        Quarter(2025, 2),
        Quarter(2025, 3),
        Quarter(2025, 4),
        Quarter(2026, 1),
        Quarter(2026, 2),
        Quarter(2026, 3),
    )
]
TARGETS = {
    "queries_max": 21,
    "cpu_ms_s1": 20,
    "cpu_ms_s100": 150,
    "median_ms_s1": 100,
    "median_ms_s100": 1000,
    "payload_bytes_s100": 2_000_000,
}
VIEWS = {
    "programme": "/dashboard",
    "municipality": "/dashboard?municipality=1",
    "subproject": "/dashboard?subproject=1",
}


def generate(scale: int, seed: int = 4) -> dict[str, int]:
    """Fill the empty database with a programme of ``6 * scale`` subprojects, in bulk."""
    rng = random.Random(seed)  # noqa: S311 (made-up data, not secrets)
    session = db.session
    programme = Programme(
        name="Benchmarkprogramma",
        aim="Meten",
        start_date=date(2025, 1, 1),
        end_date=date(2028, 12, 31),
    )
    session.add(programme)
    session.flush()
    session.execute(insert(Municipality), [{"name": n, "cbs_code": c} for n, c in MUNICIPALITIES])
    municipality_ids = [m.id for m in session.query(Municipality).order_by(Municipality.id)]
    count = 6 * scale
    session.execute(
        insert(Subproject),
        [
            {
                "programme_id": programme.id,
                "municipality_id": municipality_ids[n % 6],
                "code": f"DP{n + 1:04d}",
                "name": f"Deelproject {n + 1}",
                "aim": "Doel",
                "version": 1,
            }
            for n in range(count)
        ],
    )
    subproject_ids = [s.id for s in session.query(Subproject.id).order_by(Subproject.id)]
    session.execute(
        insert(User),
        [
            {
                "email": "stuurgroep@bench.example",
                "name": "Stuurgroeplid",
                "role": "steering",
                "password_hash": "x",
                "active": True,
            }
        ]
        + [
            {
                "email": f"lead{n}@bench.example",
                "name": f"Trekker {n}",
                "role": "lead",
                "password_hash": "x",
                "active": True,
            }
            for n in range(count)
        ],
    )
    users = dict(session.query(User.email, User.id))
    session.execute(
        insert(subproject_leads),
        [
            {"user_id": users[f"lead{n}@bench.example"], "subproject_id": sid}
            for n, sid in enumerate(subproject_ids)
        ],
    )
    actions, milestones, indicators, updates = [], [], [], []
    for sid in subproject_ids:
        for a in range(5):
            start = date(2025, 1, 1) + timedelta(days=rng.randint(0, 500))
            actions.append(
                {
                    "subproject_id": sid,
                    "title": f"Actie {a}",
                    "description": "",
                    "start_date": start,
                    "due_date": start + timedelta(days=200),
                    "state": rng.choice(["planned", "running", "done"]),
                    "progress": rng.randint(0, 100),
                    "version": 1,
                }
            )
        for m in range(5):
            baseline = date(2025, 6, 1) + timedelta(days=rng.randint(0, 900))
            planned = baseline + timedelta(days=rng.choice([0, 0, 0, 14, 30, 60, 120]))
            achieved = (
                planned + timedelta(days=rng.randint(-20, 20))
                if planned < TODAY and rng.random() < 0.7
                else None
            )
            milestones.append(
                {
                    "subproject_id": sid,
                    "title": f"Mijlpaal {m}",
                    "description": "",
                    "baseline_date": baseline,
                    "planned_date": planned,
                    "forecast_date": None,
                    "achieved_on": achieved if achieved and achieved <= TODAY else None,
                    "at_risk": rng.random() < 0.15,
                    "evidence": "",
                    "version": 1,
                }
            )
        for i in range(3):
            indicators.append(_indicator(programme.id, sid, f"Indicator {i}", rng))
        for q, rag in (
            (QUARTERS[-2], rng.choice(["green", "amber", "red"])),
            (QUARTERS[-1], rng.choice(["green", "amber", "red"])),
        ):
            updates.append(
                {
                    "subproject_id": sid,
                    "quarter": q,
                    "rag": rag,
                    "achieved": "Veel",
                    "next_steps": "Door",
                    "risks": "Weinig",
                    "decisions_requested": "Akkoord op de planning" if rng.random() < 0.2 else "",
                    "updated_at": datetime(2026, 10, 5),
                    "version": 1,
                }
            )
    for _ in range(scale):
        indicators.append(_indicator(programme.id, None, "Programma-indicator", rng))
    session.execute(insert(Action), actions)
    session.execute(insert(Milestone), milestones)
    session.execute(insert(Indicator), indicators)
    session.execute(insert(QuarterlyUpdate), updates)
    moved = [
        {
            "milestone_id": mid,
            "from_date": baseline,
            "to_date": planned,
            "reason": "Later",
            "changed_at": datetime(2026, 1, 1) + timedelta(days=rng.randint(0, 320)),
        }
        for mid, baseline, planned in session.query(
            Milestone.id, Milestone.baseline_date, Milestone.planned_date
        )
        if planned != baseline
    ]
    if moved:
        session.execute(insert(MilestoneDateChange), moved)
    measurements = []
    for iid, baseline, target in session.query(
        Indicator.id, Indicator.baseline_value, Indicator.target_value
    ):
        for n, period in enumerate(QUARTERS):
            share = (n + 1) / 10 * rng.uniform(0.5, 1.3)
            measurements.append(
                {
                    "indicator_id": iid,
                    "period": period,
                    "value": round(baseline + (target - baseline) * share, 1),
                    "note": "",
                    "source": "",
                    "entered_at": datetime.combine(Quarter.parse(period).end, datetime.min.time())
                    + timedelta(days=8),
                    "version": 1,
                }
            )
    session.execute(insert(Measurement), measurements)
    session.execute(
        insert(Meeting),
        [
            {"programme_id": programme.id, "held_on": held, "title": title, "notes": ""}
            for held, title in (
                (date(2025, 2, 6), "Startbijeenkomst"),
                (date(2026, 4, 20), "Stuurgroep voorjaar"),
                (date(2026, 10, 20), "Stuurgroep najaar"),
            )
        ],
    )
    session.commit()
    return {
        "subprojects": count,
        "actions": len(actions),
        "milestones": len(milestones),
        "indicators": len(indicators),
        "measurements": len(measurements),
        "date_changes": len(moved),
        "quarterly_updates": len(updates),
    }


def _indicator(programme_id: int, subproject_id: int | None, name: str, rng) -> dict:
    up = rng.random() < 0.8
    baseline = float(rng.randint(10, 100))
    target = baseline * (2 if up else 0.5)
    return {
        "programme_id": programme_id,
        "subproject_id": subproject_id,
        "name": name,
        "unit": "aantal",
        "definition": "",
        "source": "",
        "direction": "up" if up else "down",
        "baseline_value": baseline,
        "baseline_date": date(2025, 1, 1),
        "target_value": target,
        "target_date": date(2027, 12, 31),
        "frequency": "quarterly",
        "rollup": rng.choice(["last", "last", "mean"]),
        "version": 1,
    }


def timed(client, path: str, repeat: int, cpu: list[float] | None = None, before=None):
    """Wall-clock milliseconds per request; CPU milliseconds of this process into ``cpu``
    (the latter does not grow when other processes share the machine). ``before`` runs before
    each request, untimed (emptying the dashboard's cache to time a first request)."""
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, response.status_code
    return times


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def run_scale(scale: int, repeat: int) -> dict:
    tracker.timeutil.today = lambda: TODAY
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "bench",
                "JOBS_IMMEDIATE": True,  # no queue file; and no background report rebuild
                "REPORT_REBUILD_DELAY": None,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
            }
        )
        bare_page = "<!doctype html><title>bare</title><p>" + "x" * 1000 + "</p>"
        app.add_url_rule("/bench-bare", "bench_bare", lambda: bare_page)
        with app.app_context():
            upgrade()
            start = time.perf_counter()
            sizes = generate(scale)
            generation = time.perf_counter() - start
            steering = db.session.query(User).filter_by(role="steering").first().get_id()
            engine = db.engine
        gc.collect()
        gc.freeze()  # as wsgi.py does after start-up
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = steering
            session["_fresh"] = True
            # else the session checks log the benchmark out
            session[LAST_SEEN] = session[SIGNED_IN_AT] = int(time.time())
        results = {"scale": scale, "rows": sizes, "generation_s": round(generation, 2)}
        for label, path in VIEWS.items():
            timed(client, path, 3)  # warm up: templates, plotly imports, SQLite cache
            statements: list[str] = []
            cached_statements: list[str] = []

            def listener(*args, _statements=statements):
                _statements.append(args[2])

            def cached_listener(*args, _statements=cached_statements):
                _statements.append(args[2])

            app.jinja_env.fragment_cache.clear()
            event.listen(engine, "before_cursor_execute", listener)
            response = client.get(path)
            event.remove(engine, "before_cursor_execute", listener)
            event.listen(engine, "before_cursor_execute", cached_listener)
            client.get(path)
            event.remove(engine, "before_cursor_execute", cached_listener)
            body = response.get_data(as_text=True)
            figure_bytes = sum(
                len(part.split("</script>")[0].encode())
                for part in body.split('<script type="application/json"')[1:]
            )
            cpu: list[float] = []
            times = timed(client, path, repeat, cpu)
            fresh_cpu: list[float] = []
            fresh = timed(
                client, path, repeat, fresh_cpu, before=app.jinja_env.fragment_cache.clear
            )
            results[label] = {
                "path": path,
                "queries": len(statements),
                "cached_queries": len(cached_statements),
                "median_ms": round(statistics.median(times), 1),
                "p95_ms": round(percentile(times, 0.95), 1),
                "median_cpu_ms": round(statistics.median(cpu), 1),
                "fresh_median_ms": round(statistics.median(fresh), 1),
                "fresh_median_cpu_ms": round(statistics.median(fresh_cpu), 1),
                "payload_bytes": len(response.data),
                "figure_json_bytes": figure_bytes,
            }
        bare = timed(client, "/bench-bare", repeat * 3)
        results["bare_median_ms"] = round(statistics.median(bare), 3)
        results["ratio"] = round(results["programme"]["median_ms"] / statistics.median(bare), 1)
        plotly_js = client.get(f"/dashboard/plotly-{_plotly_version()}.min.js")
        results["plotly_js_bytes"] = len(plotly_js.data)
        plotly_js.close()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    return results


def _plotly_version() -> str:
    import plotly

    return plotly.__version__


def check(results: list[dict]) -> list[str]:
    """The issue's targets, as readable failures."""
    failures = []
    by_scale = {r["scale"]: r for r in results}
    queries = {r["scale"]: r["programme"]["queries"] for r in results}
    if len(set(queries.values())) > 1:
        failures.append(f"queries per request differ between scales: {queries}")
    if max(queries.values()) > TARGETS["queries_max"]:
        failures.append(f"more than {TARGETS['queries_max']} queries per request: {queries}")
    for scale, time_limit, cpu_limit in (
        (1, TARGETS["median_ms_s1"], TARGETS["cpu_ms_s1"]),
        (100, TARGETS["median_ms_s100"], TARGETS["cpu_ms_s100"]),
    ):
        if scale not in by_scale:
            continue
        for view in VIEWS:
            failures += _over(by_scale[scale][view], f"S={scale} {view}", time_limit, cpu_limit)
    if (
        100 in by_scale
        and by_scale[100]["programme"]["payload_bytes"] > TARGETS["payload_bytes_s100"]
    ):
        failures.append("payload at S=100 above 2 MB")
    return failures


def _over(figures: dict, name: str, time_limit: float, cpu_limit: float) -> list[str]:
    """A view meets a target only when both the board from the cache and the board built fresh
    (the first request after a change, what a steering member pays after a lead saved) do."""
    failures = []
    for kind, prefix in (("cached", ""), ("fresh", "fresh_")):
        if figures[f"{prefix}median_ms"] > time_limit:
            failures.append(f"{name}, {kind}: median above {time_limit} ms")
        if figures[f"{prefix}median_cpu_ms"] > cpu_limit:
            failures.append(
                f"{name}, {kind}: CPU {figures[f'{prefix}median_cpu_ms']} ms above {cpu_limit} ms"
            )
    return failures


def summary(results: list[dict]) -> str:
    lines = ["Dashboard benchmark (server-side, Flask test client, SQLite)", ""]
    load = os.getloadavg()[0]
    cores = os.cpu_count() or 1
    if load > cores:
        lines += [
            f"Note: the machine is busy (load {load:.1f} on {cores} cores): wall-clock times are",
            "inflated by other processes; the CPU column is this process's own time.",
            "",
        ]
    header = (
        f"{'S':>4} {'view':<13}{'queries':>8}{'cached':>7}{'median ms':>11}{'p95 ms':>9}"
        f"{'CPU ms':>8}{'fresh ms':>10}{'fresh CPU':>10}{'payload KB':>12}"
    )
    lines.append(header)
    for r in results:
        for view in VIEWS:
            v = r[view]
            lines.append(
                f"{r['scale']:>4} {view:<13}{v['queries']:>8}{v['cached_queries']:>7}"
                f"{v['median_ms']:>11.1f}"
                f"{v['p95_ms']:>9.1f}{v['median_cpu_ms']:>8.1f}{v['fresh_median_ms']:>10.1f}"
                f"{v['fresh_median_cpu_ms']:>10.1f}{v['payload_bytes'] / 1024:>12.1f}"
            )
        lines.append(
            f"     bare route median {r['bare_median_ms']:.2f} ms; dashboard/bare = {r['ratio']}x;"
            f" generated {r['rows']['subprojects']} subprojects, {r['rows']['milestones']}"
            f" milestones, {r['rows']['indicators']} indicators,"
            f" {r['rows']['measurements']} measurements in {r['generation_s']} s"
        )
    lines.append(
        "median, p95, CPU: the board from the cache (data unchanged; 'cached' queries);"
        " fresh: the first request after a change ('queries')"
    )
    lines.append(
        f"plotly.js (served once, cached a year): {results[0]['plotly_js_bytes'] / 1024:.0f} KB"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.json"))
    parser.add_argument(
        "--check", action="store_true", help="exit with status 1 when a target is missed"
    )
    args = parser.parse_args(argv)
    results = [run_scale(scale, args.repeat) for scale in args.scales]
    failures = check(results)
    environment = {"load_average": os.getloadavg(), "cpu_count": os.cpu_count()}
    Path(args.output).write_text(
        json.dumps(
            {
                "targets": TARGETS,
                "environment": environment,
                "results": results,
                "failures": failures,
            },
            indent=2,
        )
        + "\n"
    )
    print(summary(results))
    print()
    print("Targets met." if not failures else "Targets NOT met:\n- " + "\n- ".join(failures))
    print(f"Written: {args.output}")
    return 1 if failures and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
