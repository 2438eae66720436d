"""The Dutch catalogue translates every interface message; English uses the msgids themselves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
DUTCH = TRANSLATIONS / "nl" / "LC_MESSAGES" / "messages.po"
ENGLISH = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"

PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifr]")


def _read(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def _forms(value) -> list[str]:
    """A message id or string as a list of its forms (one unless plural)."""
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.fixture(scope="module")
def template():
    return _read(TEMPLATE)


@pytest.fixture(scope="module")
def dutch():
    return _read(DUTCH)


def test_english_catalogue_exists():
    assert ENGLISH.is_file()
    assert str(_read(ENGLISH).locale) == "en"


def test_dutch_catalogue_header(dutch):
    assert str(dutch.locale) == "nl"
    assert not dutch.fuzzy


def test_every_message_translated_into_dutch(template, dutch):
    ids = [message.id for message in template if message.id]
    assert ids, "the template holds no messages"
    problems = []
    for msgid in ids:
        message = dutch.get(msgid)
        if message is None:
            problems.append(f"missing: {msgid!r}")
        elif message.fuzzy:
            problems.append(f"fuzzy: {msgid!r}")
        elif not all(form and form.strip() for form in _forms(message.string)):
            problems.append(f"untranslated: {msgid!r}")
    assert not problems, "\n".join(problems)


def test_placeholders_match(dutch):
    problems = []
    for message in dutch:
        if not message.id:
            continue
        expected = _placeholders(_forms(message.id)[0])
        for form in _forms(message.string):
            if form and _placeholders(form) != expected:
                problems.append(f"{message.id!r}: {form!r}")
    assert not problems, "\n".join(problems)


def test_a_milestones_first_planned_date_has_one_dutch_name():
    """ "Oorspronkelijke datum" everywhere: not "basisdatum", and never the indicators'
    "nulmeting" (a measurement) for a milestone's date."""
    catalogue = _read(DUTCH)
    for message in catalogue:
        if not message.id:
            continue
        text = " ".join(_forms(message.string)).lower()
        assert "basisdatum" not in text, message.id
        ids = " ".join(_forms(message.id)).lower()
        if "milestone" in ids and "baseline" in ids:
            assert "nulmeting" not in text, message.id
    assert catalogue["Baseline date"].string == "Oorspronkelijke datum"


# The pronouns as whole words; a letter in an abbreviation or a path ("t.a.v.", "PDF/U") is not one.
FORMAL = re.compile(r"(?<![\w./-])(u|uw|uzelf|U|Uw|Uzelf)(?![\w./-])")
INFORMAL = re.compile(r"(?<![\w./-])(je|jou|jouw|jij|jezelf|Je|Jou|Jouw|Jij|Jezelf)(?![\w./-])")


def test_the_user_is_addressed_one_way_as_je():
    """Many Dutch government apps write "je"; so does most of this catalogue. One text saying
    "u" beside another saying "je" reads as two authors, so "u" and "uw" are refused."""
    formal = []
    informal = 0
    for message in _read(DUTCH):
        if not message.id:
            continue
        text = PLACEHOLDER.sub("", " ".join(form for form in _forms(message.string) if form))
        if FORMAL.search(text):
            formal.append(f"{message.id!r}: {text!r}")
        informal += bool(INFORMAL.search(text))
    assert informal, "the catalogue addresses no one as je: check the pattern"
    assert not formal, "\n".join(formal)


def test_the_extractor_reads_every_template_that_has_texts():
    """A template the extractor cannot parse (a tag it does not know, such as ``cached``) loses
    all its texts from the catalogue without a word; babel.cfg names the app's extensions."""
    from babel.messages.extract import extract_from_file
    from babel.messages.frontend import parse_mapping_cfg

    root = Path(__file__).resolve().parent.parent
    with open(root / "babel.cfg", encoding="utf-8") as config:
        _methods, options = parse_mapping_cfg(config)
    jinja_options = options["templates/**.html"]
    silent = [
        path.relative_to(root).as_posix()
        for path in sorted((root / "templates").rglob("*.html"))
        if '_("' in path.read_text(encoding="utf-8")
        and not list(
            extract_from_file("jinja2", str(path), keywords={"_": None}, options=jinja_options)
        )
    ]
    assert silent == []
