"""The only URL fetcher WeasyPrint gets: the app's own static files and inline chart images.

WeasyPrint's default fetcher loads http, https, file and data URLs and follows redirects, so an
address typed into any field could make the server fetch it. This one serves files under the
static folder (resolved, so ``..`` and symlinks cannot leave it) and ``data:`` URLs of the two
image types the report embeds itself; everything else is refused and recorded in ``refused``.
"""

from __future__ import annotations

import base64
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

ALLOWED_DATA_TYPES = ("image/svg+xml", "image/png")


class RefusedURL(ValueError):
    pass


class StaticOnlyFetcher(URLFetcher):
    def __init__(self, static_folder: str | Path):
        super().__init__(allowed_protocols=(), allow_redirects=False, timeout=1)
        self.root = Path(static_folder).resolve()
        self.refused: list[str] = []
        self.served: list[str] = []

    @property
    def base_url(self) -> str:
        """Relative URLs in the report (``css/report.css``) resolve against this."""
        return self.root.as_uri() + "/"

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        try:
            response = self._fetch(url)
        except RefusedURL:
            self.refused.append(url)
            raise
        self.served.append(url)
        return response

    def _fetch(self, url: str) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return self._data(url)
        if scheme != "file":
            raise RefusedURL(f"refused: {url[:80]}")
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise RefusedURL(f"refused: {url[:80]}")
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise RefusedURL(f"refused: {url[:80]}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), headers={"Content-Type": content_type})

    def _data(self, url: str) -> URLFetcherResponse:
        header, _, payload = url[5:].partition(",")
        media_type, *params = header.split(";")
        if media_type.strip().lower() not in ALLOWED_DATA_TYPES or "base64" not in params:
            raise RefusedURL(f"refused: {url[:80]}")
        try:
            body = base64.b64decode(payload, validate=True)
        except ValueError as error:
            raise RefusedURL("refused: bad data URL") from error
        return URLFetcherResponse(url, body, headers={"Content-Type": media_type.strip().lower()})
