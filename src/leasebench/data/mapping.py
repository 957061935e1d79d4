"""One row -> one ``Record``, through the column mapping (see docs/data.md).

``RecordMapper.bind(columns)`` resolves the mapping against the columns a file has and
raises a ``DataError`` naming the columns found and a mapping that would fit when a
mapped column is missing. ``RecordMapper.record(row)`` converts one row, logging every
problem of the row (with its location and column) and returning None for a bad row.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import DataError
from ..nearest import did_you_mean
from ..records import Origin, Record
from ..values.labels import kind_of, label_values, labels_object, plain
from .columns import ReadOptions
from .problems import ProblemLog
from .rows import Row

#: Keys a native record file (JSONL written by leasebench) carries besides id/text/labels.
RECORD_KEYS = ("origin", "meta")
#: Columns named in a "no such column" error; the rest are counted.
SHOWN = 50


@dataclass
class Binding:
    """The mapping resolved against one file's columns."""

    id: str | None
    text: str | None
    labels: str | None = None
    per_field: dict[str, str] | None = None
    rest_are_fields: bool = False
    used: set[str] = field(default_factory=set)


def derived_id(text: str, repeat: int) -> str:
    """``doc-`` + 12 hex digits of the text's SHA-256; ``-2``, ``-3``... for repeated text."""
    base = "doc-" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return base if repeat <= 1 else f"{base}-{repeat}"


