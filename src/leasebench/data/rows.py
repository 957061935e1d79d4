"""Rows from data files, one at a time: JSON Lines, JSON, CSV/TSV and Parquet.

``open_rows(path, log, options)`` checks the file (exists, a regular readable file,
under the size limit, a known format) and returns a ``RowSource``: its ``columns`` (the
header, or None for JSON, whose rows carry their own keys) and an iterator of ``Row``s,
each with its location (``line 3``, ``row 2 (line 3)``, ``row 7``). Problems inside the
file (bad UTF-8, bad JSON, ragged CSV rows) go to the ``ProblemLog``, located, and the
row is skipped; a problem that stops reading (a malformed CSV quote) ends the rows.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DataError
from ..limits import MAX_FILE_ENV
from ..values.labels import kind_of
from .columns import ReadOptions
from .problems import ProblemLog

FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv",
           ".tsv": "tsv", ".parquet": "parquet", ".pq": "parquet"}
_MB = 1024 * 1024
_SURROGATE = re.compile("[\udc80-\udcff]")
_LONE = re.compile("[\ud800-\udfff]")
_LONE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


@dataclass
class Row:
    """One row: where it is in the file, and its values by column."""

    where: str
    values: dict[str, Any]


def check_file(path: Path, options: ReadOptions) -> str:
    """The file's format; a ``DataError`` unless it is a readable file within the limit."""
    try:
        if not path.exists():
            raise DataError(f"{path}: no such file")
        if path.is_dir():
            raise DataError(f"{path}: is a directory, expected a data file "
                            f"({', '.join(sorted(FORMATS))})")
        if not path.is_file():
            raise DataError(f"{path}: not a regular file")
        size = path.stat().st_size
        with path.open("rb"):
            pass
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    limit = options.size_limit
    if size > limit:
        raise DataError(
            f"{path}: {_size(size)} is over the {_size(limit)} limit on data files; to "
            f"raise it, {options.limit_hint} (or the {MAX_FILE_ENV} environment "
            f"variable, in MB)"
        )
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise DataError(f"{path}: unknown format {path.suffix!r}; use one of "
                        f"{', '.join(sorted(FORMATS))}")
    return fmt


