"""The registration list's rules alone (tracker/events/registration_list.py): reading the cells,
matching organisations and people, and what importing would change."""

from __future__ import annotations

import pytest

from tracker.events import registration_list as rules

VOCABULARY = rules.Vocabulary(
    municipalities={"almere": 1, "urk": 2},
    kinds={"bedrijf": "company", "company": "company", "school (mbo)": "school_mbo"},
    sectors={"ict": "ict", "maritiem": "maritime"},
)
HEADER = rules.HEADERS


def _rows(*lines, max_rows=100):
    return rules.read_rows([HEADER, *lines], VOCABULARY, max_rows)


def _line(
    organisation="Bouwbedrijf Urk",
    municipality="Urk",
    kind="Bedrijf",
    sector="",
    person="",
    function="",
    email="",
    attended="",
    follow_up="",
):
    return (organisation, municipality, kind, sector, person, function, email, attended, follow_up)


def _context(**changes):
    values = {
        "organisations": (
            rules.KnownOrganisation(10, "Bouwbedrijf Urk", 2),
            rules.KnownOrganisation(11, "Techniekcollege", 1),
            rules.KnownOrganisation(12, "Techniekcollege", 2),
            rules.KnownOrganisation(13, "Oud bedrijf", 1, archived=True),
        ),
        "contacts": (rules.KnownContact(50, 10, "Anna de Vries", "anna@bouw.nl"),),
        "registrations": (),
        "may_record_people": True,
    }
    values.update(changes)
    return rules.Context(**values)


def _problems(plan):
    return [(i.row, p.column, p.message) for i in plan.items for p in i.problems] + [
        ("", p.column, p.message) for p in plan.problems
    ]


def test_a_header_that_is_not_the_lists_is_refused():
    with pytest.raises(rules.ListRefused):
        rules.read_rows([("Naam", "Gemeente")], VOCABULARY, 10)
    with pytest.raises(rules.ListRefused):
        rules.read_rows([], VOCABULARY, 10)
    with pytest.raises(rules.ListRefused):  # only the header and the example
        rules.read_rows([HEADER, _line(organisation="VOORBEELD Bedrijf")], VOCABULARY, 10)
    with pytest.raises(rules.ListRefused):
        _rows(_line(), _line(), max_rows=1)


def test_the_header_is_read_whatever_its_capitals_and_spaces():
    rows = rules.read_rows(
        [tuple(f" {h.upper()} " for h in HEADER), _line(), (None,) * 9, ("",) * 3], VOCABULARY, 10
    )
    assert [r.row for r in rows] == [2]


def test_each_cell_is_checked_and_named_by_its_column():
    rows = _rows(
        _line(organisation=" ", municipality="Lelystad", kind="Fabriek", sector="Ruimtevaart"),
        _line(person="", email="anna@bouw.nl", attended="misschien"),
        _line(person="Piet", email="geen-adres"),
    )
    assert {(p.column, p.message) for p in rows[0].problems} >= {
        ("Organisatie", "Fill in the organisation's name."),
        ("Gemeente", "%(value)s is not a municipality in the tracker."),
        ("Soort", "%(value)s is not a kind of organisation."),
        ("Sector", "%(value)s is not a sector."),
    }
    assert {p.column for p in rows[1].problems} == {"Contactpersoon", "Aanwezig"}
    assert [p.column for p in rows[2].problems] == ["E-mail"]


def test_yes_and_no_are_read_as_excel_and_people_write_them():
    rows = _rows(
        _line(attended="Ja", follow_up="nee"),
        _line(organisation="A", attended=True, follow_up=0),
        _line(organisation="B"),
    )
    assert [(r.values["attended"], r.values["follow_up"]) for r in rows] == [
        (True, False),
        (True, False),
        (None, None),
    ]


def test_an_organisation_is_matched_on_name_and_municipality_ignoring_case_and_spaces():
    plan = rules.make_plan(
        _rows(
            _line(organisation="  bouwbedrijf   URK ", municipality="urk"),
            _line(organisation="Techniekcollege", municipality="Almere", kind=""),
            _line(organisation="Bouwbedrijf Urk", municipality="", kind="", person="Jan"),
        ),
        _context(),
    )
    assert [i.organisation_id for i in plan.items] == [10, 11, 10]
    assert plan.errors == 0
    # rows 2 and 4 are the same organisation: one registration
    assert [c.organisation_id for c in plan.changes] == [10, 11]


