"""The record reader: labelled records from JSONL, JSON, CSV/TSV and Parquet files.

``iter_records(path, options)`` streams records row by row and, once the file is read,
raises one ``DataError`` listing every problem (bounded; see ``ProblemLog``), each with
its file, row or line, and column; ``read_records`` is the list-returning convenience.
The record format and the column mapping are documented in docs/data.md.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..errors import DataError
from ..records import Record
from .columns import ReadOptions
from .mapping import RecordMapper
from .problems import ProblemLog
from .rows import RowSource, open_rows
from .suggest import mapping_hint, suggest_mapping

#: Rows read to guess a mapping for an error message.
_PEEK = 20


def iter_records(path: Path, options: ReadOptions | None = None) -> Iterator[Record]:
    """The records of ``path``, one at a time; problems are raised together at the end.

    A file-level problem (missing, a directory, over the size limit, unknown format,
    columns that do not fit the mapping) is raised before the first record.
    """
    options = options or ReadOptions()
    path = Path(path)
    log = ProblemLog(path, options.max_problems)
    source = open_rows(path, log, options)
    mapper = RecordMapper(path, options, log, suggest=lambda cols: _hint(source, cols, options))
    if source.columns is not None:
        mapper.bind(source.columns)
    count = 0
    for row in source:
        if mapper.binding is None:
            mapper.bind(list(row.values))
        record = mapper.record(row)
        if record is not None:
            count += 1
            yield record
    if count == 0 and not log:
        log.add("", "no records (the file has no data rows)")
    log.raise_if_any()


def read_records(path: Path, options: ReadOptions | None = None) -> list[Record]:
    """Every record of ``path`` (see ``iter_records``)."""
    return list(iter_records(path, options))


def check_disjoint(parts: Sequence[tuple[str, Sequence[Record]]]) -> None:
    """A ``DataError`` naming the ids that occur in more than one part (train, hold-out)."""
    seen: dict[str, str] = {}
    shared: dict[tuple[str, str], list[str]] = {}
    for name, records in parts:
        for record in records:
            first = seen.setdefault(record.id, name)
            if first != name:
                shared.setdefault((first, name), []).append(record.id)
    if shared:
        lines = []
        for (a, b), ids in shared.items():
            shown = ", ".join(map(repr, ids[:10])) + (f" (and {len(ids) - 10} more)"
                                                       if len(ids) > 10 else "")
            lines.append(f"{len(ids)} id(s) in both {a} and {b}: {shown}")
        raise DataError("; ".join(lines) + "; a document must not be both trained and "
                        "evaluated on: remove it from one of them")


def _hint(source: RowSource, columns: Sequence[str], options: ReadOptions) -> str:
    if len(columns) == 1 and any(sep in columns[0] for sep in ";\t|"):
        sep = next(s for s in ";\t|" if s in columns[0])
        return (f"; the header looks {sep!r}-separated: write the file comma-separated "
                "(or tab-separated as .tsv)")
    peek = ProblemLog(source.path, 0)
    quiet = RowSource(source.path, source.fmt, peek, options)
    rows = [r.values for r in itertools.islice(iter(quiet), _PEEK)]
    return mapping_hint(suggest_mapping(columns, rows, options.fields), options.mapping_style)


__all__ = ["check_disjoint", "iter_records", "read_records"]
