"""Where a subproject's quarterly update stands in the reporting season, with its vocabulary.
Knows nothing of Flask or a database."""

from __future__ import annotations

from tracker.vocabulary import N_, RichStrEnum, Tone


class SubmissionState(RichStrEnum):
    """A quarter without a submission record is a concept: the lead is still writing."""

    DRAFT = "draft", N_("Concept"), "✎", Tone.GREY, "circle-open", "-", 1
    SUBMITTED = "submitted", N_("Submitted"), "➜", Tone.BLUE, "circle", ".", 2
    RETURNED = "returned", N_("Returned"), "↩", Tone.AMBER, "triangle-up", "/", 0
    APPROVED = "approved", N_("Approved"), "✔", Tone.GREEN, "star", "", 3


SUBMISSION_STATES = tuple(SubmissionState)
