"""The dashboard in a browser: ``make bench`` (or ``python bench/browser.py --scales 1 100``).

For each scale factor S it builds the programme of bench/run.py, serves the app on 127.0.0.1
and opens /dashboard in headless Chromium (Playwright driving Debian's ``chromium``, or
``TRACKER_CHROMIUM``) with an empty browser cache, logged in as a steering-group member, and
measures from the start of the navigation:

- until every chart on the first screen (1280×800) is drawn (when the attention list above the
  charts fills the first screen, the page scrolls itself to its first chart as soon as it is
  parsed, and the charts on that screen count), and until all charts are drawn
  while the page is scrolled to its end one screen at a time (charts below the first screen are
  drawn only when scrolled near, static/js/dashboard.js);
- the JavaScript sent: its size as run (uncompressed) and as transferred (compressed), and the
  same for everything the page loaded.

The server's cache of the board is warm (a steering member opening a dashboard someone opened
before), the browser's cache cold. Writes bench/results_browser.json; exits with status 1 with
``--check`` when a target is missed. Not part of ``make test``: it times things.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import run as generator  # noqa: E402  (bench/run.py)
from flask_migrate import upgrade  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

import tracker.timeutil  # noqa: E402
from tracker import create_app  # noqa: E402
from tracker.auth.models import User  # noqa: E402
from tracker.extensions import db  # noqa: E402

CHROMIUM = os.environ.get("TRACKER_CHROMIUM") or shutil.which("chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORT = {"width": 1280, "height": 800}
PASSWORD = "benchmark-password-1"  # noqa: S105 (a throw-away database)
TARGETS = {"first_screen_ms_s1": 1000, "javascript_bytes_s1": 1_500_000}

# Notes when each chart box gets data-drawn="true", in ms since the navigation started.
RECORD_DRAWN = """
window.__drawn = {};
new MutationObserver(function (changes) {
  changes.forEach(function (change) {
    if (change.target.getAttribute("data-drawn") === "true") {
      window.__drawn[change.target.id] = performance.now();
    }
  });
}).observe(document, {attributes: true, subtree: true, attributeFilter: ["data-drawn"]});
// When the attention list fills the opening screen, scroll to the first chart as soon as the
// page is parsed, as a reader heading for the charts would: in the page, so that the time
// does not include the benchmark's own round trips to the browser.
document.addEventListener("DOMContentLoaded", function () {
  var first = document.querySelector(".chart-canvas");
  window.__chartsOnOpening = !first || first.getBoundingClientRect().top < window.innerHeight;
  if (!window.__chartsOnOpening) {
    first.scrollIntoView();
  }
});
"""
FIRST_SCREEN = """() => Array.from(document.querySelectorAll(".chart-canvas"))
  .filter(c => c.getBoundingClientRect().top < window.innerHeight).map(c => c.id)"""
ALL_CHARTS = """() => Array.from(document.querySelectorAll(".chart-canvas")).map(c => c.id)"""
DRAWN = """ids => ids.every(id => window.__drawn[id] !== undefined)"""


def serve(scale: int, folder: str):
    """The app on a free port, on a generated programme; the steering member's password set."""
    tracker.timeutil.today = lambda: generator.TODAY
    app = create_app(
        {
            "SECRET_KEY": "bench-browser",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
            "QUEUE_URL": f"sqlite:///{folder}/jobs.db",
            "REPORT_REBUILD_DELAY": None,
        }
    )
    with app.app_context():
        upgrade()
        generator.generate(scale)
        user = db.session.query(User).filter_by(role="steering").one()
        user.password_hash = generate_password_hash(PASSWORD)
        db.session.commit()
        email = user.email
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}", email


def log_in(context, base: str, email: str) -> None:
    """Through the login form, with the context's request client: the browser's cache stays
    empty and its cookies get the session."""
    form = context.request.get(f"{base}/login").text()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    answer = context.request.post(
        f"{base}/login",
        form={"email": email, "password": PASSWORD, "csrf_token": token},
        max_redirects=0,
    )
    assert answer.status == 302, answer.status


