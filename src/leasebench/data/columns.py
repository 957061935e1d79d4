"""How a file's columns map onto records, which values mean "absent", and read limits.

``ColumnMapping`` is the manifest's ``data.columns``; ``ReadOptions`` gathers everything
one read needs (mapping, absent markers, size limit, the schema's fields). See
docs/data.md for the record format.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..limits import default_max_bytes

#: Cell values that mean "no value" (compared stripped and case-folded); null always does.
DEFAULT_ABSENT: tuple[str, ...] = ("", "N/A", "n/a", "none", "null", "nan")
#: Problems listed in full per file; the rest are counted.
MAX_PROBLEMS_SHOWN = 20


class ColumnMapping(BaseModel):
    """Which columns of a data file hold a record's id, text and labels.

    Columns not named here are kept in each record's `meta`.
    """

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(
        None, description="Id column. Default: `id` when the file has one, else each id is "
        "derived from the document text (`doc-` + the first 12 hex digits of its SHA-256, "
        "`-2`, `-3`, ... for repeats), stable across re-reads."
    )
    text: str = Field("text", description="Document text column.")
    labels: str | list[str] | dict[str, str] | None = Field(
        None, description="One column holding all labels (a JSON object, or a JSON string of "
        "one), or one column per field: a list of columns named like the fields, or "
        "`{field: column}`. Default: `labels` when the file has it, else every column named "
        "like a schema field."
    )

    def label_columns(self) -> dict[str, str] | None:
        """``{field: column}`` for one column per field; None for a single labels column."""
        if isinstance(self.labels, list):
            return {c: c for c in self.labels}
        if isinstance(self.labels, dict):
            return dict(self.labels)
        return None

    def yaml_hint(self) -> str:
        """This mapping as it would be written in a manifest (flow style)."""
        parts = [f"id: {self.id}"] if self.id else []
        parts.append(f"text: {self.text}")
        if isinstance(self.labels, str):
            parts.append(f"labels: {self.labels}")
        elif isinstance(self.labels, list):
            parts.append(f"labels: [{', '.join(self.labels)}]")
        elif isinstance(self.labels, dict):
            inner = ", ".join(f"{k}: {v}" for k, v in self.labels.items())
            parts.append(f"labels: {{{inner}}}")
        return "columns: {" + ", ".join(parts) + "}"


@dataclass(frozen=True)
class ReadOptions:
    """Everything one read needs.

    Attributes:
        columns: the column mapping.
        absent: markers that mean "no value" (compared stripped and case-folded).
        max_bytes: file size limit; None: ``default_max_bytes()``.
        fields: the schema's fields, to tell label columns from meta and to name unknown
            label keys; None when unknown (then every unmapped column of a file without a
            labels column is a field).
        require_text: a record without text is a problem (gold files for scoring may omit it).
        max_problems: problems listed in full; the rest are counted.
        limit_hint: how to raise the size limit, named in the error.
        mapping_style: how an error suggests a mapping: manifest keys or CLI options.
    """

    columns: ColumnMapping = field(default_factory=lambda: ColumnMapping())
    absent: tuple[str, ...] = DEFAULT_ABSENT
    max_bytes: int | None = None
    fields: tuple[str, ...] | None = None
    require_text: bool = True
    max_problems: int = MAX_PROBLEMS_SHOWN
    limit_hint: str = "set data.max_file_mb in the manifest"
    mapping_style: Literal["manifest", "cli"] = "manifest"

    @property
    def size_limit(self) -> int:
        return self.max_bytes if self.max_bytes is not None else default_max_bytes()

    def is_absent(self, value: Any) -> bool:
        """None, NaN, or a string equal to an absent marker (stripped, case-folded)."""
        if value is None:
            return True
        if isinstance(value, float):
            return math.isnan(value)
        if isinstance(value, str):
            return value.strip().casefold() in self._markers
        return False

    @cached_property
    def _markers(self) -> frozenset[str]:
        return frozenset(m.strip().casefold() for m in self.absent)


__all__ = [
    "DEFAULT_ABSENT",
    "MAX_PROBLEMS_SHOWN",
    "ColumnMapping",
    "ReadOptions",
]
