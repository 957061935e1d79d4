"""Reading gold and prediction JSONL files for standalone scoring.

Gold lines are objects with ``id`` and ``labels`` (``text`` and other record keys are
optional). Prediction lines are objects with ``id`` and one of: ``fields`` or ``labels``
as a JSON object, ``fields``/``labels`` as a string of model text, or model text in
``raw``/``output``/``text``/``response``/``completion``. Text is parsed leniently
(fenced JSON, prose around it, trailing commas); an answer without valid labels is a
parse failure (scored all-absent and counted), never dropped. ``error`` or
``parse_error`` keys are kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import DataError
from ..io import iter_json_objects
from ..parsing import coerce_labels, coerce_values, parse_labels
from ..records import Prediction, Record
from ..schema import BUILTIN_SCHEMAS, FieldSchema, builtin_schema

TEXT_KEYS = ("raw", "output", "text", "response", "completion")


def _objects(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    for n, obj in iter_json_objects(path):
        ident = obj.get("id")
        if isinstance(ident, int) and not isinstance(ident, bool):
            ident = str(ident)
        if not isinstance(ident, str) or not ident:
            raise DataError(f"{path}:{n}: missing or empty 'id'")
        obj["id"] = ident
        yield n, obj


def _check_unique(path: Path, seen: dict[str, int], ident: str, n: int) -> None:
    if ident in seen:
        raise DataError(f"{path}:{n}: duplicate id {ident!r} (first on line {seen[ident]})")
    seen[ident] = n


def load_gold(path: Path) -> list[Record]:
    """Gold records; values may be lists or single strings (wrapped)."""
    records, seen = [], {}
    for n, obj in _objects(path):
        _check_unique(path, seen, obj["id"], n)
        raw = obj.get("labels", obj.get("fields"))
        if not isinstance(raw, dict):
            raise DataError(f"{path}:{n}: 'labels' must be a JSON object")
        labels = {}
        for field, value in raw.items():
            values = coerce_values(value)
            if values is None:
                raise DataError(f"{path}:{n}: labels.{field}: not a list of strings")
            labels[str(field)] = values
        text = obj.get("text")
        records.append(Record(id=obj["id"], text=text if isinstance(text, str) else "",
                              labels=labels))
    return records


def load_predictions(path: Path, schema: FieldSchema | None) -> list[Prediction]:
    """Predictions, parsing raw model text where that is what the file holds."""
    preds, seen = [], {}
    for n, obj in _objects(path):
        _check_unique(path, seen, obj["id"], n)
        preds.append(_prediction(path, n, obj, schema))
    return preds


def _prediction(path: Path, n: int, obj: dict[str, Any], schema: FieldSchema | None) -> Prediction:
    error, parse_error = obj.get("error"), obj.get("parse_error")
    raw_text = next((obj[k] for k in TEXT_KEYS if isinstance(obj.get(k), str)), None)
    base = {"id": obj["id"], "raw": raw_text}
    if error or parse_error:
        return Prediction(**base, error=str(error) if error else None,
                          parse_error=str(parse_error) if parse_error else None)
    value = obj.get("fields", obj.get("labels"))
    if isinstance(value, dict):
        labels, problem = coerce_labels(value, schema)
    elif isinstance(value, str):
        base["raw"] = value
        labels, problem = parse_labels(value, schema)
    elif value is None and raw_text is not None:
        labels, problem = parse_labels(raw_text, schema)
    else:
        raise DataError(
            f"{path}:{n}: no labels: expected 'fields' or 'labels' (an object or model "
            f"text) or model text in one of {', '.join(TEXT_KEYS)}"
        )
    if labels is None:
        return Prediction(**base, parse_error=problem or "unparseable")
    return Prediction(**base, fields=labels)


def infer_schema(records: list[Record]) -> FieldSchema:
    """The built-in ``lease`` schema when every gold field is one of its fields, else an
    all-``text`` schema of the gold fields in order of first appearance."""
    names = list(dict.fromkeys(f for r in records for f in r.labels))
    lease = builtin_schema(BUILTIN_SCHEMAS[0])
    if not names or set(names) <= set(lease.fields):
        return lease
    props = {f: {"type": "array", "items": {"type": "string"}, "x-kind": "text"} for f in names}
    return FieldSchema("inferred", {"properties": props})


__all__ = ["TEXT_KEYS", "infer_schema", "load_gold", "load_predictions"]