def measure(browser, base: str, email: str) -> dict:
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=False)
    try:
        log_in(context, base, email)
        page = context.new_page()
        page.add_init_script(RECORD_DRAWN)
        loaded: list = []
        page.on("requestfinished", lambda request: loaded.append(request))
        page.goto(f"{base}/dashboard", wait_until="domcontentloaded")
        on_opening = page.evaluate("window.__chartsOnOpening")
        first = page.evaluate(FIRST_SCREEN)
        page.wait_for_function(DRAWN, arg=first, timeout=60_000)
        first_ms = max(page.evaluate("ids => ids.map(id => window.__drawn[id])", first))
        every = page.evaluate(ALL_CHARTS)
        while not page.evaluate(DRAWN, every):
            page.mouse.wheel(0, VIEWPORT["height"])
            page.wait_for_timeout(50)
            if page.evaluate("window.innerHeight + window.scrollY >= document.body.scrollHeight"):
                page.wait_for_function(DRAWN, arg=every, timeout=60_000)
        all_ms = max(page.evaluate("ids => ids.map(id => window.__drawn[id])", every))
        scripts_ready = page.evaluate(
            "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"
        )
        sizes = [_sizes(request) for request in loaded]
        scripts = [s for s in sizes if s["type"] == "script"]
        return {
            "scripts_ready_ms": round(scripts_ready),
            "first_screen_ms": round(first_ms),
            "all_charts_ms": round(all_ms),
            "charts_first_screen": len(first),
            "charts_on_opening": on_opening,
            "charts": len(every),
            "javascript_bytes": sum(s["body"] for s in scripts),
            "javascript_wire_bytes": sum(s["wire"] for s in scripts),
            "javascript_encodings": sorted({s["encoding"] for s in scripts}),
            "total_bytes": sum(s["body"] for s in sizes),
            "total_wire_bytes": sum(s["wire"] for s in sizes),
        }
    finally:
        context.close()


def _sizes(request) -> dict:
    response = request.response()
    encoding = (response.headers.get("content-encoding") if response else None) or "identity"
    return {
        "type": request.resource_type,
        "body": len(response.body()) if response else 0,
        "wire": request.sizes()["responseBodySize"],
        "encoding": encoding,
    }


def run_scale(browser, scale: int, repeat: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        server, base, email = serve(scale, folder)
        try:
            measure(browser, base, email)  # the server's first request after the data
            runs = [measure(browser, base, email) for _ in range(repeat)]
        finally:
            server.shutdown()
    result = {"scale": scale, "runs": runs}
    for name in ("scripts_ready_ms", "first_screen_ms", "all_charts_ms"):
        result[name] = round(statistics.median(run[name] for run in runs))
    for name in (
        "charts_first_screen",
        "charts_on_opening",
        "charts",
        "javascript_bytes",
        "javascript_wire_bytes",
        "javascript_encodings",
        "total_bytes",
        "total_wire_bytes",
    ):
        result[name] = runs[-1][name]
    return result


def check(results: list[dict]) -> list[str]:
    failures = []
    for r in results:
        if r["scale"] == 1 and r["first_screen_ms"] > TARGETS["first_screen_ms_s1"]:
            failures.append(f"first screen at S=1 after {r['first_screen_ms']} ms")
        if r["scale"] == 1 and r["javascript_bytes"] > TARGETS["javascript_bytes_s1"]:
            failures.append(f"{r['javascript_bytes']} bytes of JavaScript at S=1")
    return failures


def summary(results: list[dict]) -> str:
    load = os.getloadavg()[0]
    lines = [
        "Dashboard in Chromium (cold browser cache, 1280x800, median of the runs)",
        "",
        f"{'S':>4}{'scripts ms':>12}{'first screen ms':>17}{'all charts ms':>15}{'charts':>8}"
        f"{'JS KB':>8}{'JS wire KB':>12}{'all KB':>8}{'all wire KB':>13}",
    ]
    for r in results:
        lines.append(
            f"{r['scale']:>4}{r['scripts_ready_ms']:>12}{r['first_screen_ms']:>17}{r['all_charts_ms']:>15}"
            f"{r['charts_first_screen']:>4}/{r['charts']:<3}"
            f"{r['javascript_bytes'] / 1024:>8.0f}{r['javascript_wire_bytes'] / 1024:>12.0f}"
            f"{r['total_bytes'] / 1024:>8.0f}{r['total_wire_bytes'] / 1024:>13.0f}"
        )
    lines.append(
        "scripts: until plotly.js and dashboard.js have run (DOMContentLoaded);"
        " first screen: until its charts are drawn;"
    )
    lines.append(
        "all charts: scrolled to the end one screen at a time after the first screen was drawn;"
        f" JavaScript sent as {', '.join(results[0]['javascript_encodings'])}"
    )
    if load > (os.cpu_count() or 1):
        lines.append(f"Note: the machine is busy (load {load:.1f}): times are inflated.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results_browser.json"))
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if CHROMIUM is None:
        print("bench/browser.py: NOT RUN, chromium is missing (make browser-deps installs it).")
        return 0
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            results = [run_scale(browser, scale, args.repeat) for scale in args.scales]
        finally:
            browser.close()
    failures = check(results)
    Path(args.output).write_text(
        json.dumps(
            {
                "targets": TARGETS,
                "environment": {"load_average": os.getloadavg(), "cpu_count": os.cpu_count()},
                "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
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
