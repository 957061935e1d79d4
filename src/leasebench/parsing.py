"""Lenient labels-from-model-text parsing, shared by extractors and the scorer CLI.

``parse_labels`` finds a JSON object in a model's answer (a fenced ```json block, or the
first balanced ``{...}`` after any prose), repairs trailing commas, falls back to a
Python-literal reading (single quotes, ``None``), and coerces the values: a string is
wrapped in a list, ``null`` becomes ``[]``, numbers and booleans become strings.
"""

from __future__ import annotations

import ast
import json
import re
from typing import Any

from .schema import FieldSchema

Labels = dict[str, list[str]]
_FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_-]*)[^\n]*\n(.*?)(?:```|\Z)", re.DOTALL)


def _balanced_objects(text: str) -> list[str]:
    """Every top-level balanced ``{...}`` span, string-literal aware, in order."""
    spans, depth, start, quote, escaped = [], 0, -1, "", False
    for i, ch in enumerate(text):
        if quote:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == quote:
                quote = ""
        elif ch in "\"'" and depth > 0:
            quote = ch if ch == '"' or _opens_single(text, i) else ""
        elif ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}" and depth > 0:
            depth -= 1
            if depth == 0:
                spans.append(text[start : i + 1])
    if depth > 0 and start >= 0:
        spans.append(text[start:])  # unterminated: let the decoder report it
    return spans


def _opens_single(text: str, i: int) -> bool:
    """A single quote opens a string only where a JSON value or key could start."""
    prev = text[:i].rstrip()[-1:]
    return prev in ("{", "[", ",", ":")


def _without_trailing_commas(text: str) -> str:
    out, quote, escaped, i = [], "", False, 0
    while i < len(text):
        ch = text[i]
        if quote:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == quote:
                quote = ""
            out.append(ch)
        elif ch == '"':
            quote = ch
            out.append(ch)
        elif ch == "," and (m := re.match(r",\s*([}\]])", text[i:])):
            i += m.end() - 1
            continue
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def _decode(candidate: str) -> Any:
    for attempt in (candidate, _without_trailing_commas(candidate)):
        try:
            return json.loads(attempt)
        except (json.JSONDecodeError, RecursionError):
            pass
    try:
        py = _without_trailing_commas(candidate)
        py = re.sub(r"\bnull\b", "None", re.sub(r"\btrue\b", "True", py))
        return ast.literal_eval(re.sub(r"\bfalse\b", "False", py))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        raise ValueError("no valid JSON object found") from None


def find_json_object(text: str) -> tuple[Any, str | None]:
    """The first JSON object in ``text`` (fenced blocks first), or ``(None, error)``."""
    candidates = []
    for m in _FENCE.finditer(text):
        lang, body = m.group(1).lower(), m.group(2)
        if lang in ("", "json", "json5", "javascript", "js", "python"):
            candidates.extend(_balanced_objects(body) or [body.strip()])
    candidates.extend(_balanced_objects(text))
    stripped = text.strip()
    if stripped and stripped not in candidates:
        candidates.append(stripped)
    last_error = "empty answer" if not stripped else "no JSON object found"
    for candidate in candidates:
        try:
            value = _decode(candidate)
        except ValueError as exc:
            last_error = str(exc)
            continue
        if isinstance(value, dict):
            return value, None
        last_error = f"expected a JSON object, got {type(value).__name__}"
    return None, last_error


def coerce_values(value: Any) -> list[str] | None:
    """A field's value as a list of strings, or ``None`` when it cannot be one."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, bool):
        return [str(value).lower()]
    if isinstance(value, (int, float)):
        return [str(value)]
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


def _key(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().casefold())


def coerce_labels(obj: Any, schema: FieldSchema | None = None) -> tuple[Labels | None, str | None]:
    """Labels from a decoded object: values coerced, keys matched to the schema's fields
    (exactly, else ignoring case, spaces and hyphens); unknown keys dropped, missing
    fields ``[]``. Without a schema every key is kept."""
    if not isinstance(obj, dict):
        return None, f"expected a JSON object, got {type(obj).__name__}"
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
    if bad:
        return None, f"not a list of strings: {', '.join(bad)}"
    if schema is not None:
        labels = {f: labels.get(f, []) for f in schema.fields}
    return labels, None


def parse_labels(text: str, schema: FieldSchema | None = None) -> tuple[Labels | None, str | None]:
    """``(labels, None)`` from a model's answer, or ``(None, error)`` when it has none."""
    if not isinstance(text, str):
        return None, f"expected text, got {type(text).__name__}"
    obj, error = find_json_object(text)
    if obj is None:
        return None, error
    return coerce_labels(obj, schema)


__all__ = ["coerce_labels", "coerce_values", "find_json_object", "parse_labels"]
