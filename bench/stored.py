"""Benchmark of a stored report: an unchanged programme report downloaded again.

Standalone: ``.venv/bin/python bench/stored.py [--scales 1 10] [--repeat 21]``. Per scale a fresh
SQLite database is filled as in ``bench/pdf.py`` (S=1 the demo, S=10 sixty subprojects); the
first download builds the report (the queue in immediate mode, so the benchmark needs no
consumer), and every later one is what a steering-group member gets once the report is stored:
the snapshot is read and hashed and the stored PDF is sent. Reported: median and p95 wall time
and CPU time of those downloads through the Flask test client, the SQL statements per
download and the PDF's size; the target is a p95 of at most 0.2 s. Results go to
``bench/results_stored.json``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_S = 0.2


def _bench_pdf():
    spec = importlib.util.spec_from_file_location("bench_pdf", ROOT / "bench" / "pdf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_scale(scale: int, repeat: int) -> dict:
    from flask_migrate import upgrade
    from sqlalchemy import event

    import tracker.timeutil
    from tracker import create_app
    from tracker.auth.sessions import LAST_SEEN, SIGNED_IN_AT
    from tracker.extensions import db
    from tracker.models import User
    from tracker.quarters import Quarter

    bench_pdf = _bench_pdf()
    tracker.timeutil.today = lambda: bench_pdf.TODAY
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "bench",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
                "JOBS_IMMEDIATE": True,
                "REPORT_REBUILD_DELAY": None,
            }
        )
        with app.app_context():
            upgrade()
            programme_id = bench_pdf.generate(db.session, scale)
            steering = db.session.query(User).filter_by(role="steering").first().get_id()
            engine = db.engine
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = steering
            session["_fresh"] = True
            # else the session checks log the benchmark out
            session[LAST_SEEN] = session[SIGNED_IN_AT] = int(time.time())
        quarter = Quarter.of(bench_pdf.TODAY).previous()
        url = f"/reports/{programme_id}/{quarter}.pdf"
        started = time.perf_counter()
        first = client.get(url)
        first_s = time.perf_counter() - started
        assert first.status_code == 200 and first.data.startswith(b"%PDF-"), first.status_code
        statements: list[str] = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        client.get(url)
        event.remove(engine, "before_cursor_execute", listener)
        walls, cpus = [], []
        for _ in range(repeat):
            started, cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu)
            assert response.status_code == 200 and response.data == first.data
        with app.app_context():
            db.engine.dispose()
    walls.sort()
    p95 = walls[min(len(walls) - 1, round(0.95 * (len(walls) - 1)))]
    return {
        "scale": scale,
        "subprojects": 6 * scale,
        "quarter": str(quarter),
        "first_download_s": round(first_s, 3),
        "repeat": repeat,
        "median_s": round(statistics.median(walls), 4),
        "p95_s": round(p95, 4),
        "median_cpu_s": round(statistics.median(cpus), 4),
        "queries": len(statements),
        "bytes": len(first.data),
        "target_met": p95 <= TARGET_S,
        "load_average_1min": round(os.getloadavg()[0], 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results_stored.json"))
    args = parser.parse_args(argv)
    rows = []
    for scale in args.scales:
        row = run_scale(scale, args.repeat)
        rows.append(row)
        print(
            f"S={scale} ({row['subprojects']} subprojects): stored report {row['bytes']} bytes, "
            f"median {row['median_s'] * 1000:.0f} ms, p95 {row['p95_s'] * 1000:.0f} ms "
            f"(CPU {row['median_cpu_s'] * 1000:.0f} ms, {row['queries']} queries); "
            f"first download, built: {row['first_download_s']:.1f} s; "
            f"target p95 <= {TARGET_S * 1000:.0f} ms: {'met' if row['target_met'] else 'MISSED'}"
        )
    Path(args.out).write_text(json.dumps({"target_s": TARGET_S, "results": rows}, indent=2))
    return 0 if all(row["target_met"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
