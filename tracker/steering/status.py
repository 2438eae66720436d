"""Statuses of the decision log, each with its vocabulary. Knows nothing of Flask or a database."""

from __future__ import annotations

from tracker.vocabulary import N_, RichStrEnum, Tone


class DecisionStatus(RichStrEnum):
    """Where a decision of the steering group stands: open until someone acts on it."""

    OPEN = "open", N_("Open (decision)"), "○", Tone.AMBER, "circle-open", "/", 0
    IN_PROGRESS = "in_progress", N_("In progress"), "◐", Tone.BLUE, "circle", ".", 1
    COMPLETED = "completed", N_("Completed"), "✔", Tone.GREEN, "star", "", 2
    LAPSED = "lapsed", N_("Lapsed"), "–", Tone.GREY, "x", "-", 3


class RequestAnswer(RichStrEnum):
    """How a decision answers what a lead asked. Postponed keeps the request open."""

    TAKEN = "taken", N_("Decided"), "✔", Tone.GREEN, "star", "", 2
    REJECTED = "rejected", N_("Rejected"), "✖", Tone.RED, "x", "x", 1
    POSTPONED = "postponed", N_("Postponed"), "…", Tone.AMBER, "triangle-up", "/", 0


DECISION_STATUSES = tuple(DecisionStatus)
STILL_OPEN = (DecisionStatus.OPEN, DecisionStatus.IN_PROGRESS)
ANSWERED = (RequestAnswer.TAKEN, RequestAnswer.REJECTED)


def answers_request(answer: str | None) -> bool:
    """Whether a decision with ``answer`` settles the request it refers to; a postponement
    keeps the request on the next agenda."""
    return answer in ANSWERED
