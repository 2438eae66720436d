from datetime import date

from conftest import count_queries

from tracker.extensions import db


def test_programme_overview_shows_each_subproject_with_counts(login_as, world):
    client = login_as("steering")
    body = client.get(f"/programmes/{world['programme_id']}").get_data(as_text=True)
    assert "A Leerlijn" in body and "B Maritiem" in body
    assert "Almere" in body and "GM0034" in body
    assert "Deelprojectleider A" in body
    assert "Op tijd behaald</span> 1" in body
    assert "Te laat behaald</span> 1" in body
    assert "Over tijd</span> 1" in body
    assert "Buiten koers</span> 1" in body
    assert "Geen gegevens</span> 1" in body
    assert "wijkt af" in body


def test_subproject_page_shows_milestones_with_slip_and_status(login_as, world):
    client = login_as("lead")
    body = client.get(f"/subprojects/{world['a']}").get_data(as_text=True)
    assert "Leerlijn vastgesteld" in body
    assert "01-05-2026" in body and "01-06-2026" in body and "10-06-2026" in body
    assert '+40 <span class="slip-kind">(te laat behaald)</span>' in body
    assert "Gastlessen organiseren" in body and "60 %" in body
    assert "Vmbo Almere" in body and "trekker" in body
    assert "K3 2026" in body and "Veel" in body


def test_subproject_page_shows_indicator_values_in_dutch_format(app, login_as, world):
    from tracker.models import Indicator, Measurement

    with app.app_context():
        indicator = db.session.query(Indicator).filter_by(name="Leerlingen techniek").one()
        indicator.target_value = 2500.5
        db.session.add(Measurement(indicator_id=indicator.id, period="2026-Q4", value=1234.5))
        db.session.commit()
    body = login_as("lead").get(f"/subprojects/{world['a']}").get_data(as_text=True)
    assert "1.234,5" in body
    assert "2.500,5" in body


def test_measurement_of_a_later_quarter_is_not_shown_as_latest(app, login_as, world):
    from tracker.models import Indicator, Measurement

    with app.app_context():
        indicator = db.session.query(Indicator).filter_by(name="Leerlingen techniek").one()
        db.session.add(Measurement(indicator_id=indicator.id, period="2027-Q1", value=9999))
        db.session.commit()
    body = login_as("lead").get(f"/subprojects/{world['a']}").get_data(as_text=True)
    assert "9.999" not in body


def test_english_switch(login_as, world):
    client = login_as("manager")
    response = client.post("/language/en", data={"next": f"/subprojects/{world['a']}"})
    assert response.headers["Location"].endswith(f"/subprojects/{world['a']}")
    body = client.get(f"/subprojects/{world['a']}").get_data(as_text=True)
    assert "Milestones" in body and "Achieved late" in body
    assert '<html lang="en">' in body
    assert "1 May 2026" in body
    client.post("/language/nl")
    assert "Mijlpalen" in client.get(f"/subprojects/{world['a']}").get_data(as_text=True)


def test_unknown_subproject_gives_a_clear_404(login_as, world):
    response = login_as("manager").get("/subprojects/99999")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "Niet gevonden" in body and "Terug naar het programmaoverzicht" in body


def test_unknown_url_gives_404_page_in_app_look(client, world):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Toptechniek tracker" in response.get_data(as_text=True)


def test_server_error_gives_a_clear_500_page(app, login_as, world, monkeypatch):
    from tracker.projects import queries as project_queries

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(project_queries, "status_overview", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        response = login_as("manager").get(f"/programmes/{world['programme_id']}")
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code == 500
    assert "Er ging iets mis" in response.get_data(as_text=True)


def test_edit_subproject_saves_and_validates(app, login_as, world):
    from tracker.models import Subproject

    client = login_as("lead")
    path = f"/subprojects/{world['a']}/edit"
    response = client.post(path, data={"name": "", "aim": "x", "version": "1"})
    assert response.status_code == 400
    assert "Vul een naam in." in response.get_data(as_text=True)
    response = client.post(
        path, data={"name": "Doorlopende leerlijn", "aim": "Doel", "version": "1"}
    )
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(Subproject, world["a"])
        assert (saved.name, saved.aim, saved.version) == ("Doorlopende leerlijn", "Doel", 2)


def test_stale_edit_is_refused_and_keeps_the_typed_input(app, login_as, world):
    from tracker.models import Subproject

    client = login_as("lead")
    path = f"/subprojects/{world['a']}/edit"
    assert client.post(path, data={"name": "Eerste", "version": "1"}).status_code == 302
    response = client.post(path, data={"name": "Mijn versie", "aim": "getypt", "version": "1"})
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "Mijn versie" in body and "getypt" in body
    assert "Eerste" in body
    with app.app_context():
        assert db.session.get(Subproject, world["a"]).name == "Eerste"


def test_user_text_is_escaped(app, login_as, world):
    from tracker.models import Subproject

    with app.app_context():
        db.session.get(Subproject, world["a"]).aim = "<script>alert(1)</script>"
        db.session.commit()
    body = login_as("lead").get(f"/subprojects/{world['a']}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_overview_query_count_does_not_grow_with_data(app, login_as, world):

    from tracker.models import Milestone

    client = login_as("steering")
    path = f"/programmes/{world['programme_id']}"

    before = count_queries(app, client, path)
    with app.app_context():
        for n in range(30):
            db.session.add(
                Milestone(
                    subproject_id=world["b"],
                    title=f"M{n}",
                    baseline_date=date(2027, 1, 1),
                    planned_date=date(2027, 1, 1),
                )
            )
        db.session.commit()
    assert count_queries(app, client, path) == before


def badge(tone: str, symbol: str, label: str) -> str:
    """A status badge as every page and the PDF print it (templates/macros.html)."""
    symbol_span = f'<span aria-hidden="true">{symbol}</span>'
    return f'<span class="badge tone-{tone}">{symbol_span} {label}</span>'


def test_status_badges_carry_symbol_label_and_tone(login_as, world):
    body = login_as("steering").get(f"/programmes/{world['programme_id']}").get_data(as_text=True)
    assert badge("green", "✔", "Op tijd behaald") in body
    assert badge("blue", "✔", "Te laat behaald") in body
    assert badge("amber", "▲", "Risico") in body
    assert badge("red", "✖", "Over tijd") in body
    assert badge("red", "✖", "Buiten koers") in body
    assert badge("grey", "○", "Geen gegevens") in body
    assert badge("green", "●", "Groen") in body
    assert "badge-" not in body


def test_subproject_page_shows_status_badges(login_as, world):
    body = login_as("steering").get(f"/subprojects/{world['b']}").get_data(as_text=True)
    assert badge("green", "●", "Op koers") in body
    assert badge("grey", "○", "Geen gegevens") in body


def test_a_subproject_without_quarterly_update_shows_an_unknown_lead_rag(login_as, world):
    body = login_as("steering").get(f"/programmes/{world['programme_id']}").get_data(as_text=True)
    assert badge("grey", "○", "Onbekend") in body
