"""Model folders and checkpoints written beside their name, then renamed into place.

A folder (an adapter, a merged model) is written into a fresh temporary folder next to
its name and renamed over it once complete; a checkpoint into a fresh temporary file.
Whatever was at the name before (an older folder, a file, a symbolic link planted in the
stage directory) is removed, never written through, and a crash mid-write leaves the
old content or nothing, never half a model under the name.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from leasebench.io import current_umask


def _remove(path: Path) -> None:
    """Remove what is at ``path``: a link itself (not its target), a file or a folder."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif os.path.lexists(path):
        path.unlink()


@contextlib.contextmanager
def folder_in_place(target: Path) -> Iterator[Path]:
    """An empty folder to write ``target``'s content into; renamed to ``target`` when the
    block ends without an exception, removed when it raises."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}."))
    try:
        os.chmod(tmp, 0o777 & ~current_umask())  # as a plain mkdir would make it
        yield tmp
        _remove(target)
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


@contextlib.contextmanager
def file_in_place(target: Path) -> Iterator[IO[bytes]]:
    """A binary file to write ``target``'s content into; flushed, synced and renamed to
    ``target`` when the block ends without an exception, removed when it raises."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~current_umask())
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


__all__ = ["file_in_place", "folder_in_place"]
