"""Reading gold and prediction files for standalone scoring, through the record reader.

Gold files are record files (JSONL, JSON, CSV, TSV or Parquet; see docs/data.md): ``id``
and labels, through the same column mapping and absent markers as a run's data, with
``text`` optional. Prediction files are read row by row by the same row reader: each row
has the id (the gold's id column, else ``id``) and one of: ``fields`` or ``labels`` as a
JSON object, ``fields``/``labels`` as a string of model text, model text in
``raw``/``output``/``text``/``response``/``completion``, or one column per schema field.
Text is parsed leniently (fenced JSON, prose around it, trailing commas); an answer
without valid labels is a parse failure (scored all-absent and counted), never dropped,
and one cut off or malformed keeps its complete pairs (``partial``; a ``fields`` object
keeps a stored ``partial: true``).
``error`` or ``parse_error`` keys are kept. Absent markers are dropped from predicted
values exactly as from gold values. Every problem of a file is reported at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..data.columns import ReadOptions
from ..data.problems import ProblemLog
from ..data.reader import read_records
from ..data.rows import Row, open_rows
from ..nearest import nearest
from ..parsing import coerce_labels, parse_answer
from ..records import Labels, Prediction, Record
from ..schema import BUILTIN_SCHEMAS, FieldSchema, builtin_schema
from ..values.labels import kind_of, label_values

TEXT_KEYS = ("raw", "output", "text", "response", "completion")
LABEL_KEYS = ("fields", "labels")


def load_gold(path: Path, options: ReadOptions | None = None) -> list[Record]:
    """Gold records: the record reader, with the document text optional."""
    return read_records(path, replace(options or ReadOptions(), require_text=False))


def load_predictions(
    path: Path, schema: FieldSchema | None, options: ReadOptions | None = None
) -> list[Prediction]:
    """Predictions, parsing raw model text where that is what the file holds."""
    options = options or ReadOptions()
    log = ProblemLog(path, options.max_problems)
    preds: list[Prediction] = []
    seen: dict[str, str] = {}
    for row in open_rows(path, log, options):
        before = log.count
        pred = _prediction(row, schema, options, log)
        if pred is None or log.count > before:
            continue
        if pred.id in seen:
            log.add(f"{row.where}, column 'id'",
                    f"duplicate id {pred.id!r} (first at {seen[pred.id]})")
            continue
        seen[pred.id] = row.where
        preds.append(pred)
    log.raise_if_any()
    return preds


def _prediction(
    row: Row, schema: FieldSchema | None, options: ReadOptions, log: ProblemLog
) -> Prediction | None:
    obj = row.values
    id_col = options.columns.id if options.columns.id in obj else "id"
    ident = obj.get(id_col)
    if isinstance(ident, int) and not isinstance(ident, bool):
        ident = str(ident)
    if not isinstance(ident, str) or options.is_absent(ident):
        log.add(f"{row.where}, column {id_col!r}", "missing or empty id")
        return None
    error, parse_error = (None if options.is_absent(obj.get(k)) else str(obj[k])
                          for k in ("error", "parse_error"))
    raw_text = next((obj[k] for k in TEXT_KEYS if isinstance(obj.get(k), str)
                     and not options.is_absent(obj[k])), None)
    base: dict[str, Any] = {"id": ident, "raw": raw_text}
    if error or parse_error:
        return Prediction(**base, error=error, parse_error=parse_error)
    key = next((k for k in (_labels_column(options), *LABEL_KEYS) if k and k in obj), None)
    value = obj.get(key) if key else None
    per_field = [f for f in (schema.fields if schema else []) if f in obj]
    if isinstance(value, dict):
        labels, problem = coerce_labels(value, schema)
        base["partial"] = obj.get("partial") is True
    elif isinstance(value, str) and not options.is_absent(value):
        base["raw"] = value
        labels, problem, base["partial"] = _parsed(value, schema)
    elif raw_text is not None:
        labels, problem, base["partial"] = _parsed(raw_text, schema)
    elif per_field:
        labels, problem = coerce_labels({f: obj[f] for f in per_field}, schema)
    elif key is not None and options.is_absent(value):
        labels, problem = coerce_labels({}, schema)
    elif key is not None:
        log.add(f"{row.where}, column {key!r}",
                f"expected an object or model text, got {kind_of(value)}")
        return None
    else:
        log.add(row.where, "no labels: expected 'fields' or 'labels' (an object or model "
                f"text), model text in one of {', '.join(TEXT_KEYS)}, or one column per "
                f"field (columns found: {', '.join(map(repr, obj))})")
        return None
    if labels is None:
        return Prediction(**base, parse_error=problem or "unparseable")
    return Prediction(**base, fields=_without_absent(labels, options))


def _parsed(text: str, schema: FieldSchema | None) -> tuple[Labels | None, str | None, bool]:
    parsed = parse_answer(text, schema)
    return parsed.labels, parsed.error, parsed.partial


def _labels_column(options: ReadOptions) -> str | None:
    labels = options.columns.labels
    return labels if isinstance(labels, str) else None


def _without_absent(labels: dict[str, list[str]], options: ReadOptions) -> dict[str, list[str]]:
    out = {}
    for field, values in labels.items():
        kept = label_values(values, options.is_absent)
        out[field] = kept if isinstance(kept, list) else values
    return out


def without_absent(predictions: list[Prediction], absent: Sequence[str]) -> list[Prediction]:
    """The predictions with absent markers dropped from their values, as a prediction file
    read with those markers would give them (a run scores its predictions this way)."""
    options = ReadOptions(absent=tuple(absent))
    return [p.model_copy(update={"fields": _without_absent(p.fields, options)})
            if p.fields else p for p in predictions]


def infer_schema(records: list[Record]) -> FieldSchema:
    """The built-in ``lease`` schema when every gold field is one of its fields, else an
    all-``text`` schema of the gold fields in order of first appearance."""
    names = list(dict.fromkeys(f for r in records for f in r.labels))
    lease = builtin_schema(BUILTIN_SCHEMAS[0])
    if not names or set(names) <= set(lease.fields):
        return lease
    props = {f: {"type": "array", "items": {"type": "string"}, "x-kind": "text"} for f in names}
    return FieldSchema("inferred", {"properties": props})


def mistyped_builtin(records: list[Record]) -> FieldSchema | None:
    """The built-in ``lease`` schema when the gold fields fit it except for names that are
    near misses of its fields ('Lessor', 'end_dat'): a typo, not another schema."""
    names = set(f for r in records for f in r.labels)
    lease = builtin_schema(BUILTIN_SCHEMAS[0])
    unknown = names - set(lease.fields)
    if unknown and all(nearest(n, lease.fields) for n in unknown):
        return lease
    return None


__all__ = ["LABEL_KEYS", "TEXT_KEYS", "infer_schema", "load_gold", "load_predictions",
           "mistyped_builtin", "without_absent"]
