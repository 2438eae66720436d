"""Audit the locked (installed, frozen) dependencies with pip-audit.

Fails (exit 1) when a known vulnerability is found. pip-audit asks an online vulnerability
service (PyPI's JSON API or OSV); when that service cannot be reached or cannot look the packages
up, the audit did not happen: this script says so loudly and exits 0, because a network outage
must not block an otherwise green build on a machine without internet. Run `make audit` again
where the service is reachable (CI with internet, a developer's machine) to get a verdict.
"""

from __future__ import annotations

import json
import subprocess  # nosec B404
import sys
import tempfile
from pathlib import Path


def main(lock: str) -> int:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "audit.json"
        command = [
            sys.executable,
            "-m",
            "pip_audit",
            "--requirement",
            lock,
            "--no-deps",
            "--disable-pip",
            "--progress-spinner",
            "off",
            "--format",
            "json",
            "--output",
            str(report),
        ]
        try:
            # A fixed command line of our own, no shell.
            result = subprocess.run(  # noqa: S603  # nosec B603
                command, capture_output=True, text=True, timeout=300, check=False
            )
        except subprocess.TimeoutExpired:
            print("pip-audit: NOT RUN - the vulnerability service did not answer in 300 s.")
            return 0
        data = json.loads(report.read_text()) if report.exists() and report.stat().st_size else None
    if data is None:
        reason = (result.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"pip-audit: NOT RUN - the vulnerability service could not be reached ({reason}).")
        return 0
    dependencies = data.get("dependencies", [])
    skipped = [d for d in dependencies if d.get("skip_reason")]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fix yet"
            print(
                f"VULNERABLE {dependency['name']} {dependency['version']}: {vuln['id']} "
                f"(fixed in {fixes})"
            )
    audited = len(dependencies) - len(skipped)
    if vulnerable:
        print(f"pip-audit: {len(vulnerable)} vulnerable package(s) of {audited} audited.")
        return 1
    if dependencies and not audited:
        print(
            f"pip-audit: NOT RUN - the vulnerability service could not look up any of the "
            f"{len(dependencies)} locked packages (e.g. '{skipped[0]['skip_reason']}')."
        )
        return 0
    note = f"; {len(skipped)} could not be looked up" if skipped else ""
    print(f"pip-audit: no known vulnerabilities in {audited} locked packages{note}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
