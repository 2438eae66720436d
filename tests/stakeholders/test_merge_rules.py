"""The rule that tells which organisations are likely the same one."""

from dataclasses import dataclass

from tracker.stakeholders.rules import likely_first, names_look_alike, similarity_key


@dataclass
class Org:
    id: int
    name: str
    municipality_id: int | None


def test_case_spaces_punctuation_and_legal_form_are_ignored():
    assert similarity_key("Bouwbedrijf Jansen B.V.") == "bouwbedrijfjansen"
    assert similarity_key("bouw-bedrijf  JANSEN bv") == "bouwbedrijfjansen"
    assert similarity_key("R.O.C. Flevoland") == similarity_key("ROC Flevoland")
    assert similarity_key("Café Één") == "cafeeen"


def test_a_name_of_only_a_legal_form_keeps_its_words():
    assert similarity_key("B.V.") == "bv"


def test_names_that_look_alike():
    assert names_look_alike("Bouwbedrijf Jansen B.V.", "Bouwbedrijf Jansen")
    assert names_look_alike("ROC Flevoland", "ROC Flevoland Almere")
    assert names_look_alike("Installatiebedrijf de Vries", "Instalatiebedrijf de Vries")


def test_different_names_do_not():
    assert not names_look_alike("Bouwbedrijf Jansen", "Staalbouw Urk")
    assert not names_look_alike("", "Bouwbedrijf Jansen")
    assert not names_look_alike("ROC", "Vmbo Almere")


def test_likely_duplicates_come_first_and_only_in_the_same_municipality():
    me = Org(1, "Bouwbedrijf Jansen B.V.", 10)
    candidates = [
        me,
        Org(2, "Staalbouw Urk", 10),
        Org(3, "bouwbedrijf jansen", 10),
        Org(4, "Bouwbedrijf Jansen", 20),
        Org(5, "Aannemer Flevo", 10),
    ]
    likely, others = likely_first(me, candidates)
    assert [o.id for o in likely] == [3]
    assert [o.id for o in others] == [5, 4, 2]
