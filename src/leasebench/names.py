"""Names that become paths, and writes that must stay inside the runs directory.

Every manifest name that ends up in a file or directory name (the experiment, rounds,
explicit scorer labels, stages, arms) matches one pattern, checked when the manifest is
validated: a letter or digit first, then letters, digits, ``_``, ``.`` and ``-``, at most
100 characters, no ``..``. A name like that cannot be absolute, cannot climb out with
``..`` and cannot make a subdirectory.

``inside(root, path)`` is the second line of defence, used by the stage store and every
writer of run and report files: it resolves both paths (symbolic links included) and
raises ``PathEscape`` unless the path stays under the root. Files opened in place under
the runs directory (locks, checkpoints) go through ``open_regular``, which never follows
a symbolic link and refuses anything but a regular file; every other file there is
written to a fresh temporary file and renamed over its name, which replaces a link
rather than writing through it. A stage's files are read through ``NoFollowPath``: its
``open`` (and so ``read_text``, ``read_bytes`` and every reader given the path) goes
through ``open_regular`` too, so a link planted in a stage directory is refused, never
read through.
"""

from __future__ import annotations

import errno
import io
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import IO, Annotated, Any

from pydantic import AfterValidator

from .errors import LeasebenchError

SAFE_NAME_PATTERN = r"^(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}$"
_SAFE_NAME = re.compile(SAFE_NAME_PATTERN)
SAFE_NAME_RULE = (
    "must start with a letter or digit and hold only letters, digits, '_', '.' and '-' "
    "(at most 100 characters, no '..'), because it becomes a file name"
)


class PathEscape(LeasebenchError):
    """A write would land outside the directory it belongs to."""


def is_safe_name(value: object) -> bool:
    return isinstance(value, str) and _SAFE_NAME.fullmatch(value) is not None  # no "x\n"


def check_name(value: str) -> str:
    """``value`` if it is a safe name, else ``ValueError`` quoting it and the rule."""
    if not is_safe_name(value):
        raise ValueError(f"{value!r} {SAFE_NAME_RULE}")
    return value


SafeName = Annotated[str, AfterValidator(check_name)]
"""A pydantic field type for names that become paths."""


class NotRegular(LeasebenchError):
    """A file leasebench opens in place is a link, a directory, a FIFO or a device."""


_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


def _refuse(path: Path, what: str) -> NotRegular:
    return NotRegular(f"refusing to open {path}: it is {what}, not a regular file; remove it "
                      "(leasebench creates it)")


def open_regular(path: Path, flags: int, mode: int = 0o666) -> int:
    """``os.open`` for a regular file only: never through a symbolic link, never blocking.

    A link, directory, FIFO, socket or device at ``path`` is a ``NotRegular`` naming it.
    """
    extra = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | os.O_CLOEXEC
    try:
        fd = os.open(path, flags | extra, mode)
    except OSError as e:
        if e.errno == errno.ELOOP or os.path.islink(path):
            raise _refuse(path, "a symbolic link") from None
        if e.errno in (errno.EISDIR, errno.ENXIO, errno.EOPNOTSUPP):
            kind = next((k for test, k in _KINDS if _mode_is(path, test)), "not a file")
            raise _refuse(path, kind) from None
        raise
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise _refuse(path, next((k for test, k in _KINDS if test(st.st_mode)), "not a file"))
    return fd


_MODE_FLAGS = {"r": os.O_RDONLY, "w": os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
               "a": os.O_WRONLY | os.O_CREAT | os.O_APPEND,
               "x": os.O_WRONLY | os.O_CREAT | os.O_EXCL}


class NoFollowPath(type(Path())):  # type: ignore[misc]  # PosixPath or WindowsPath
    """A path whose ``open`` never follows a symbolic link and opens only a regular file
    (``open_regular``), so ``read_text``, ``read_bytes`` and readers given the path refuse
    a link, FIFO or directory with a ``NotRegular`` naming it. Paths derived from it
    (``path / "name"``, ``.parent``) are ``NoFollowPath`` too."""

    def open(
        self, mode: str = "r", buffering: int = -1, encoding: str | None = None,
        errors: str | None = None, newline: str | None = None,
    ) -> IO[Any]:
        kind = next((c for c in mode if c in _MODE_FLAGS), None)
        if kind is None or len(mode) != len(set(mode)) or not set(mode) <= set("rwaxbt+"):
            raise ValueError(f"invalid mode: {mode!r}")
        flags = _MODE_FLAGS[kind]
        if "+" in mode:
            flags = (flags & ~os.O_WRONLY) | os.O_RDWR
        if "b" not in mode:
            encoding = io.text_encoding(encoding)
        fd = open_regular(self, flags | getattr(os, "O_BINARY", 0))
        try:
            return open(fd, mode, buffering, encoding, errors, newline)  # the builtin
        except BaseException:
            os.close(fd)
            raise


def _mode_is(path: Path, test: Callable[[int], bool]) -> bool:
    try:
        return test(os.lstat(path).st_mode)
    except OSError:
        return False


def inside(root: Path, path: Path) -> Path:
    """``path`` if it resolves to ``root`` or below it, else ``PathEscape``."""
    base = root.resolve()
    target = path.resolve()
    if target != base and not target.is_relative_to(base):
        raise PathEscape(f"refusing to write {path}: it resolves to {target}, outside {base}")
    return path


def child(root: Path, *names: str) -> Path:
    """``root / name / ...`` for safe names only, checked to stay under ``root``."""
    for name in names:
        if not is_safe_name(name):
            raise PathEscape(f"refusing to use {name!r} as a file name under {root}: "
                             f"it {SAFE_NAME_RULE}")
    return inside(root, root.joinpath(*names))


__all__ = [
    "SAFE_NAME_PATTERN",
    "SAFE_NAME_RULE",
    "NoFollowPath",
    "NotRegular",
    "PathEscape",
    "SafeName",
    "check_name",
    "child",
    "inside",
    "is_safe_name",
    "open_regular",
]
