"""Labels from a decoded answer object: values as lists of strings, keys matched to the
schema's fields."""

from __future__ import annotations

import re
from typing import Any

from .records import Labels
from .schema import FieldSchema


def coerce_values(value: Any) -> list[str] | None:
    """A field's value as a list of strings, or ``None`` when it cannot be one."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, bool):
        return [str(value).lower()]
    if isinstance(value, (int, float)):
        return [_number_text(value)]
    if isinstance(value, (list, tuple)):
        out: list[str] = []
        for item in value:
            if item is None:
                continue
            if isinstance(item, (dict, list, tuple)):
                return None
            out.extend([item] if isinstance(item, str) else coerce_values(item) or [])
        return out
    return None


def _number_text(value: float) -> str:
    try:
        return str(value)
    except ValueError:  # an int too long for decimal conversion
        return hex(int(value))


def _key(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().casefold())


def coerce_labels_named(
    obj: Any, schema: FieldSchema | None, skip_bad: bool = False
) -> tuple[Labels | None, str | None, set[str]]:
    """Labels, error, and the schema fields the object names (before filling in ``[]``)."""
    if not isinstance(obj, dict):
        return None, f"expected a JSON object, got {type(obj).__name__}", set()
    if schema is not None and not (set(obj) & set(schema.fields)):
        nested = [v for v in obj.values() if isinstance(v, dict)]
        if len(nested) == 1 and set(nested[0]) & set(schema.fields):
            obj = nested[0]  # {"labels": {...}} and similar wrappers
    labels: Labels = {}
    bad = []
    lookup = {_key(f): f for f in schema.fields} if schema is not None else None
    for key, value in obj.items():
        name = str(key)
        if lookup is not None:
            if name not in lookup.values():
                name = lookup.get(_key(name), "")
            if not name or name in labels:
                continue
        values = coerce_values(value)
        if values is None:
            bad.append(name)
            continue
        labels[name] = values
    if bad and not skip_bad:
        return None, f"not a list of strings: {', '.join(bad[:10])}", set()
    present = set(labels)
    if schema is not None:
        labels = {f: labels.get(f, []) for f in schema.fields}
    return labels, None, present


def coerce_labels(obj: Any, schema: FieldSchema | None = None) -> tuple[Labels | None, str | None]:
    """Labels from a decoded object: values coerced, keys matched to the schema's fields
    (exactly, else ignoring case, spaces and hyphens); unknown keys dropped, missing
    fields ``[]``. Without a schema every key is kept."""
    labels, error, _ = coerce_labels_named(obj, schema)
    return labels, error


__all__ = ["Labels", "coerce_labels", "coerce_labels_named", "coerce_values"]
