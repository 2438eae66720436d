"""`make run`: the development web server and one job consumer, started together and stopped
together (Ctrl+C, or either of them ending stops the other)."""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLASK = [sys.executable, "-m", "flask", "--app", "wsgi"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="5000")
    args = parser.parse_args()
    signal.signal(signal.SIGINT, signal.default_int_handler)  # also when started in background
    commands = {
        "web server": [*FLASK, "run", "--host", args.host, "--port", args.port],
        "job consumer": [*FLASK, "run-jobs"],
    }
    # The consumer finishes its running job on SIGINT; the web server simply stops.
    stop_with = {"web server": signal.SIGTERM, "job consumer": signal.SIGINT}
    running = {
        name: subprocess.Popen(command, cwd=ROOT)  # noqa: S603 (our own interpreter and app)
        for name, command in commands.items()
    }
    try:
        while all(process.poll() is None for process in running.values()):
            time.sleep(0.3)
    except KeyboardInterrupt:
        pass  # the terminal sent SIGINT to both children too
    ended = [name for name, process in running.items() if process.poll() is not None]
    for name, process in running.items():
        if process.poll() is None:
            process.send_signal(stop_with[name])
    for process in running.values():
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    for name in ended:
        if running[name].returncode not in (0, -signal.SIGINT, -signal.SIGTERM):
            print(f"The {name} stopped (exit status {running[name].returncode}).", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
