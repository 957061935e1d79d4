"""Records as streams: a JSONL file read as a lazy sequence, and a streaming content hash.

A hold-out of 100,000 documents is never held in memory: stages iterate its file, a
``RecordFile`` pickles as its path (a worker process re-reads it), and only the offsets
of its lines are kept once random access is asked for.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, overload

from ..hashing import canonical_json
from ..io import iter_jsonl
from ..records import Record


class RecordFile(Sequence[Record]):
    """The records of a JSONL file, parsed as they are read (``unlabelled``: labels dropped)."""

    def __init__(self, path: Path, unlabelled: bool = False):
        self.path = path if isinstance(path, Path) else Path(path)  # a NoFollowPath stays one
        self.unlabelled = unlabelled
        self._offsets: list[int] | None = None
        self._len: int | None = None

    def __iter__(self) -> Iterator[Record]:
        for record in iter_jsonl(self.path, Record):
            yield record.unlabelled() if self.unlabelled else record

    def __len__(self) -> int:
        if self._len is None:
            with self.path.open("rb") as fh:
                self._len = sum(1 for line in fh if line.strip())
        return self._len

    def _index(self) -> list[int]:
        if self._offsets is None:
            offsets, pos = [], 0
            with self.path.open("rb") as fh:
                for line in fh:
                    if line.strip():
                        offsets.append(pos)
                    pos += len(line)
            self._offsets = offsets
        return self._offsets

    @overload
    def __getitem__(self, index: int) -> Record: ...

    @overload
    def __getitem__(self, index: slice) -> list[Record]: ...

    def __getitem__(self, index: int | slice) -> Record | list[Record]:
        offsets = self._index()
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(offsets)))]
        with self.path.open("rb") as fh:
            fh.seek(offsets[index])
            record = Record.model_validate_json(fh.readline())
        return record.unlabelled() if self.unlabelled else record

    def without_labels(self) -> RecordFile:
        return RecordFile(self.path, unlabelled=True)

    def __reduce__(self) -> tuple[Any, ...]:
        return (RecordFile, (self.path, self.unlabelled))

    def __repr__(self) -> str:
        return f"RecordFile({str(self.path)!r}, unlabelled={self.unlabelled})"


def records_hash(records: Iterable[Record], length: int = 16) -> str:
    """``stable_hash([r.model_dump(mode="json") for r in records])``, one record at a time."""
    digest = hashlib.sha256(b"[")
    for i, record in enumerate(records):
        if i:
            digest.update(b",")
        digest.update(canonical_json(record.model_dump(mode="json")).encode("utf-8"))
    digest.update(b"]")
    return digest.hexdigest()[:length]


def unlabelled(records: Sequence[Record]) -> Sequence[Record]:
    """The records without labels: a lazy view of a ``RecordFile``, else a tuple."""
    if isinstance(records, RecordFile):
        return records.without_labels()
    return tuple(r.unlabelled() for r in records)


__all__ = ["RecordFile", "records_hash", "unlabelled"]
