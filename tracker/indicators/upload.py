"""Keeping a checked upload between preview and confirmation, without trusting the client.

The app keeps no state between requests (several gunicorn workers or hosts serve it), so the
validated rows are not stored on the server: the preview page carries them in a hidden field,
signed and time-stamped with the app's secret key (itsdangerous), bound to the user, subproject
and quarter, together with the versions of the values they replace. Altering the rows breaks
the signature; a value changed by someone else since the preview refuses the whole upload.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

MAX_AGE_SECONDS = 3600
# Werkzeug refuses form fields over 500 KB; stay well below.
MAX_TOKEN_CHARS = 400_000


class PayloadRefused(ValueError):
    pass


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="excel-upload")


def sign(user_id: int, subproject_id: int, quarter: str, rows: list[dict], versions: dict) -> str:
    return _serializer().dumps(
        {"u": user_id, "s": subproject_id, "q": quarter, "rows": rows, "v": versions}
    )


def verify(token: str, user_id: int, subproject_id: int, quarter: str) -> tuple[list, dict]:
    try:
        data = _serializer().loads(token or "", max_age=MAX_AGE_SECONDS)
    except BadSignature as error:  # also SignatureExpired
        raise PayloadRefused(str(error)) from error
    if (data.get("u"), data.get("s"), data.get("q")) != (user_id, subproject_id, quarter):
        raise PayloadRefused("payload of another user, subproject or quarter")
    return data["rows"], {int(k): v for k, v in data["v"].items()}


def sign_for(scope: dict, payload) -> str:
    """Any other upload's checked rows, bound to ``scope`` (user, programme...), signed."""
    return _serializer().dumps({"scope": scope, "payload": payload})


def verify_for(token: str, scope: dict):
    try:
        data = _serializer().loads(token or "", max_age=MAX_AGE_SECONDS)
    except BadSignature as error:
        raise PayloadRefused(str(error)) from error
    if not isinstance(data, dict) or data.get("scope") != scope:
        raise PayloadRefused("payload of another user or scope")
    return data["payload"]
