"""Quarters as Dutch readers write them: "3e kwartaal 2026", "K3 2026" where space is short,
"Q3 2026" in English; URLs and form values keep 2026-Q3 (issue 16, point 16)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlparse

import pytest
from conftest import FAST_PASSWORD_HASH, PASSWORD, TODAY, login
from sqlalchemy import select

from tracker.extensions import db
from tracker.quarters import Quarter
from tracker.quarters.display import quarter_label

RAW_QUARTER = re.compile(r"\b\d{4}-Q[1-4]\b")
NOT_PAGES = ("/logout", "/language/", ".pdf", ".xlsx", ".csv", "/delete", "/static/")


@pytest.mark.parametrize(
    "value,locale,short,expected",
    [
        ("2026-Q3", "nl", False, "3e kwartaal 2026"),
        (Quarter(2026, 1), "nl", False, "1e kwartaal 2026"),
        ("2026-Q3", "nl", True, "K3 2026"),
        ("2026-Q4", "en", False, "Q4 2026"),
        ("2026-Q4", "en", True, "Q4 2026"),
        (None, "nl", False, "–"),
        ("not a quarter", "nl", False, "not a quarter"),
    ],
)
def test_a_quarter_reads_as_its_language_writes_it(value, locale, short, expected):
    assert quarter_label(value, locale, short) == expected


class _VisibleText(HTMLParser):
    """The text a reader sees or hears (text, titles, alternative texts and labels), and the
    page's own links; not URLs and not form values."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._hidden += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        self.text += [attrs[a] for a in ("title", "alt", "aria-label") if attrs.get(a)]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.text.append(data)


def _crawl(client, start: str, limit: int = 150) -> tuple[dict[str, list[str]], int]:
    """Every page reachable from ``start`` by the page's links (GET only), up to ``limit``
    pages read, with the raw quarters its visible text shows (or the server error it gave);
    and how many pages were read."""
    seen, queue, found, read = {start}, [start], {}, 0
    while queue and read < limit:
        path = queue.pop(0)
        response = client.get(path, follow_redirects=True)
        if response.status_code >= 500:
            found[path] = [f"HTTP {response.status_code}"]
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        read += 1
        reader = _VisibleText()
        reader.feed(response.get_data(as_text=True))
        raw = RAW_QUARTER.findall(" ".join(reader.text))
        if raw:
            found[path] = raw
        for link in reader.links:
            target = urldefrag(link)[0]
            parsed = urlparse(target)
            if parsed.netloc not in ("", "localhost") or not parsed.path.startswith("/"):
                continue
            target = parsed.path + (f"?{parsed.query}" if parsed.query else "")
            if target not in seen and not any(part in target for part in NOT_PAGES):
                seen.add(target)
                queue.append(target)
    return found, read


@pytest.fixture
def demo(app):
    from tracker.demo.seed import seed_demo
    from tracker.models import User

    with app.app_context():
        seed_demo(db.session, TODAY)
        for user in db.session.scalars(select(User)):
            user.password_hash = FAST_PASSWORD_HASH
        db.session.commit()
        return {u.role: u.email for u in db.session.scalars(select(User).order_by(User.id))}


@pytest.mark.parametrize("role", ["manager", "lead", "steering", "admin"])
def test_no_page_of_the_demo_shows_a_raw_quarter(client, demo, role):
    login(client, demo[role], PASSWORD)
    found, read = _crawl(client, "/")
    assert read >= 100  # the dashboard, programme, subprojects, quarters, indicators, history…
    assert not found, sorted(found.items())


def test_an_exports_quarter_column_sorts_as_text_in_time_order(app):
    from flask_babel import force_locale

    from tracker.quarters.display import quarter_sort_text

    quarters = ["2025-Q4", "2026-Q1", "2026-Q3", "2027-Q1", "2027-Q2"]
    with app.test_request_context():
        for locale, first in (("nl", "2025 K4"), ("en", "2025 Q4")):
            with force_locale(locale):
                texts = [quarter_sort_text(q) for q in reversed(quarters)]
                assert sorted(texts) == [quarter_sort_text(q) for q in quarters]
                assert sorted(texts)[0] == first
        assert quarter_sort_text(None) == "–"
        assert quarter_sort_text("archief") == "archief"
