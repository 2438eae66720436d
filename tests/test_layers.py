"""The house has one way down: a feature never imports the reporting layer (or the demo) above
it, and the quarter lock stays below the models that wear it. Read from the source, so an
import hidden inside a function counts too."""

import ast
from pathlib import Path

import pytest

TRACKER = Path(__file__).resolve().parent.parent / "tracker"
FEATURES = (
    "auth",
    "projects",
    "milestones",
    "indicators",
    "audit",
    "quarters",
    "setup",
    "steering",
    "security_events",
    "stakeholders",
    "season",
    "mail",
    "events",
    "imports",
)
GROUND = ("vocabulary.py", "tables.py", "spreadsheets.py", "numbers.py", "timeutil.py")

# package or module -> the tracker modules it may never import
FORBIDDEN = {
    **{feature: ("tracker.reports", "tracker.demo") for feature in FEATURES},
    "quarters": (
        "tracker.reports",
        "tracker.demo",
        "tracker.projects",
        "tracker.milestones",
        "tracker.indicators",
    ),
    **{module: ("tracker",) for module in GROUND},
    # The queue runs jobs of any floor; features enqueue their own (mail), so it sits below them.
    "jobs": (
        "tracker.reports",
        "tracker.demo",
        *(f"tracker.{feature}" for feature in FEATURES),
    ),
}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module ``path`` imports, at any depth of the file, with its line."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def _files(place: str) -> list[Path]:
    target = TRACKER / place
    return sorted(target.rglob("*.py")) if target.is_dir() else [target]


@pytest.mark.parametrize("place", sorted(FORBIDDEN))
def test_no_import_runs_up_the_house(place):
    rules = FORBIDDEN[place]
    offences = [
        f"{path.relative_to(TRACKER.parent)}:{line} imports {module}"
        for path in _files(place)
        for line, module in imported_modules(path)
        if any(module == rule or module.startswith(rule + ".") for rule in rules)
    ]
    assert offences == []


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "late.py"
    module.write_text("def f():\n    from tracker.reports import pdf\n    return pdf\n")
    assert (2, "tracker.reports") in imported_modules(module)
