"""A column mapping that would fit a file, guessed from its columns and first rows.

Used in errors: "no text column 'text' (columns found: ...); map them: columns: {...}".
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from .columns import ColumnMapping

_ID_NAME = re.compile(r"(^|[_\s-])(id|key|uuid|doc_?id)$|^id[_\s-]", re.IGNORECASE)
_LABEL_NAME = re.compile(r"label|annotation|gold|target|answer|fields", re.IGNORECASE)


def suggest_mapping(
    columns: Sequence[str], rows: Sequence[dict[str, Any]], fields: Sequence[str] | None
) -> ColumnMapping | None:
    """The likeliest mapping: the id-like column, the column with the longest strings as
    text, the column holding JSON objects (or the columns named like fields) as labels."""
    if not columns:
        return None
    labels: str | list[str] | None = next(
        (c for c in columns if all(_is_object(r.get(c)) for r in rows) and rows), None
    ) or next((c for c in columns if _LABEL_NAME.search(c)), None)
    if labels is None and fields:
        named = [c for c in columns if c in fields]
        labels = named or None
    taken: set[str | None] = {labels} if isinstance(labels, str) else set(labels or [])
    id_col = next((c for c in columns if c not in taken and _ID_NAME.search(c)), None)
    taken.add(id_col)
    texts = [c for c in columns if c not in taken]
    if not texts:
        return None
    _, text = max(enumerate(texts), key=lambda ic: (
        sum(len(_as_text(r.get(ic[1]))) for r in rows), -ic[0]))  # the first of equals
    return ColumnMapping(id=id_col, text=text, labels=labels)


def mapping_hint(mapping: ColumnMapping | None, style: str) -> str:
    """How to give ``mapping``: in a manifest's ``data:`` or as ``--column`` options."""
    if mapping is None:
        return ("; map the columns with data.columns (id, text, labels), see docs/data.md"
                if style == "manifest" else "; map the columns with --column KEY=COLUMN")
    if style == "manifest":
        return f"; to map them, add to the manifest's data: {mapping.yaml_hint()}"
    opts = [f"--column id={mapping.id}"] if mapping.id else []
    opts.append(f"--column text={mapping.text}")
    if isinstance(mapping.labels, str):
        opts.append(f"--column labels={mapping.labels}")
    elif mapping.labels:
        opts.append(f"--column labels={','.join(mapping.labels)}")
    return "; to map them: " + " ".join(opts)


def _is_object(value: Any) -> bool:
    if isinstance(value, dict):
        return True
    if isinstance(value, str) and value.strip().startswith("{"):
        try:
            return isinstance(json.loads(value), dict)
        except ValueError:
            return False
    return False


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else ""


__all__ = ["mapping_hint", "suggest_mapping"]
