"""File locks: one run at a time per experiment directory, one writer at a time per file.

``runs/<name>/.lock`` is locked with ``flock`` for the whole run and holds who holds it
(PID, host, start time, command). A second run exits at once with ``RunLocked`` (exit
code 2) naming the holder, or with ``wait`` prints who it waits for and blocks until the
lock is free. The kernel releases the lock of a killed process, so a lock left by a
killed run is stale by construction: the next run takes it over and says so. The file
is emptied, never deleted, on release (deleting a locked file lets two runs lock two
different files). A lock that is a symbolic link, a directory or a FIFO is refused with
its path (exit code 2): the run never writes through it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .errors import LeasebenchError
from .names import open_regular

LOCK_FILE = ".lock"


class RunLocked(LeasebenchError):
    """Another run holds the experiment directory."""


def _holder() -> dict[str, Any]:
    return {
        "pid": os.getpid(), "host": socket.gethostname(),
        "started": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "command": " ".join(sys.argv)[:300],
    }


def _describe(info: dict[str, Any] | None) -> str:
    if not info:
        return "an unknown process"
    return (f"PID {info.get('pid')} on {info.get('host')}, started {info.get('started')}"
            f" ({info.get('command') or 'no command line'})")


def _read(fd: int) -> dict[str, Any] | None:
    os.lseek(fd, 0, os.SEEK_SET)
    raw = os.read(fd, 65536)
    try:
        info = json.loads(raw) if raw.strip() else None
    except ValueError:
        return {"pid": "?", "host": "?", "started": "?", "command": raw[:80].decode(
            "utf-8", "replace")}
    return info if isinstance(info, dict) else None


def _write(fd: int, info: dict[str, Any] | None) -> None:
    os.lseek(fd, 0, os.SEEK_SET)
    os.ftruncate(fd, 0)
    if info is not None:
        os.write(fd, (json.dumps(info, sort_keys=True) + "\n").encode("utf-8"))
    os.fsync(fd)


@contextlib.contextmanager
def run_lock(
    root: Path, *, wait: bool = False, say: Callable[[str], None] = lambda _: None
) -> Iterator[dict[str, Any]]:
    """Hold the lock of experiment directory ``root``; yields this run's holder record."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / LOCK_FILE
    fd = open_regular(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _describe(_read(fd))
            if not wait:
                raise RunLocked(
                    f"{root} is in use by another run: {holder}. Wait for it to finish, or "
                    "re-run with --wait to queue behind it (the lock: "
                    f"{path})"
                ) from None
            say(f"waiting for the run holding {root}: {holder}")
            fcntl.flock(fd, fcntl.LOCK_EX)
        previous = _read(fd)
        if previous:
            say(f"taking over the lock of {root} left by a run that is gone: "
                f"{_describe(previous)}")
        mine = _holder()
        _write(fd, mine)
        try:
            yield mine
        finally:
            with contextlib.suppress(OSError):
                _write(fd, None)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """A plain exclusive ``flock`` on ``path`` (created if missing), waiting for it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = open_regular(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def lock_holder(root: Path) -> dict[str, Any] | None:
    """Who holds ``root`` now (None when it is free)."""
    path = root / LOCK_FILE
    if not os.path.lexists(path):
        return None
    fd = open_regular(path, os.O_RDWR)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read(fd) or {}
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


__all__ = ["LOCK_FILE", "RunLocked", "file_lock", "lock_holder", "run_lock"]
