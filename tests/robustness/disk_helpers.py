"""A small tmpfs for disk-full and read-only tests (root only; tests skip without it)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path


def _mount(*args: str) -> bool:
    out = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    return out.returncode == 0


@contextlib.contextmanager
def tmpfs(path: Path, size_kb: int) -> Iterator[Path | None]:
    """A tmpfs of ``size_kb`` at ``path`` (None when this process cannot mount one)."""
    path.mkdir(parents=True, exist_ok=True)
    mounted = os.geteuid() == 0 and _mount("-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs",
                                           str(path))
    try:
        yield path if mounted else None
    finally:
        if mounted and not _umount(path):
            subprocess.run(["umount", "-l", str(path)], capture_output=True, check=False)


def _umount(path: Path) -> bool:
    for _ in range(10):
        if subprocess.run(["umount", str(path)], capture_output=True, check=False).returncode == 0:
            return True
        time.sleep(0.2)
    return False


def remount(path: Path, mode: str) -> None:
    """Remount the tmpfs at ``path`` ``ro`` or ``rw``."""
    assert _mount("-o", f"remount,{mode}", str(path)), f"remount {mode} failed"


def fill(path: Path, leave_kb: int) -> Path:
    """A filler file leaving about ``leave_kb`` free on the file system of ``path``."""
    st = os.statvfs(path)
    free = st.f_bavail * st.f_frsize
    filler = path / "filler"
    with filler.open("wb") as fh:
        fh.write(b"\0" * max(0, free - leave_kb * 1024))
    return filler
