"""Every status carries its whole vocabulary, in both languages, and the stylesheets tell each
tone in the very colour the enums give it: red is red on a badge, in the PDF and in a chart."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tracker.indicators.status import IndicatorStatus
from tracker.labels import STATUS_KINDS, any_status, status_of
from tracker.milestones.status import MilestoneStatus
from tracker.projects.status import Rag
from tracker.season.status import SubmissionState
from tracker.steering.status import DecisionStatus, RequestAnswer
from tracker.vocabulary import NoStatus, RichStrEnum, Tone

ROOT = Path(__file__).resolve().parent.parent
DUTCH = ROOT / "translations" / "nl" / "LC_MESSAGES" / "messages.po"
STYLESHEETS = {
    ROOT / "static" / "css" / "app.css": "background",
    ROOT / "static" / "css" / "report.css": "color",
}
ENUMS = (
    MilestoneStatus,
    IndicatorStatus,
    Rag,
    DecisionStatus,
    RequestAnswer,
    SubmissionState,
    NoStatus,
)
MEMBERS = [member for enum in ENUMS for member in enum]
PLOTLY_PATTERNS = {"", "/", "\\", "x", "-", "|", "+", "."}


@pytest.fixture(scope="module")
def dutch():
    with DUTCH.open("rb") as handle:
        return read_po(handle)


def _id(member: RichStrEnum) -> str:
    return f"{type(member).__name__}.{member.name}"


def test_the_status_kinds_are_the_status_enums():
    assert set(STATUS_KINDS.values()) | {NoStatus} == set(ENUMS)


@pytest.mark.parametrize("member", MEMBERS, ids=_id)
def test_every_status_has_a_dutch_label(member, dutch):
    message = dutch.get(member.msgid)
    assert message is not None, f"{member.msgid!r} is not in the Dutch catalogue"
    assert not message.fuzzy
    assert message.string and message.string.strip()


@pytest.mark.parametrize("member", MEMBERS, ids=_id)
def test_every_status_is_told_without_colour_too(member):
    assert member.symbol.strip()
    assert isinstance(member.tone, Tone)
    assert member.marker
    assert member.pattern in PLOTLY_PATTERNS


@pytest.mark.parametrize("enum", ENUMS, ids=lambda enum: enum.__name__)
def test_statuses_of_one_kind_differ_in_urgency_marker_and_label(enum, dutch):
    members = list(enum)
    assert len({m.urgency for m in members}) == len(members)
    assert len({m.marker for m in members}) == len(members)
    assert len({m.msgid for m in members}) == len(members)
    assert len({dutch.get(m.msgid).string for m in members}) == len(members)


@pytest.mark.parametrize("enum", ENUMS, ids=lambda enum: enum.__name__)
def test_order_follows_the_definition(enum):
    assert [m.order for m in enum] == list(range(len(enum)))


def test_a_code_shared_by_two_kinds_is_told_the_same_way():
    """Chart labels find a member by its code alone (``any_status``)."""
    for code in set(MilestoneStatus) & set(IndicatorStatus):
        milestone, indicator = MilestoneStatus(code), IndicatorStatus(code)
        assert (milestone.msgid, milestone.symbol, milestone.tone) == (
            indicator.msgid,
            indicator.symbol,
            indicator.tone,
        )


def test_rag_reads_groen_oranje_rood_in_dutch(dutch):
    assert [dutch.get(m.msgid).string for m in Rag] == ["Groen", "Oranje", "Rood"]
    assert [m.tone for m in Rag] == [Tone.GREEN, Tone.AMBER, Tone.RED]


def test_achieved_late_is_blue():
    assert MilestoneStatus.ACHIEVED_LATE.tone is Tone.BLUE


@pytest.mark.parametrize("missing", [None, "", "none", "nonsense", math.nan])
def test_a_missing_status_shows_as_unknown(missing):
    for kind in STATUS_KINDS:
        assert status_of(missing, kind) is NoStatus.NONE
    assert any_status(missing) is NoStatus.NONE


def test_a_stored_code_finds_its_member():
    assert status_of("achieved_late", "milestone") is MilestoneStatus.ACHIEVED_LATE
    assert status_of("off_track", "indicator") is IndicatorStatus.OFF_TRACK
    assert status_of("red", "rag") is Rag.RED
    assert status_of("red", "milestone") is NoStatus.NONE
    assert any_status("amber") is Rag.AMBER
    assert Rag.labels() == {"green": "Green", "amber": "Amber", "red": "Red"}


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("tone", list(Tone), ids=lambda tone: tone.name)
def test_white_text_on_every_tone_is_readable(tone):
    assert re.fullmatch(r"#[0-9a-f]{6}", tone.colour)
    assert tone.css_class == f"tone-{tone.css_name}"
    assert 1.05 / (_luminance(tone.colour) + 0.05) >= 4.5


def _tone_colours(css: str, prop: str) -> dict[str, set[str]]:
    """Tone class to the colours its rules give ``prop``."""
    found: dict[str, set[str]] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        colours = re.findall(rf"(?<![-\w]){prop}\s*:\s*(#[0-9a-fA-F]{{3,6}})", body)
        for name in re.findall(r"\.(tone-[\w-]+)", selectors):
            found.setdefault(name, set()).update(c.lower() for c in colours)
    return found


@pytest.mark.parametrize("path", list(STYLESHEETS), ids=lambda path: path.name)
def test_stylesheet_gives_each_tone_its_colour(path):
    found = _tone_colours(path.read_text(encoding="utf-8"), STYLESHEETS[path])
    expected = {tone.css_class: {tone.colour} for tone in Tone}
    assert found == expected


@pytest.mark.parametrize("path", list(STYLESHEETS), ids=lambda path: path.name)
def test_stylesheet_keeps_no_class_per_status(path):
    codes = {member.value for member in MEMBERS}
    classes = set(re.findall(r"\.(?:badge|status)-(\w+)", path.read_text(encoding="utf-8")))
    assert not classes & codes


def test_dutch_texts_hold_no_english_jargon(dutch):
    """The steering group reads Dutch: "stoplicht", not "RAG"; "einddatum", not "deadline"."""
    jargon = re.compile(r"\b(RAG|deadline|record|exports?)\b", re.IGNORECASE)
    found = [
        message.id
        for message in dutch
        if message.id and any(jargon.search(form or "") for form in _forms(message.string))
    ]
    assert not found


def _forms(value) -> list[str]:
    return list(value) if isinstance(value, (list, tuple)) else [value]
