"""Reading and writing records: JSONL, CSV and Parquet in; atomic JSONL out."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import DataError
from .records import Record

M = TypeVar("M", bound=BaseModel)


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and rename: never half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_jsonl(path: Path, items: Iterable[BaseModel | dict[str, Any]]) -> None:
    lines = []
    for item in items:
        if isinstance(item, BaseModel):
            lines.append(item.model_dump_json())
        else:
            lines.append(json.dumps(item, sort_keys=True, ensure_ascii=False))
    atomic_write_text(path, "".join(line + "\n" for line in lines))


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


def _record_from_row(row: dict[str, Any], where: str) -> Record:
    """A record from a flat row: id, text, and labels (JSON object) or one column per field."""
    data = {k: v for k, v in row.items() if v is not None}
    labels = data.pop("labels", None)
    if isinstance(labels, str):
        try:
            labels = json.loads(labels)
        except json.JSONDecodeError as exc:
            raise DataError(f"{where}: labels is not valid JSON: {exc}") from exc
    if labels is None:
        labels = {}
        for key in [k for k in data if k not in ("id", "text", "origin", "meta")]:
            value = data.pop(key)
            if isinstance(value, str):
                try:
                    value = json.loads(value)
                except json.JSONDecodeError:
                    value = [value] if value else []
            labels[key] = list(value) if not isinstance(value, str) else [value]
    try:
        return Record.model_validate({**data, "labels": labels, "id": str(data.get("id", ""))})
    except ValidationError as exc:
        raise DataError(f"{where}: {_first_error(exc)}") from exc


def iter_json_objects(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for every non-blank line of a JSONL file; errors name the line."""
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc}") from exc
    with handle:
        for lineno, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"{path}:{lineno}: not valid JSON: {exc.msg}") from exc
            if not isinstance(row, dict):
                raise DataError(f"{path}:{lineno}: expected a JSON object")
            yield lineno, row


def read_records(path: Path) -> list[Record]:
    """Records from a JSONL, CSV or Parquet file; errors name the file and row."""
    if not path.exists():
        raise DataError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        records = [
            _record_from_row(row, f"{path}:{lineno}") for lineno, row in iter_json_objects(path)
        ]
    elif suffix in (".csv", ".parquet", ".pq"):
        import pandas as pd

        try:
            frame = pd.read_csv(path, dtype=str) if suffix == ".csv" else pd.read_parquet(path)
        except ImportError as exc:
            raise DataError(f"{path}: reading Parquet needs pyarrow: pip install pyarrow") from exc
        frame = frame.astype(object).where(frame.notna(), None)
        records = [
            _record_from_row(row, f"{path}: row {i + 1}")
            for i, row in enumerate(frame.to_dict("records"))
        ]
    else:
        raise DataError(f"{path}: unknown format {suffix!r}; use .jsonl, .csv or .parquet")
    ids = [r.id for r in records]
    dupes = sorted({i for i in ids if ids.count(i) > 1}) if len(set(ids)) != len(ids) else []
    if dupes:
        raise DataError(f"{path}: duplicate record id(s): {', '.join(dupes[:5])}")
    return records


__all__ = [
    "atomic_write_text",
    "iter_json_objects",
    "iter_jsonl",
    "read_jsonl",
    "read_records",
    "write_jsonl",
]
