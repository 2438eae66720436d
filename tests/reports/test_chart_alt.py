"""A PDF chart's alternative text carries its numbers, not only its title (issue 16)."""

import io

from pypdf import PdfReader

from tracker.quarters import Quarter
from tracker.reports.charts import alt


def test_the_alt_text_summarises_the_data_and_stays_short(app):
    rows = [{"status": "on_track", "count": n} for n in range(20)]
    with app.test_request_context():
        text = alt.alt_text("Mijlpalen per status", "counts", rows, Quarter(2026, 3))
    assert text.startswith("Mijlpalen per status, 3e kwartaal 2026: ")
    assert "0, " in text and "en nog 12" in text and len(text) < 400


def _figures(node, found):
    node = node.get_object()
    if isinstance(node, list):
        for child in node:
            _figures(child, found)
    elif hasattr(node, "keys"):
        if node.get("/S") == "/Figure":
            found.append(str(node.get("/Alt")))
        if "/K" in node:
            kids = node["/K"].get_object()
            _figures(kids if isinstance(kids, list) else [node["/K"]], found)
    return found


def test_the_tagged_pdfs_figures_carry_their_numbers(login_as, world):
    body = login_as("manager").get(f"/reports/{world['programme_id']}/2026-Q3.pdf").data
    root = PdfReader(io.BytesIO(body)).trailer["/Root"]
    figures = _figures(root["/StructTreeRoot"]["/K"], [])
    status = next(f for f in figures if f.startswith("Mijlpalen per status"))
    assert status.startswith("Mijlpalen per status, 3e kwartaal 2026: ")
    assert any(ch.isdigit() for ch in status.split(":", 1)[1])
    assert any("Leerlingen techniek" in f and "K3 2026" in f for f in figures)  # the trend
