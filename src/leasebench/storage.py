"""A full disk, a read-only directory or a refused write, told as what to do.

``storage_error(exc)`` recognises an ``OSError`` with a storage errno (``ENOSPC``,
``EDQUOT``, ``EROFS``, ``EACCES``, ``EPERM``) or an SQLite error saying the disk is full or
the database is read-only, anywhere in the exception's cause chain, and returns a
``StorageError`` (exit code 2) naming the path and the fix. Everything written before
the failure is intact (stage outputs and reports are written atomically, checkpoint
lines are appended and fsynced one by one, a torn last line is cut on resume, the
response cache commits each answer), so the same command resumes once there is room.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from .errors import LeasebenchError

RESUME = ("Completed stages and checkpointed items are kept: run the same command again "
          "and it resumes where it stopped")
_ERRNOS = {
    errno.ENOSPC: ("the disk is full", "free some space"),
    errno.EDQUOT: ("the disk quota is used up", "free some space or raise the quota"),
    errno.EROFS: ("the file system is read-only", "use a writable --runs-dir or remount it"),
    errno.EACCES: ("permission denied", "make it writable for this user or use another "
                   "--runs-dir"),
    errno.EPERM: ("operation not permitted", "make it writable for this user or use another "
                  "--runs-dir"),
}
_SQLITE = {
    "disk is full": ("the disk is full", "free some space"),
    "readonly database": ("the database is read-only", "make it writable"),
    "read-only": ("the database is read-only", "make it writable"),
}


class StorageError(LeasebenchError):
    """A write failed for lack of space or permission; the run can be resumed."""


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 20:
        seen.append(current)
        orig = getattr(current, "orig", None)  # SQLAlchemy wraps the DB-API error
        current = orig if isinstance(orig, BaseException) else (
            current.__cause__ or current.__context__)
    return seen


def storage_error(exc: BaseException, where: Path | str | None = None) -> StorageError | None:
    """A ``StorageError`` for a storage failure in ``exc``'s chain, else None.

    ``where`` names the place when the error itself carries no path (SQLite errors).
    """
    for err in _chain(exc):
        if isinstance(err, OSError) and err.errno in _ERRNOS:
            what, fix = _ERRNOS[err.errno]
            path = err.filename or where or "a file"
            return StorageError(f"cannot write {path}: {what}; {fix}. {RESUME}.")
        if isinstance(err, sqlite3.Error):
            text = str(err).lower()
            for marker, (what, fix) in _SQLITE.items():
                if marker in text:
                    place = f"the SQLite database under {where}" if where else "an SQLite database"
                    return StorageError(f"cannot write {place}: {what} ({err}); {fix}. "
                                        f"{RESUME}.")
    return None


__all__ = ["RESUME", "StorageError", "storage_error"]