class RowSource:
    """The rows of one file. Iterating reads the file from the start, streaming."""

    def __init__(self, path: Path, fmt: str, log: ProblemLog, options: ReadOptions):
        self.path, self.fmt, self.log, self.options = path, fmt, log, options
        self.columns: list[str] | None = None
        if fmt in ("csv", "tsv"):
            self.columns = self._csv_header()
        elif fmt == "parquet":
            self.columns = list(self._parquet().schema_arrow.names)

    def __iter__(self) -> Iterator[Row]:
        if self.fmt == "jsonl":
            return self._jsonl()
        if self.fmt == "json":
            return self._json()
        if self.fmt == "parquet":
            return self._parquet_rows()
        return self._csv_rows()

    # --- JSON -------------------------------------------------------------------------

    def _jsonl(self) -> Iterator[Row]:
        with self.path.open("rb") as fh:
            for lineno, raw in enumerate(fh, 1):
                if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8):]
                if not raw.strip():
                    continue
                where = f"line {lineno}"
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    self.log.add(where, _utf8_problem(raw, exc))
                    continue
                obj = self._decode(where, line)
                if obj is not None:
                    yield Row(where, obj)

    def _json(self) -> Iterator[Row]:
        data = self.path.read_bytes()
        if not data.lstrip(codecs.BOM_UTF8 + b" \t\r\n").startswith(b"["):
            yield from self._jsonl()
            return
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            self.log.add(f"line {line}", _utf8_problem(data, exc))
            return
        items = self._decode("", text, want=list)
        for i, item in enumerate(items or [], 1):
            if isinstance(item, dict):
                yield Row(f"item {i}", item)
            else:
                self.log.add(f"item {i}", f"expected a JSON object, got {kind_of(item)}")

    def _decode(self, where: str, text: str, want: type = dict) -> Any:
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            pos = f"line {exc.lineno}, column {exc.colno}" if not where else f"column {exc.colno}"
            self.log.add(where, f"not valid JSON: {exc.msg} ({pos})")
            return None
        except ValueError as exc:  # an integer over Python's 4,300-digit limit
            self.log.add(where, f"not valid JSON: {_number_problem(exc)}")
            return None
        except RecursionError:
            self.log.add(where, "not valid JSON: nested too deeply")
            return None
        if not isinstance(obj, want):
            expected = "a JSON object" if want is dict else "a JSON array of objects"
            self.log.add(where, f"expected {expected}, got {kind_of(obj)}")
            return None
        if _LONE_ESCAPE.search(text) and _holds_lone_surrogate(obj):
            self.log.add(where, "holds a lone surrogate escape such as \\ud800 (half of a "
                         "UTF-16 pair: no text); remove it or write the whole character")
            return None
        return obj

    # --- CSV --------------------------------------------------------------------------

    def _csv_reader(self, fh: Any) -> Any:
        limit = min(self.options.size_limit, sys.maxsize)
        csv.field_size_limit(max(csv.field_size_limit(), limit))
        return csv.reader(fh, delimiter="\t" if self.fmt == "tsv" else ",", strict=True)

    def _open_text(self) -> Any:
        return self.path.open(encoding="utf-8-sig", errors="surrogateescape", newline="")

    def _csv_header(self) -> list[str]:
        with self._open_text() as fh:
            reader = self._csv_reader(fh)
            try:
                header = next(reader, None)
            except csv.Error as exc:
                raise self.log.fatal("line 1", f"malformed CSV header: {exc}") from None
        if not header:
            raise self.log.fatal("", "empty file: no header row")
        for i, name in enumerate(header, 1):
            if _has_surrogates(name):
                self.log.add("line 1", f"column {i}: header is not valid UTF-8")
            elif not name.strip():
                self.log.add("line 1", f"column {i} has no name")
        dupes = sorted(n for n, k in Counter(header).items() if k > 1 and n.strip())
        if dupes:
            self.log.add("line 1", f"duplicate column name(s): {', '.join(dupes)}")
        self.log.raise_if_any()
        return header

    def _csv_rows(self) -> Iterator[Row]:
        header = self.columns or []
        with self._open_text() as fh:
            reader = self._csv_reader(fh)
            next(reader)
            n = 0
            while True:
                start = reader.line_num + 1
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    self.log.add(f"line {reader.line_num}", f"malformed CSV: {exc}; "
                                 "reading stopped here")
                    return
                if not cells:
                    continue
                n += 1
                where = f"row {n} (line {start})"
                if len(cells) != len(header):
                    self.log.add(where, f"{len(cells)} fields, the header has {len(header)}")
                    continue
                bad = [c for c, v in zip(header, cells, strict=True) if _has_surrogates(v)]
                if bad:
                    self.log.add(f"{where}, column {bad[0]!r}",
                                 "not valid UTF-8; save the file as UTF-8")
                    continue
                yield Row(where, dict(zip(header, cells, strict=True)))

    # --- Parquet ----------------------------------------------------------------------

    def _parquet(self) -> Any:
        try:
            import pyarrow.parquet as pq
        except ImportError:
            raise DataError(f"{self.path}: reading Parquet needs pyarrow: "
                            "pip install 'leasebench[parquet]'") from None
        try:
            return pq.ParquetFile(self.path)
        except Exception as exc:  # pyarrow raises ArrowInvalid, OSError, ValueError
            raise DataError(f"{self.path}: not a valid Parquet file ({exc})") from None

    def _parquet_rows(self) -> Iterator[Row]:
        n = 0
        try:
            for batch in self._parquet().iter_batches(batch_size=256):
                for values in batch.to_pylist():
                    n += 1
                    yield Row(f"row {n}", values)
        except DataError:
            raise
        except Exception as exc:  # a corrupt page, an unsupported type
            self.log.add(f"row {n + 1}", f"cannot read Parquet data ({exc}); reading stopped")


def open_rows(path: Path, log: ProblemLog, options: ReadOptions) -> RowSource:
    """The rows of ``path``, after checking the file (see ``check_file``)."""
    return RowSource(path, check_file(path, options), log, options)


def _size(n: int) -> str:
    return f"{n / _MB:,.1f} MB" if n >= _MB else f"{n / 1024:,.1f} KB"


def _holds_lone_surrogate(obj: Any) -> bool:
    """Whether a decoded JSON value has a string (or key) with an unpaired surrogate."""
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _LONE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _has_surrogates(text: str) -> bool:
    """Whether ``text`` holds bytes that were not UTF-8 (decoded with surrogateescape)."""
    return _SURROGATE.search(text) is not None


def _utf8_problem(raw: bytes, exc: UnicodeDecodeError) -> str:
    return (f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at byte {exc.start + 1}); "
            "save the file as UTF-8")


def _number_problem(exc: ValueError) -> str:
    if "digits" in str(exc):
        return "an integer with more than 4,300 digits (write long numbers as strings)"
    return str(exc)


__all__ = ["FORMATS", "Row", "RowSource", "check_file", "open_rows"]
