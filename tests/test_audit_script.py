"""The dependency audit fails on a vulnerability and says plainly when it could not run."""

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "audit_dependencies.py"


@pytest.fixture
def audit():
    spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fake_pip_audit(monkeypatch, report: dict | None, stderr: str = ""):
    def run(command, **kwargs):
        if report is not None:
            Path(command[command.index("--output") + 1]).write_text(json.dumps(report))
        return subprocess.CompletedProcess(command, 1 if report is None else 0, "", stderr)

    monkeypatch.setattr(subprocess, "run", run)


def test_a_vulnerable_package_fails_the_build(audit, monkeypatch, capsys):
    report = {
        "dependencies": [
            {
                "name": "flask",
                "version": "0.12",
                "vulns": [{"id": "PYSEC-2018-66", "fix_versions": ["0.12.3"]}],
            },
            {"name": "babel", "version": "2.18.0", "vulns": []},
        ]
    }
    _fake_pip_audit(monkeypatch, report)
    assert audit.main("lock.txt") == 1
    assert "VULNERABLE flask 0.12: PYSEC-2018-66 (fixed in 0.12.3)" in capsys.readouterr().out


def test_a_clean_audit_passes(audit, monkeypatch, capsys):
    _fake_pip_audit(monkeypatch, {"dependencies": [{"name": "babel", "version": "2", "vulns": []}]})
    assert audit.main("lock.txt") == 0
    assert "no known vulnerabilities in 1 locked packages" in capsys.readouterr().out


@pytest.mark.parametrize(
    "report",
    [None, {"dependencies": [{"name": "babel", "version": "2", "skip_reason": "not found"}]}],
)
def test_an_unreachable_service_is_reported_and_does_not_fail(audit, monkeypatch, capsys, report):
    _fake_pip_audit(monkeypatch, report, stderr="ConnectionError: no route")
    assert audit.main("lock.txt") == 0
    assert "pip-audit: NOT RUN" in capsys.readouterr().out