def test_a_name_of_two_organisations_needs_its_municipality():
    plan = rules.make_plan(
        _rows(_line(organisation="techniekcollege", municipality="")), _context()
    )
    assert _problems(plan) == [
        (
            2,
            "Organisatie",
            "%(num)d organisations in the register have this name: fill in Gemeente to say "
            "which one is meant.",
        )
    ]
    assert plan.changes == []


def test_a_new_organisation_needs_its_kind_from_any_of_its_rows():
    plan = rules.make_plan(
        _rows(
            _line(organisation="Nieuw BV", municipality="Almere", kind=""),
            _line(organisation="nieuw bv", municipality="Almere", kind="Bedrijf", person="Jan"),
        ),
        _context(),
    )
    assert plan.errors == 0
    [change] = plan.changes
    assert change.organisation_id is None and change.new_people == [3]
    values = rules.new_organisation_values(plan.items, change.group)
    assert values["name"] == "Nieuw BV" and values["kind"] == "company"
    plan = rules.make_plan(_rows(_line(organisation="Nieuw BV", kind="")), _context())
    assert [p[1] for p in _problems(plan)] == ["Soort"]


def test_duplicate_rows_and_archived_organisations_are_errors():
    plan = rules.make_plan(
        _rows(
            _line(person="Jan"),
            _line(person=" jan "),
            _line(organisation="Oud bedrijf", municipality="Almere"),
        ),
        _context(),
    )
    assert [(p[0], p[1]) for p in _problems(plan)] == [(3, "Organisatie"), (4, "Organisatie")]
    assert plan.items[1].problems[0].params == {"row": 2}


def test_a_closed_quarter_refuses_the_whole_list():
    plan = rules.make_plan(_rows(_line()), _context(quarter_closed=True))
    assert plan.errors == 1 and plan.changes == []


def test_only_those_who_keep_contact_persons_import_people():
    plan = rules.make_plan(_rows(_line(person="Jan")), _context(may_record_people=False))
    assert [p[1] for p in _problems(plan)] == ["Contactpersoon"]
    plan = rules.make_plan(_rows(_line()), _context(may_record_people=False))
    assert plan.errors == 0


def test_people_are_matched_on_email_else_on_name():
    registered = rules.KnownRegistration(10, True, False, frozenset({50}))
    plan = rules.make_plan(
        _rows(
            _line(person="A. de Vries", email="ANNA@bouw.nl"),
            _line(person="Kees", email="kees@bouw.nl"),
        ),
        _context(registrations=(registered,)),
    )
    assert [i.person_action for i in plan.items] == [rules.PERSON_ALREADY, rules.NEW_PERSON]
    assert plan.items[0].registration == rules.ALREADY_REGISTERED
    plan = rules.make_plan(_rows(_line(person="anna de vries")), _context())
    assert plan.items[0].person_action == rules.EXISTING_PERSON
    assert plan.changes[0].existing_people == [50]


def test_attendance_one_yes_is_enough_and_empty_leaves_what_was_marked():
    registered = rules.KnownRegistration(10, True, True)
    plan = rules.make_plan(
        _rows(_line(person="Jan", attended="nee"), _line(person="Piet", attended="ja")),
        _context(),
    )
    assert plan.changes[0].attended is True and plan.changes[0].follow_up is False
    plan = rules.make_plan(_rows(_line()), _context(registrations=(registered,)))
    assert not plan.changes_anything
    plan = rules.make_plan(_rows(_line(attended="nee")), _context(registrations=(registered,)))
    assert plan.changes_anything and plan.changes[0].attended is False


def test_the_same_list_against_what_it_made_changes_nothing():
    lines = (_line(attended="ja", follow_up="ja", person="Anna de Vries"),)
    registered = rules.KnownRegistration(10, True, True, frozenset({50}))
    plan = rules.make_plan(_rows(*lines), _context(registrations=(registered,)))
    assert plan.errors == 0 and not plan.changes_anything
