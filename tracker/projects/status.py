"""The subproject RAG computed from its milestones and indicators, beside the lead's own RAG."""

from __future__ import annotations

from collections.abc import Iterable

from tracker.indicators import status as indicator_rules
from tracker.milestones import status as milestone_rules
from tracker.vocabulary import N_, RichStrEnum, Tone


class Rag(RichStrEnum):
    """A subproject's status as the lead gives it, or as computed; shown as Groen/Oranje/Rood."""

    GREEN = "green", N_("Green"), "●", Tone.GREEN, "circle", "", 2
    AMBER = "amber", N_("Amber"), "▲", Tone.AMBER, "triangle-up", "/", 1
    RED = "red", N_("Red"), "✖", Tone.RED, "x", "x", 0


GREEN = Rag.GREEN
AMBER = Rag.AMBER
RED = Rag.RED
RAG_ORDER = tuple(Rag)


def computed_rag(
    milestone_statuses: Iterable[str], indicator_statuses: Iterable[str]
) -> str | None:
    """Red when a milestone is overdue or an indicator off track; amber when one is at risk;
    green otherwise. ``None`` when there is nothing to judge (no milestones, no measured
    indicators)."""
    milestones = list(milestone_statuses)
    indicators = [s for s in indicator_statuses if s != indicator_rules.NO_DATA]
    if not milestones and not indicators:
        return None
    if milestone_rules.OVERDUE in milestones or indicator_rules.OFF_TRACK in indicators:
        return RED
    if milestone_rules.AT_RISK in milestones or indicator_rules.AT_RISK in indicators:
        return AMBER
    return GREEN


def rag_disagrees(lead_rag: str | None, computed: str | None) -> bool:
    return lead_rag is not None and computed is not None and lead_rag != computed
