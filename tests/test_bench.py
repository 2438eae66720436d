"""`make bench` keeps working: both benchmarks run at their smallest scale and report sensible
figures. No time is asserted here; the targets are the benchmark's own verdicts."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import tracker.timeutil

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _load(file_name: str, module_name: str):
    spec = importlib.util.spec_from_file_location(module_name, BENCH / file_name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dashboard_benchmark_measures_the_logged_in_dashboard(monkeypatch, tmp_path):
    monkeypatch.setattr(tracker.timeutil, "today", tracker.timeutil.today)  # run.py pins today
    run = _load("run.py", "bench_run")
    output = tmp_path / "results.json"
    assert run.main(["--scales", "1", "--repeat", "1", "--output", str(output)]) == 0
    result = json.loads(output.read_text())["results"][0]
    for view in ("programme", "municipality", "subproject"):
        assert 0 < result[view]["queries"] <= 21  # the first request after a change
        assert 0 < result[view]["cached_queries"] < result[view]["queries"]
        assert result[view]["payload_bytes"] > 10_000  # the dashboard itself, not a login page


def test_pdf_benchmark_builds_the_demo_report():
    bench_pdf = _load("pdf.py", "bench_pdf")
    row = bench_pdf.run_scale(1, repeat=1)
    assert row["subprojects"] == 6
    assert row["pages"] > 10 and row["charts_drawn"] == row["charts"] > 0
    assert row["bytes"] > 50_000
    assert row["build_s"] > 0 and row["weasyprint_s"] > 0
    assert bench_pdf.reference_cpu_s() > 0


def test_stored_report_benchmark_serves_the_report_from_storage(monkeypatch):
    monkeypatch.setattr(tracker.timeutil, "today", tracker.timeutil.today)  # stored.py pins today
    stored = _load("stored.py", "bench_stored")
    row = stored.run_scale(1, repeat=2)
    assert row["subprojects"] == 6 and row["bytes"] > 50_000
    # the snapshot, the session and security checks and the download log: a fixed number of
    # statements (bench/stored.py reports them per scale; they do not grow with the data)
    assert 0 < row["queries"] <= 30 and row["median_s"] > 0
