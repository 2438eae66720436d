"""Language choice (Dutch by default, English on request); Dutch dates and numbers."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime

from babel import Locale
from babel.numbers import get_decimal_symbol, get_group_symbol
from babel.support import NullTranslations
from flask import Flask, current_app, g, request, session
from flask_babel import Domain, format_date, format_datetime, get_locale
from flask_babel.speaklater import LazyString
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup, escape

from tracker.extensions import babel


class EscapedLazyString(LazyString):
    """A lazy translation that Jinja and WTForms escape like any other text.

    Flask-Babel's LazyString answers ``__html__`` with its text as it is, so markupsafe takes it
    for markup: a lazy text with data in it (``_l("In %(unit)s.", unit=indicator.unit)``)
    reached the page as HTML. Every lazy text in the app is made here."""

    def __html__(self) -> Markup:
        return escape(str(self))


def lazy_gettext(string: str, **variables) -> EscapedLazyString:
    """Flask-Babel's ``lazy_gettext`` (imported as ``_l``), escaped when rendered."""
    return EscapedLazyString(gettext, string, **variables)


@dataclass(frozen=True)
class Language:
    """The locale of the page being made, its name ("nl") and its translations, looked up once."""

    locale: Locale
    name: str
    translations: NullTranslations


_LANGUAGE = "_tracker_language"


def current_language() -> Language | None:
    """The language Flask-Babel uses right now, remembered on ``flask.g`` (None outside an app
    context).

    Flask-Babel finds the locale and the translations anew for every text (three look-ups of
    ``g`` and a locale name built each time: ~30 µs a ``gettext``), and a page shows thousands
    of texts, numbers and quarters. What is remembered holds only while Flask-Babel still holds
    the same locale object, so ``force_locale`` and ``refresh`` (which replace or drop it) are
    followed at once."""
    try:
        namespace = g._get_current_object().__dict__
    except RuntimeError:  # no app context
        return None
    language = namespace.get(_LANGUAGE)
    if language is not None:
        babel_state = namespace.get("_flask_babel")
        if getattr(babel_state, "babel_locale", None) is language.locale:
            return language
    locale = get_locale()
    language = Language(locale, str(locale), Domain.get_translations(babel.domain_instance))
    namespace[_LANGUAGE] = language
    return language


def locale_name() -> str:
    """``str(get_locale())``: "nl" or "en" (and "None" outside an app context, as before)."""
    language = current_language()
    return language.name if language is not None else str(get_locale())


class RequestDomain(Domain):
    """Flask-Babel's domain, with the translations taken from :func:`current_language`: every
    ``gettext`` of the app (Python code, status labels) then finds them in one look-up."""

    def get_translations(self):
        language = current_language()
        if language is None:
            return super().get_translations()
        return language.translations


def _translations() -> NullTranslations:
    language = current_language()
    return language.translations if language is not None else NullTranslations()


def gettext(string: str, /, **variables) -> str:
    """Flask-Babel's ``gettext`` (imported as ``_``), with the translations of
    :func:`current_language`: Flask-Babel's own finds its domain, context and translations anew
    for every text (~4 µs, a fifth of that here), and a dashboard translates some 160 texts."""
    text = _translations().ugettext(string)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, /, **variables) -> str:
    """Flask-Babel's ``ngettext``, as :func:`gettext`."""
    variables.setdefault("num", num)
    return _translations().ungettext(singular, plural, num) % variables


@pass_eval_context
def template_gettext(eval_context: EvalContext, message: str, /, **variables) -> str:
    """The templates' ``_()`` and ``gettext()``: what Jinja's "newstyle" gettext does (escaped
    where the template escapes, always %-formatted), in one call instead of three (Jinja's
    alias and wrapper each cost a context call: ~20 µs a text, hundreds of texts a page)."""
    text = _translations().ugettext(message)
    if eval_context.autoescape:
        text = Markup(text)  # noqa: S704  # nosec B704 (our catalogue, as Jinja marks it)
    return text % variables


@pass_eval_context
def template_ngettext(
    eval_context: EvalContext, singular: str, plural: str, num: int, /, **variables
) -> str:
    """The templates' ``ngettext()``, as :func:`template_gettext`."""
    variables.setdefault("num", num)
    text = _translations().ungettext(singular, plural, num)
    if eval_context.autoescape:
        text = Markup(text)  # noqa: S704  # nosec B704 (our catalogue, as Jinja marks it)
    return text % variables


def select_locale() -> str:
    chosen = session.get("lang")
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _missing(value) -> bool:
    """None, and pandas' stand-ins for it (NaN, NaT)."""
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))
    except (TypeError, ValueError):
        return False


def date_format(value: date | None) -> str:
    """30-09-2026 in Dutch; 30 Sep 2026 in English."""
    if _missing(value):
        return "–"
    if locale_name() == "nl":
        return value.strftime("%d-%m-%Y")  # Babel's dd-MM-yyyy, without its pattern parsing
    return format_date(value, "d MMM yyyy")


def datetime_format(value: datetime | None) -> str:
    if _missing(value):
        return "–"
    pattern = "dd-MM-yyyy HH:mm" if locale_name() == "nl" else "d MMM yyyy HH:mm"
    return format_datetime(value, pattern)


def clock_format(epoch_seconds: float) -> str:
    """The time of day of a moment (seconds since the epoch) where the user is: 14:05:09."""
    moment = datetime.fromtimestamp(epoch_seconds, UTC).replace(tzinfo=None)
    return format_datetime(moment, "HH:mm:ss")


def number_format(value: float | int | None, digits: int = 1) -> str:
    """1.234,5 in Dutch; whole numbers without decimals; "–" for none and for a value no
    number can show (infinite)."""
    if _missing(value) or not math.isfinite(value):
        return "–"
    # Babel's "#,##0.#" without its pattern machinery (~50 µs a call; a dashboard shows
    # hundreds of numbers): group, keep at most ``digits`` decimals, drop trailing zeros.
    group, decimal = _symbols(locale_name())
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", group)
    text = f"{round(float(value), digits):,.{digits}f}".rstrip("0").rstrip(".")
    return text.replace(",", "\0").replace(".", decimal).replace("\0", group)


@functools.cache
def _symbols(locale: str) -> tuple[str, str]:
    return get_group_symbol(locale), get_decimal_symbol(locale)


def percent_format(fraction: float | None) -> str:
    if _missing(fraction) or not math.isfinite(fraction * 100):
        return "–"
    return number_format(round(fraction * 100)) + " %"


def init_app(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(app.root_path + "/../translations"),
    )
    babel.domain_instance = RequestDomain(domain=app.extensions["babel"].default_domain)
    app.jinja_env.globals.update(
        _=template_gettext, gettext=template_gettext, ngettext=template_ngettext
    )
    app.jinja_env.filters["date"] = date_format
    app.jinja_env.filters["datetime"] = datetime_format
    app.jinja_env.filters["clock"] = clock_format
    app.jinja_env.filters["number"] = number_format
    app.jinja_env.filters["percent"] = percent_format
    app.jinja_env.tests["missing"] = _missing

    @app.context_processor
    def inject_locale():
        return {"current_locale": locale_name(), "request_path": request.path}
