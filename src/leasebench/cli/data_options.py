"""Click options shared by commands that read data files: column mapping, absent markers,
size limit."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import click
from pydantic import ValidationError

from ..data.columns import DEFAULT_ABSENT, ColumnMapping, ReadOptions
from ..limits import MAX_FILE_ENV


def data_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--column``, ``--absent`` and ``--max-file-mb`` to a command."""
    func = click.option(
        "--max-file-mb", type=click.FloatRange(min=0, min_open=True), default=None,
        help=f"Largest file read, in MB [default: {MAX_FILE_ENV}, else 1024].",
    )(func)
    func = click.option(
        "--absent", "absent", multiple=True, metavar="MARKER",
        help="A value meaning absent (repeatable; replaces the default "
             f"{', '.join(repr(m) for m in DEFAULT_ABSENT)}).",
    )(func)
    return click.option(
        "--column", "columns", multiple=True, metavar="KEY=COLUMN",
        help="Map a column: id=lease_id, text=lease_doc, labels=labels (one labels column), "
             "labels=lessor,lessee (one column per field) or labels.lessor=landlord. "
             "Repeatable; see docs/data.md.",
    )(func)


def parse_columns(items: Sequence[str]) -> ColumnMapping:
    """``--column`` values as a ``ColumnMapping``; a usage error names a bad one."""
    raw: dict[str, Any] = {}
    per_field: dict[str, str] = {}
    for item in items:
        key, sep, column = item.partition("=")
        key, column = key.strip(), column.strip()
        if not sep or not key or not column:
            raise click.BadParameter(f"{item!r}: expected KEY=COLUMN", param_hint="--column")
        if key.startswith("labels."):
            per_field[key.removeprefix("labels.")] = column
        elif key == "labels" and "," in column:
            raw["labels"] = [c.strip() for c in column.split(",") if c.strip()]
        elif key in ("id", "text", "labels"):
            raw[key] = column
        else:
            raise click.BadParameter(f"{item!r}: KEY is id, text, labels or labels.FIELD",
                                     param_hint="--column")
    if per_field:
        if "labels" in raw:
            raise click.BadParameter("give labels=... or labels.FIELD=..., not both",
                                     param_hint="--column")
        raw["labels"] = per_field
    try:
        return ColumnMapping.model_validate(raw)
    except ValidationError as exc:  # pragma: no cover - the parser builds valid values
        raise click.BadParameter(str(exc), param_hint="--column") from None


def read_options(
    columns: Sequence[str], absent: Sequence[str], max_file_mb: float | None, **extra: Any
) -> ReadOptions:
    """``ReadOptions`` from the shared options."""
    return ReadOptions(
        columns=parse_columns(columns), absent=tuple(absent) or DEFAULT_ABSENT,
        max_bytes=None if max_file_mb is None else int(max_file_mb * 1024 * 1024),
        limit_hint="pass --max-file-mb", mapping_style="cli", **extra,
    )


__all__ = ["data_options", "parse_columns", "read_options"]
