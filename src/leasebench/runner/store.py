"""The content-addressed stage store and per-item checkpoints.

A stage directory ``stages/<stage>-<key>/`` is complete when it holds ``_stage.json``,
written last by an atomic rename. Until then ``items.jsonl`` collects per-item results
as they arrive (one line, flushed and fsynced each), so a killed stage resumes with
only the missing items. Every output is written to a fresh temporary file and renamed,
and every file is opened without following links (``NoFollowPath``), so a link planted
in a stage directory is replaced or refused, never written or read through.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from pydantic import BaseModel, ValidationError

from ..hashing import file_hash, stable_hash
from ..io import atomic_write_text, current_umask
from ..names import NoFollowPath, child, open_regular

M = TypeVar("M", bound=BaseModel)
MARKER = "_stage.json"
ITEMS = "items.jsonl"


@dataclass
class Stage:
    """One stage execution's directory."""

    name: str
    key: str
    path: Path
    started: float = field(default_factory=time.perf_counter)

    @property
    def complete(self) -> bool:
        return (self.path / MARKER).exists()

    @property
    def workdir(self) -> Path:
        work = Path(self.path, "work")  # the component's own: a plain path, not NoFollowPath
        work.mkdir(parents=True, exist_ok=True)
        return work

    def meta(self) -> dict[str, Any]:
        return json.loads((self.path / MARKER).read_text("utf-8"))

    @property
    def content_hash(self) -> str:
        return str(self.meta()["content_hash"])

    # per-item checkpoint -------------------------------------------------
    def done_items(self, model: type[M]) -> list[M]:
        """Items checkpointed so far; a torn last line (killed mid-write) is dropped."""
        path = self.path / ITEMS
        if not path.exists():
            return []
        items = []
        with path.open("rb") as fh:
            for raw in fh:
                if not raw.endswith(b"\n"):
                    break
                try:
                    items.append(model.model_validate_json(raw))
                except ValidationError:
                    break
        return items

    def done_offsets(
        self, model: type[M], result_id: Callable[[M], str], keep: Callable[[M], bool]
    ) -> dict[str, int]:
        """Byte offset in the checkpoint of each id's last kept result (a torn line ends it)."""
        path = self.path / ITEMS
        found: dict[str, int] = {}
        if not path.exists():
            return found
        pos = 0
        with path.open("rb") as fh:
            for raw in fh:
                if not raw.endswith(b"\n"):
                    break
                try:
                    item = model.model_validate_json(raw)
                except ValidationError:
                    break
                rid = result_id(item)
                if keep(item):
                    found[rid] = pos
                else:
                    found.pop(rid, None)
                pos += len(raw)
        return found

    def write_ordered(self, name: str, offsets: Sequence[int]) -> None:
        """Write output ``name`` from the checkpoint lines at ``offsets``, in that order."""
        target = self.path / name
        self.path.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path, prefix=f".{name}.", suffix=".tmp")
        try:
            os.fchmod(fd, 0o666 & ~current_umask())
            with os.fdopen(fd, "wb") as out:
                if offsets:  # no input items: no checkpoint was ever opened, the output is empty
                    with (self.path / ITEMS).open("rb") as src:
                        for offset in offsets:
                            src.seek(offset)
                            out.write(src.readline())
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def checkpoint(self) -> Checkpoint:
        return Checkpoint(self.path / ITEMS)

    # completion ----------------------------------------------------------
    def finish(self, outputs: Iterable[str], info: dict[str, Any] | None = None) -> str:
        """Hash the named output files, write the marker, return the content hash."""
        hashes = {name: file_hash(self.path / name) for name in sorted(outputs)}
        content = stable_hash(hashes)
        meta = {
            "stage": self.name,
            "key": self.key,
            "content_hash": content,
            "outputs": hashes,
            "seconds": round(time.perf_counter() - self.started, 3),
            **(info or {}),
        }
        atomic_write_text(self.path / MARKER, json.dumps(meta, indent=2, sort_keys=True) + "\n")
        return content


class Checkpoint:
    """Append-only JSONL of per-item results; each line is durable once written."""

    def __init__(self, path: Path):
        self.path = path
        self._fh: BinaryIO | None = None

    def __enter__(self) -> Checkpoint:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = open_regular(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND)
        self._fh = os.fdopen(fd, "r+b")
        self._repair(self._fh)
        self._fh.seek(0, os.SEEK_END)
        return self

    @staticmethod
    def _repair(fh: BinaryIO) -> None:
        """Cut a torn last line so appends start on a line boundary."""
        data = fh.read()
        if data and not data.endswith(b"\n"):
            fh.truncate(data.rfind(b"\n") + 1)

    def write(self, item: BaseModel) -> int:
        """Append one result, durably; return the byte offset of its line."""
        assert self._fh is not None
        offset = self._fh.tell()
        self._fh.write(item.model_dump_json().encode("utf-8") + b"\n")
        self._fh.flush()
        os.fsync(self._fh.fileno())
        return offset

    def __exit__(self, *exc: object) -> None:
        if self._fh is not None:
            self._fh.close()


class StageStore:
    """Stage directories of one experiment name, shared by all its runs.

    With ``scratch`` (a dry run), complete stages are read from ``root`` and every stage
    that would be written goes under ``scratch`` instead: ``root`` is never written.
    """

    def __init__(self, root: Path, scratch: Path | None = None):
        self.root = root
        self.scratch = scratch

    def stage(self, name: str, key_parts: Any) -> Stage:
        key = stable_hash({"stage": name, **key_parts}, length=12)
        path = child(self.root / "stages", f"{name}-{key}")
        if self.scratch is not None and not (path / MARKER).exists():
            path = child(self.scratch / "stages", f"{name}-{key}")
        return Stage(name, key, NoFollowPath(path))  # its files are never read through a link

    def workspace(self, name: str) -> Path:
        """A work directory outside any stage (e.g. for a dataset's fingerprint), created."""
        path = (self.scratch or self.root) / "scratch" / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def discard(self, stage: Stage) -> None:
        shutil.rmtree(stage.path, ignore_errors=True)


__all__ = ["Checkpoint", "Stage", "StageStore"]