class RecordMapper:
    """Converts the rows of one file into records, collecting problems in ``log``."""

    def __init__(self, path: Path | str, options: ReadOptions, log: ProblemLog,
                 suggest: Callable[[Sequence[str]], str] | None = None):
        self.path, self.options, self.log = path, options, log
        self.suggest = suggest
        self.binding: Binding | None = None
        self._ids: dict[str, str] = {}
        self._texts: Counter[str] = Counter()

    def bind(self, columns: Sequence[str]) -> Binding:
        """Resolve the mapping against ``columns``; a ``DataError`` when it does not fit."""
        opts, m = self.options, self.options.columns
        present = set(columns)
        missing: list[str] = []
        id_col = m.id or ("id" if "id" in present else None)
        if m.id and m.id not in present:
            missing.append(f"id column {m.id!r}")
        text_col: str | None = m.text
        if m.text not in present:
            if opts.require_text or "text" in m.model_fields_set:
                missing.append(f"text column {m.text!r}")
            text_col = None
        binding = Binding(id=id_col, text=text_col)
        per_field = m.label_columns()
        if isinstance(m.labels, str):
            binding.labels = m.labels
            if m.labels not in present:
                missing.append(f"labels column {m.labels!r}")
        elif per_field is not None:
            binding.per_field = per_field
            gone = [c for c in per_field.values() if c not in present]
            if gone:
                missing.append(f"label column(s) {', '.join(map(repr, gone))}")
        elif "labels" in present or ("fields" in present and "fields" not in (opts.fields or ())):
            binding.labels = "labels" if "labels" in present else "fields"
        elif opts.fields is not None:
            binding.per_field = {f: f for f in opts.fields if f in present}
            if not binding.per_field:
                missing.append("a `labels` column or columns named like the schema's fields")
        else:
            binding.rest_are_fields = True
        if missing:
            found = ", ".join(map(repr, columns[:SHOWN])) or "none"
            if len(columns) > SHOWN:
                found += f" and {len(columns) - SHOWN:,} more"
            hint = self.suggest(columns) if self.suggest else ""
            raise DataError(f"{self.path}: no {'; no '.join(missing)} (columns found: "
                            f"{found}){hint}")
        binding.used = {c for c in (id_col, text_col, binding.labels) if c}
        binding.used |= set((binding.per_field or {}).values())
        self.binding = binding
        return binding

    def record(self, row: Row) -> Record | None:
        """The row as a record, or None after logging its problems."""
        b = self.binding
        assert b is not None, "bind() first"
        values, before = row.values, self.log.count

        def problem(column: str | None, message: str) -> None:
            self.log.add(f"{row.where}, column {column!r}" if column else row.where, message)

        rid = self._id(values, b, problem)
        text = self._text(values, b, problem)
        labels = self._labels(values, b, problem)
        origin, meta = self._extras(values, b, problem)
        if self.log.count > before or text is None or labels is None:
            return None
        if rid is None:
            self._texts[text] += 1
            rid = derived_id(text, self._texts[text])
        if rid in self._ids:
            problem(b.id, f"duplicate id {rid!r} (first at {self._ids[rid]})")
            return None
        self._ids[rid] = row.where
        return Record(id=rid, text=text, labels=labels, origin=origin, meta=meta)

    def _id(self, values: dict[str, Any], b: Binding, problem: Any) -> str | None:
        if b.id is None:
            if "id" in values and not self.options.columns.id and values["id"] is not None:
                problem("id", "this row has an id but the file's first row has none: give "
                        "every row an id, or none (ids are then derived from the text)")
            return None
        raw = values.get(b.id)
        if isinstance(raw, bool) or not isinstance(raw, (str, int)):
            problem(b.id, f"expected an id (a string or an integer), got {kind_of(raw)}")
            return None
        rid = str(raw)
        if self.options.is_absent(rid):
            problem(b.id, f"empty id {rid!r}")
            return None
        return rid

    def _text(self, values: dict[str, Any], b: Binding, problem: Any) -> str | None:
        if b.text is None:
            return ""
        raw = values.get(b.text)
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError:
                problem(b.text, "not valid UTF-8")
                return None
        if isinstance(raw, str):
            return raw
        if raw is None and not self.options.require_text:
            return ""
        problem(b.text, f"expected the document text (a string), got {kind_of(raw)}")
        return None

    def _labels(self, values: dict[str, Any], b: Binding, problem: Any
                ) -> dict[str, list[str]] | None:
        absent = self.options.is_absent
        if b.labels is not None:
            obj = labels_object(values.get(b.labels), absent)
            if isinstance(obj, str):
                problem(b.labels, obj)
                return None
            pairs = [(str(k), v, b.labels, False) for k, v in obj.items()]
            known = self.options.fields
            unknown = [k for k, *_ in pairs if known is not None and k not in known]
            if unknown:
                named = ", ".join(repr(k) + did_you_mean(k, known or ()) for k in unknown)
                problem(b.labels, f"unknown field(s) {named} (the schema's fields: "
                        f"{', '.join(known or ())})")
                return None
        elif b.per_field is not None:
            pairs = [(f, values.get(c), c, True) for f, c in b.per_field.items()]
        else:
            rest = [c for c in values if c not in b.used and c not in RECORD_KEYS]
            pairs = [(c, values[c], c, True) for c in rest]
        labels: dict[str, list[str]] = {}
        ok = True
        for name, value, column, json_lists in pairs:
            got = label_values(value, absent, json_lists=json_lists)
            if isinstance(got, str):
                where = column if column != b.labels else f"{column}.{name}"
                problem(where, got)
                ok = False
            else:
                labels[name] = got
        return labels if ok else None

    def _extras(self, values: dict[str, Any], b: Binding, problem: Any
                ) -> tuple[Origin, dict[str, Any]]:
        origin, meta = Origin(), {}
        for column, value in values.items():
            if column in b.used or (b.rest_are_fields and column not in RECORD_KEYS):
                continue
            if column == "origin" and isinstance(value, dict):
                try:
                    origin = Origin.model_validate(value)
                except ValidationError as exc:
                    err = exc.errors()[0]
                    where = ".".join(str(p) for p in ("origin", *err["loc"]))
                    problem(where, err["msg"])
            elif column == "meta" and isinstance(value, dict):
                meta.update(plain(value))
            elif column != "id" or b.id is not None:
                meta[column] = plain(value)
        return origin, meta


__all__ = ["RECORD_KEYS", "Binding", "RecordMapper", "derived_id"]
