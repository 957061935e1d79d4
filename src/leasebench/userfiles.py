"""Reading a file a user named: every way it can fail is an error naming the file.

A missing path, a directory, a special file, a file over its size limit, one that cannot
be opened (permissions) and text that is not UTF-8 (with the line and column of the
first bad byte) are all ``DataError`` (or the error class the caller passes), never an
``OSError`` or ``UnicodeDecodeError`` traceback.
"""

from __future__ import annotations

import stat
from pathlib import Path

from .errors import DataError, LeasebenchError
from .limits import MAX_FILE_ENV, default_max_bytes

FILE_BYTES_HINT = f"the {MAX_FILE_ENV} environment variable (in MB)"


def check_readable(path: Path, *, limit: int | None = None, hint: str = FILE_BYTES_HINT,
                   what: str = "file") -> int:
    """The size of ``path`` once it is known to be a regular, readable file within limit.

    ``limit`` defaults to the data file limit (``LEASEBENCH_MAX_FILE_MB``); ``hint`` says
    how to raise it.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise DataError(f"{path}: is a directory; give a {what}")
    if not stat.S_ISREG(info.st_mode):
        raise DataError(f"{path}: is not a regular file")
    limit = limit if limit is not None else default_max_bytes()
    if info.st_size > limit:
        raise DataError(
            f"{path}: {info.st_size:,} bytes is over the limit of {limit:,}; raise it with {hint}"
        )
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return info.st_size


def decode_utf8(raw: bytes, where: str, error: type[LeasebenchError] = DataError) -> str:
    """The text of ``raw``; a byte that is not UTF-8 is an error naming its line/column."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise error(
            f"{where}: line {line}, column {column}: not valid UTF-8 "
            f"(byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        ) from None


def read_text(path: Path, *, limit: int | None = None, hint: str = FILE_BYTES_HINT,
              what: str = "file") -> str:
    """The UTF-8 text of a user's file, after ``check_readable``."""
    check_readable(path, limit=limit, hint=hint, what=what)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return decode_utf8(raw, str(path))


__all__ = ["FILE_BYTES_HINT", "check_readable", "decode_utf8", "read_text"]
