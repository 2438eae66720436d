"""The first-run checklist: which set-up steps a new install still lacks.

Plain Python over a few counts, so the rule is tested without pages. The steps follow the order
in which the set-up depends on itself (a subproject lies in a municipality, a lead leads a
subproject); importing the plan-of-action workbook does the subprojects and indicators at once.
A step is done when its first record exists, so an install that runs stays free of the guide.
"""

from __future__ import annotations

from dataclasses import dataclass

STEPS = ("programme", "municipalities", "subprojects", "leads", "indicators")


@dataclass(frozen=True)
class Facts:
    programme_id: int | None
    municipalities: int
    subprojects: int
    subprojects_with_lead: int
    indicators: int


@dataclass(frozen=True)
class Step:
    key: str
    done: bool
    ready: bool  # the steps it builds on are done, so its page can be opened


@dataclass(frozen=True)
class Checklist:
    steps: tuple[Step, ...]
    facts: Facts

    @property
    def done(self) -> bool:
        return all(step.done for step in self.steps)


def checklist(facts: Facts) -> Checklist:
    has_programme = facts.programme_id is not None
    done = {
        "programme": has_programme,
        "municipalities": facts.municipalities > 0,
        "subprojects": has_programme and facts.subprojects > 0,
        "leads": has_programme and facts.subprojects_with_lead > 0,
        "indicators": has_programme and facts.indicators > 0,
    }
    needs = {
        "programme": (),
        "municipalities": (),
        "subprojects": ("programme", "municipalities"),
        "leads": ("subprojects",),
        "indicators": ("programme",),
    }
    return Checklist(
        tuple(Step(key, done[key], all(done[n] for n in needs[key])) for key in STEPS), facts
    )
