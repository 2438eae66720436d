"""Plotly figures to SVG for the PDF, through Kaleido and the machine's own Chromium.

Kaleido 1.x drives a Chrome/Chromium it does not ship; on Debian that is the ``chromium``
package (``make system-deps``). Starting the browser costs seconds, so each worker process keeps
one, started on first use, and renders a report's figures in parallel tabs. Drawn SVGs are
kept per process keyed by a hash of the figure's full JSON and size, so the same picture is not
drawn twice; any change in the data gives another key, so a cached image can never show other
numbers than its figure.

When the browser or Kaleido cannot be had, or a figure fails, :func:`to_svg` answers ``None``
for that figure and the report prints a plain table in its place: a report is never refused
for want of a chart.
"""

from __future__ import annotations

import asyncio
import atexit
import hashlib
import logging
import os
import shutil
import threading
from collections import OrderedDict
from concurrent.futures import TimeoutError as FutureTimeout

import plotly.io as pio

logger = logging.getLogger(__name__)

BROWSER_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
START_TIMEOUT = 60
RENDER_TIMEOUT = 60
TABS = 3
SVG_CACHE_SIZE = 256


def browser_path() -> str | None:
    """The browser to drive: TRACKER_CHROMIUM_PATH or BROWSER_PATH if set, else the first
    Chrome-like browser on PATH."""
    explicit = os.environ.get("TRACKER_CHROMIUM_PATH") or os.environ.get("BROWSER_PATH")
    if explicit:
        return explicit if os.path.exists(explicit) else None
    for name in BROWSER_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


class _Exporter:
    """One Kaleido (one headless browser, ``TABS`` tabs) on its own event-loop thread."""

    def __init__(self):
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido = None
        self._exit_hook = False

    def _start(self) -> None:
        import kaleido  # imported late: the app runs without it (charts become tables)

        path = browser_path()
        if path is None:
            raise RuntimeError("no Chromium/Chrome found (install the chromium package)")
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="kaleido", daemon=True)
        thread.start()

        async def open_kaleido():
            k = kaleido.Kaleido(n=TABS, timeout=RENDER_TIMEOUT, mathjax=False, path=path)
            await k.open()
            return k

        try:
            self._kaleido = asyncio.run_coroutine_threadsafe(open_kaleido(), loop).result(
                START_TIMEOUT
            )
        except BaseException:
            loop.call_soon_threadsafe(loop.stop)
            raise
        self._loop = loop
        if not self._exit_hook:
            atexit.register(self.reset)  # close the browser with the process
            self._exit_hook = True

    def render(self, figures: dict[str, object], width: int, height: int) -> dict[str, str]:
        """SVG per figure, ``width`` wide and as high as the figure's own layout says."""
        with self._lock:
            if self._loop is None:
                self._start()
        k = self._kaleido

        def opts(fig):
            layout = fig.get("layout", {}) if isinstance(fig, dict) else fig.layout.to_plotly_json()
            own = layout.get("height")
            return {"format": "svg", "width": width, "height": own or height}

        async def render_all():
            results = await asyncio.gather(
                *(k.calc_fig(fig, opts=opts(fig)) for fig in figures.values()),
                return_exceptions=True,
            )
            return dict(zip(figures, results, strict=True))

        future = asyncio.run_coroutine_threadsafe(render_all(), self._loop)
        results = future.result(RENDER_TIMEOUT + 5)
        svgs = {}
        for key, result in results.items():
            if isinstance(result, BaseException):
                logger.warning("chart %s could not be drawn: %s", key, result)
                continue
            svgs[key] = result.decode("utf-8") if isinstance(result, bytes) else str(result)
        return svgs

    def reset(self) -> None:
        """Drop a broken browser so the next report starts a new one."""
        with self._lock:
            loop, k = self._loop, self._kaleido
            self._loop = self._kaleido = None
        if loop is not None:
            if k is not None:
                try:
                    asyncio.run_coroutine_threadsafe(k.close(), loop).result(10)
                except Exception:  # noqa: BLE001 (a broken browser may fail to close)
                    logger.debug("closing Kaleido failed", exc_info=True)
            loop.call_soon_threadsafe(loop.stop)


_exporter = _Exporter()


_svg_cache: OrderedDict[str, str] = OrderedDict()
_svg_cache_lock = threading.Lock()


def clear_cache() -> None:
    with _svg_cache_lock:
        _svg_cache.clear()


def _cache_key(figure: object, width: int, height: int) -> str:
    text = pio.to_json(figure, validate=False, pretty=False)
    return hashlib.sha256(f"{width}x{height}\n{text}".encode()).hexdigest()


def to_svg(
    figures: dict[str, object], *, enabled: bool = True, width: int = 680, height: int = 300
) -> dict[str, str | None]:
    """Each figure as SVG text, or ``None`` where it could not be drawn."""
    if not figures:
        return {}
    if not enabled:
        return dict.fromkeys(figures)
    keys = {name: _cache_key(fig, width, height) for name, fig in figures.items()}
    with _svg_cache_lock:
        found = {name: _svg_cache[key] for name, key in keys.items() if key in _svg_cache}
    missing = {name: fig for name, fig in figures.items() if name not in found}
    if missing:
        try:
            drawn = _exporter.render(missing, width, height)
        except (Exception, FutureTimeout) as error:  # noqa: BLE001 (any failure: tables instead)
            logger.warning("chart export unavailable, printing tables instead: %s", error)
            _exporter.reset()
            drawn = {}
        with _svg_cache_lock:
            for name, svg in drawn.items():
                _svg_cache[keys[name]] = svg
            while len(_svg_cache) > SVG_CACHE_SIZE:
                _svg_cache.popitem(last=False)
        found.update(drawn)
    return {name: found.get(name) for name in figures}


def available() -> bool:
    """Whether the chart export can run here (Kaleido importable and a browser found)."""
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return False
    return browser_path() is not None


# --- Lighter SVG for WeasyPrint ----------------------------------------------------------------

_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"


def slim_svg(svg: str) -> str:
    """The same picture with less for WeasyPrint to do (about half its time went into charts).

    Plotly writes every style as a ``style`` attribute, which WeasyPrint parses with its CSS
    tokenizer element by element, and hundreds of empty layer groups. Here each declaration
    becomes the presentation attribute WeasyPrint would have turned it into anyway (a
    ``style`` declaration wins over an attribute, as in CSS), ``class``/``data-*`` attributes
    (no stylesheet reads them) and empty groups go. Text, shapes and colours are untouched.
    """
    from xml.etree import ElementTree as ET  # noqa: S405  # nosec B405 (serialising only)

    from defusedxml.ElementTree import fromstring

    ET.register_namespace("", _SVG_NS)
    ET.register_namespace("xlink", _XLINK_NS)
    root = fromstring(svg)
    for element in root.iter():
        attrib = element.attrib
        for key in [k for k in attrib if k == "class" or k.startswith("data-")]:
            del attrib[key]
        style = attrib.pop("style", None)
        if style:
            for declaration in style.split(";"):
                name, colon, value = declaration.partition(":")
                name, value = name.strip().lower(), value.strip()
                if colon and name and value and not name.startswith("-"):
                    attrib[name] = value.removesuffix("!important").strip()
    empty_group = f"{{{_SVG_NS}}}g"
    changed = True
    while changed:
        changed = False
        for parent in root.iter():
            for child in list(parent):
                if (
                    child.tag == empty_group
                    and len(child) == 0
                    and not (child.text or "").strip()
                ):
                    parent.remove(child)
                    changed = True
    return ET.tostring(root, encoding="unicode")
