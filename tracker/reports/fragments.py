"""Parts of a page rendered once per worker and kept until the data under them change.

A template marks such a part with ``{% cached key %}…{% endcached %}``, ``key`` a
:class:`Versioned`: the first request renders it and keeps the HTML under ``key.key`` with the
data version it was made from; the next gets the HTML without running the part, nor the queries
and figures behind it when the view hands them over as :class:`Deferred`. A key of ``None``
renders the part every time.

``key.key`` must hold everything the part depends on but the data: the day (statuses depend on
it), the language, the viewer's role. The data version is
:func:`tracker.audit.queries.data_version`, which changes with every saved change (every domain
record is audited, closing a quarter writes its own entry). A part must not show anything of one
user only (a name, a form with a CSRF token): that would need the user's id in its key.

A part made from older data is still served for ``grace`` seconds after it was made, except to
a viewer who saved a change since (:data:`CHANGED_AT`): they see their change at once. When many
people save while others watch the dashboard, it is then made once every few seconds per worker
instead of for every view; the part says when it was made.

Each worker keeps at most ``SIZE`` parts, the least recently used leaving first; gunicorn
workers do not share them, so each renders a part once after a change.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import dataclass

from flask import g, has_request_context, session
from jinja2 import nodes
from jinja2.ext import Extension
from markupsafe import Markup
from sqlalchemy import event
from sqlalchemy.orm import Session

SIZE = 64
CHANGED_AT = "changed_at"  # in the session: when the viewer last saved a change (epoch seconds)


@dataclass(frozen=True)
class Versioned:
    """A part's key with the data version it depends on (see the module's docstring)."""

    key: Hashable
    version: Hashable
    read_at: float  # when the version was read: a part made now is made from data at least this new
    grace: float
    changed_at: float = 0.0  # the viewer's own newest change

    @classmethod
    def now(cls, key: Hashable, version: Hashable, grace: float) -> Versioned:
        return cls(key, version, time.time(), grace, float(session.get(CHANGED_AT, 0.0)))

    def accepts(self, part: Made) -> bool:
        if part.version == self.version:
            return True
        return part.made_at > self.changed_at and self.read_at - part.made_at <= self.grace


@dataclass(frozen=True)
class Made:
    """A kept part of a :class:`Versioned` key."""

    version: Hashable
    made_at: float
    html: Markup


class FragmentCache:
    """A small thread-safe LRU of rendered parts."""

    def __init__(self, size: int = SIZE):
        self.size = size
        self._parts: OrderedDict[Hashable, Made] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Made | None:
        with self._lock:
            part = self._parts.get(key)
            if part is not None:
                self._parts.move_to_end(key)
            return part

    def put(self, key: Hashable, part: Made) -> None:
        with self._lock:
            self._parts[key] = part
            self._parts.move_to_end(key)
            while len(self._parts) > self.size:
                self._parts.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._parts.clear()


class CachedExtension(Extension):
    """The ``{% cached key %}…{% endcached %}`` tag."""

    tags = {"cached"}

    def __init__(self, environment):
        super().__init__(environment)
        environment.extend(fragment_cache=FragmentCache())

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        key = parser.parse_expression()
        body = parser.parse_statements(("name:endcached",), drop_needle=True)
        return nodes.CallBlock(self.call_method("_render", [key]), [], [], body).set_lineno(lineno)

    def _render(self, key: Versioned | None, caller: Callable[[], str]) -> Markup:
        if key is None:
            return Markup(caller())  # noqa: S704  # nosec B704 (the template's own output)
        cache: FragmentCache = self.environment.fragment_cache
        made = cache.get(key.key)
        if made is None or not key.accepts(made):
            html = Markup(caller())  # noqa: S704  # nosec B704 (the template's own output)
            made = Made(key.version, key.read_at, html)
            cache.put(key.key, made)
        return made.html


class Deferred(Mapping):
    """A dict computed when a template first reads from it: never, when the part that reads it
    comes from the cache."""

    def __init__(self, compute: Callable[[], dict]):
        self._compute = compute
        self._value: dict | None = None

    def _data(self) -> dict:
        if self._value is None:
            self._value = self._compute()
        return self._value

    def __bool__(self) -> bool:
        """True without computing: ``{% if board %}`` asks whether there is one, not its size."""
        return True

    def __getitem__(self, name: str):
        return self._data()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data())

    def __len__(self) -> int:
        return len(self._data())


def _note_audited_change(db_session) -> None:
    """After a commit that wrote audit entries (a change of the data) in a request, remember
    when, for the viewer's session (:data:`CHANGED_AT`)."""
    if db_session.info.pop("audited", False) and has_request_context():
        g.changed_at = time.time()


def _remember_change(response):
    changed_at = g.pop("changed_at", None)
    if changed_at is not None:
        session[CHANGED_AT] = changed_at
    return response


def init_app(app) -> None:
    app.jinja_env.add_extension(CachedExtension)
    if not event.contains(Session, "after_commit", _note_audited_change):
        event.listen(Session, "after_commit", _note_audited_change)
    app.after_request(_remember_change)
