"""The language of a page is looked up once per request (tracker.i18n.current_language), yet a
switch within the request is followed at once: ``force_locale`` (exports and mail in Dutch for an
English user), ``refresh`` after a change of language, and the next request of the same process."""

from __future__ import annotations

import pytest
from flask import render_template_string, session
from flask_babel import force_locale, gettext, refresh
from flask_babel import gettext as babel_gettext
from flask_babel import ngettext as babel_ngettext
from jinja2 import Environment

from tracker.i18n import current_language, date_format, locale_name, number_format
from tracker.i18n import gettext as app_gettext
from tracker.i18n import ngettext as app_ngettext
from tracker.milestones.status import MilestoneStatus
from tracker.quarters.display import quarter_text


def _shown() -> tuple:
    return (
        locale_name(),
        gettext("Log out"),
        render_template_string("{{ _('Log out') }} {{ 1234.5|number }}"),
        number_format(1234.5),
        quarter_text("2026-Q3"),
        MilestoneStatus.AT_RISK.label,
    )


DUTCH = ("nl", "Uitloggen", "Uitloggen 1.234,5", "1.234,5", "3e kwartaal 2026", "Risico")
ENGLISH = ("en", "Log out", "Log out 1,234.5", "1,234.5", "Q3 2026", "At risk")


def test_a_forced_locale_is_followed_and_left_within_one_request(app):
    with app.test_request_context("/"):
        session["lang"] = "en"
        assert _shown() == ENGLISH
        with force_locale("nl"):
            assert _shown() == DUTCH
        assert _shown() == ENGLISH


def test_a_refreshed_locale_is_followed(app):
    with app.test_request_context("/"):
        assert _shown() == DUTCH
        session["lang"] = "en"
        refresh()
        assert _shown() == ENGLISH


def test_each_request_finds_its_own_language(app):
    for language, expected in (("en", ENGLISH), ("nl", DUTCH), ("en", ENGLISH)):
        with app.test_request_context("/"):
            session["lang"] = language
            assert _shown() == expected


def test_outside_an_app_context_nothing_is_remembered():
    assert current_language() is None
    assert date_format(None) == "–"
    assert quarter_text("2026-Q3") == "3e kwartaal 2026"


# Texts with a variable, a "%%", HTML in the variable and plural forms, as the templates use them.
TEMPLATE_TEXTS = (
    "{{ _('Log out') }}|{{ gettext('Log out') }}|{{ _('Since %(title)s of %(date)s.', "
    "title='<b>x</b>', date='1-1-2026') }}|{{ _('%(a)s %% of %(b)s', a=1, b='<i>') }}|"
    "{{ ngettext('%(num)s subproject', '%(num)s subprojects', 1) }}|"
    "{{ ngettext('%(num)s subproject', '%(num)s subprojects', n) }}|"
    "{% trans %}Log out{% endtrans %}|{% trans count=n %}{{ count }} day{% pluralize %}"
    "{{ count }} days{% endtrans %}"
)


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("autoescape", [True, False])
def test_the_templates_gettext_is_jinjas_newstyle_gettext(app, language, autoescape):
    """The app's ``_``, ``gettext`` and ``ngettext`` (tracker.i18n.template_gettext) write what
    Jinja's own newstyle callables write, escaped in HTML and plain in text templates."""
    with app.test_request_context("/"):
        session["lang"] = language
        translations = current_language().translations
        jinja = Environment(extensions=["jinja2.ext.i18n"], autoescape=autoescape)  # noqa: S701
        jinja.install_gettext_translations(translations, newstyle=True)
        expected = jinja.from_string(TEMPLATE_TEXTS).render(n=3)
        ours = app.jinja_env.overlay(autoescape=autoescape).from_string(TEMPLATE_TEXTS)
        assert ours.render(n=3) == expected
        assert ("Uitloggen" if language == "nl" else "Log out") in expected


# (text, variables) and (singular, plural, num, variables) as Python code passes them.
PYTHON_TEXTS = (("Log out", {}), ("%(a)s %% of %(b)s", {"a": 1, "b": "<i>"}))
PYTHON_PLURALS = (
    ("%(num)s subproject", "%(num)s subprojects", 1, {}),
    ("%(num)s subproject", "%(num)s subprojects", 3, {}),
)


def _python_texts(gettext_, ngettext_) -> list[str]:
    return [gettext_(text, **variables) for text, variables in PYTHON_TEXTS] + [
        ngettext_(singular, plural, num, **variables)
        for singular, plural, num, variables in PYTHON_PLURALS
    ]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_apps_gettext_is_flask_babels(app, language):
    """``tracker.i18n.gettext`` and ``ngettext`` (the ``_`` of the Python code) give what
    Flask-Babel's own give, in each language, under ``force_locale`` and outside a request."""
    with app.test_request_context("/"):
        session["lang"] = language
        expected = _python_texts(babel_gettext, babel_ngettext)
        assert _python_texts(app_gettext, app_ngettext) == expected
        assert expected[0] == ("Uitloggen" if language == "nl" else "Log out")
        with force_locale("en" if language == "nl" else "nl"):
            forced = _python_texts(babel_gettext, babel_ngettext)
            assert _python_texts(app_gettext, app_ngettext) == forced
            assert forced != expected
    assert _python_texts(app_gettext, app_ngettext) == _python_texts(babel_gettext, babel_ngettext)
