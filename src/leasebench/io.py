"""Atomic file writes and JSONL: pydantic models out and back in."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import DataError
from .names import NotRegular

M = TypeVar("M", bound=BaseModel)


def current_umask() -> int:
    """The process umask (read without changing it where /proc allows)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[TextIO]:
    """A text file that appears at ``path`` only when the block ends without error:
    written to a temporary file beside it, fsynced, renamed over ``path``.

    The file gets the permissions a plain ``open(path, "w")`` would (0666 less the umask),
    not the temporary file's private 0600. A symbolic link at ``path`` is replaced, never
    written through; a directory there is a ``NotRegular`` naming it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o666 & ~current_umask())
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.replace(tmp, path)
        except IsADirectoryError:
            raise NotRegular(f"cannot write {path}: it is a directory; remove it") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and rename: never half-written."""
    with atomic_file(path) as fh:
        fh.write(text)


def write_jsonl(path: Path, items: Iterable[BaseModel | dict[str, Any]]) -> int:
    """Write one JSON object per line, streaming, atomically (a temporary file renamed).

    Returns the number of lines written.
    """
    n = 0
    with atomic_file(path) as fh:
        for item in items:
            if isinstance(item, BaseModel):
                fh.write(item.model_dump_json())
            else:
                fh.write(json.dumps(item, sort_keys=True, ensure_ascii=False))
            fh.write("\n")
            n += 1
    return n


def read_jsonl(path: Path, model: type[M]) -> list[M]:
    return list(iter_jsonl(path, model))


def iter_jsonl(path: Path, model: type[M]) -> Iterator[M]:
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield model.model_validate_json(line)
            except ValidationError as exc:
                raise DataError(f"{path}:{lineno}: {_first_error(exc)}") from exc


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return f"{where}: {err['msg']}" if where else err["msg"]


__all__ = [
    "atomic_file",
    "atomic_write_text",
    "current_umask",
    "iter_jsonl",
    "read_jsonl",
    "write_jsonl",
]
