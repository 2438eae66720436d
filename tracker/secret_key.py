"""The key that signs sessions when no TRACKER_SECRET_KEY is set (development, tests).

A constant in the source would let anyone who reads it forge a session, the admin's included,
on every instance started without the setting. So each instance makes its own random key on its
first run and keeps it in ``instance/secret_key``, readable by the owner only (0600), and reuses
it afterwards, so sessions survive a restart. Production refuses to start without the setting.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import stat
import tempfile
from pathlib import Path

KEY_BYTES = 32
MIN_KEY_LENGTH = 32
OWNER_ONLY = 0o600

log = logging.getLogger(__name__)


class UnusableKeyFile(RuntimeError):
    pass


def load_or_create(path: Path) -> str:
    """The key stored at ``path``; made there first when there is none.

    Several workers may start at once: the key is written to a temporary file and linked into
    place, which fails for all but the first, who then read the first one's key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        _create(path)
    return _read(path)


def _create(path: Path) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret_key-")
    try:
        os.fchmod(descriptor, OWNER_ONLY)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(KEY_BYTES))
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # another worker was first: its key it is
            os.link(temporary, path)
    finally:
        os.unlink(temporary)


def _read(path: Path) -> str:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        log.warning("%s was readable by others (mode %o); made owner-only.", path, mode)
        path.chmod(OWNER_ONLY)
    key = path.read_text(encoding="ascii").strip()
    if len(key) < MIN_KEY_LENGTH:
        raise UnusableKeyFile(
            f"{path} holds no usable key: delete it to have a new one made, or set "
            "TRACKER_SECRET_KEY."
        )
    return key
