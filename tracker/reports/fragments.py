"""Parts of a page rendered once per worker and kept until the data under them change.

A template marks such a part with ``{% cached key %}…{% endcached %}``: the first request renders
it and keeps the HTML under ``key``; the next with the same key gets the HTML without running
the part, nor the queries and figures behind it when the view hands them over as
:class:`Deferred`. A key of ``None`` renders the part every time.

A key must hold everything the part depends on. For the data that is
:func:`tracker.audit.queries.data_version`, which changes with every saved change (every domain
record is audited, closing a quarter writes its own entry), together with the day (statuses
depend on it), the language and the viewer's role. A part must not show anything of one user
only (a name, a form with a CSRF token): that would need the user's id in its key.

Each worker keeps at most ``SIZE`` parts, the least recently used leaving first; gunicorn
workers do not share them, so each renders a part once after a change.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Mapping

from jinja2 import nodes
from jinja2.ext import Extension
from markupsafe import Markup

SIZE = 64


class FragmentCache:
    """A small thread-safe LRU of rendered HTML."""

    def __init__(self, size: int = SIZE):
        self.size = size
        self._parts: OrderedDict[Hashable, Markup] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Markup | None:
        with self._lock:
            part = self._parts.get(key)
            if part is not None:
                self._parts.move_to_end(key)
            return part

    def put(self, key: Hashable, part: Markup) -> None:
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

    def _render(self, key: Hashable | None, caller: Callable[[], str]) -> Markup:
        if key is None:
            return Markup(caller())  # noqa: S704  # nosec B704 (the template's own output)
        cache: FragmentCache = self.environment.fragment_cache
        part = cache.get(key)
        if part is None:
            part = Markup(caller())  # noqa: S704  # nosec B704 (the template's own output)
            cache.put(key, part)
        return part


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


def init_app(app) -> None:
    app.jinja_env.add_extension(CachedExtension)
