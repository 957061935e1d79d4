"""Lenient labels-from-model-text parsing, shared by extractors and the scorer CLI.

``parse_labels`` finds a JSON object in a model's answer (a fenced ```json block, or the
first balanced ``{...}`` after any prose), repairs trailing commas, falls back to a
Python-literal reading (single quotes, ``None``), and coerces the values: a string is
wrapped in a list, ``null`` becomes ``[]``, numbers and booleans become strings.

Model answers are untrusted input, so every step is linear in the answer's size (one
pass per scan, the candidates it decodes are disjoint spans) and nothing an answer can
hold raises: nesting too deep to decode, integers longer than Python converts, any
size. The Python-literal fallback is tried only on candidates up to
``MAX_LITERAL_CHARS`` (the parser's memory grows fast with them).
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from typing import Any

from .schema import FieldSchema

Labels = dict[str, list[str]]
MAX_LITERAL_CHARS = 200_000
MAX_INT_DIGITS = 4000  # longer integers stay digit strings (Python refuses over 4,300)
_JSON_LANGS = ("", "json", "json5", "javascript", "js", "python")
_LANG = re.compile(r"[ \t]*([A-Za-z0-9_-]*)")
_OPENERS, _CLOSERS = re.compile(r"\{+"), re.compile(r"\}+")
_DQ = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_SKIP = re.compile(rf'(?:[^{{}}"]+|{_DQ})*', re.DOTALL)  # up to the next brace or bad "
MAX_CANDIDATES = 200  # spans tried before giving up: bounds the work on brace-heavy text
_A_TRAILING = re.compile(r",\s*[}\]]")
_TRAILING = re.compile(r'("[^"\\]*(?:\\.[^"\\]*)*")|,\s*([}\]])', re.DOTALL)
_PY_WORDS = re.compile(r'("[^"\\]*(?:\\.[^"\\]*)*")|\b(null|true|false)\b', re.DOTALL)
_PY_VALUES = {"null": "None", "true": "True", "false": "False"}


def _int(digits: str) -> int | str:
    return int(digits) if len(digits.lstrip("-")) <= MAX_INT_DIGITS else digits


def _json(text: str) -> Any:
    return json.loads(text, parse_int=_int)


def fenced_blocks(text: str) -> list[tuple[str, str]]:
    """``(language, body)`` of every ```-fenced block, in order, in one pass.

    A fence opens at three backticks followed by an info string and a newline; its body
    runs to the next three backticks or the end of the text.
    """
    blocks: list[tuple[str, str]] = []
    i = 0
    while True:
        start = text.find("```", i)
        if start < 0:
            return blocks
        newline = text.find("\n", start + 3)
        if newline < 0:
            return blocks
        lang = _LANG.match(text, start + 3, newline)
        end = text.find("```", newline + 1)
        body = text[newline + 1 : end if end >= 0 else len(text)]
        blocks.append(((lang.group(1) if lang else "").lower(), body))
        if end < 0:
            return blocks
        i = end + 3


def strip_fence(text: str) -> str:
    """The text inside a single code fence wrapping the whole answer, else the text."""
    stripped = text.strip()
    newline = stripped.find("\n")
    fenced = len(stripped) >= 6 and stripped.startswith("```") and stripped.endswith("```")
    if fenced and 0 <= newline <= len(stripped) - 3:
        return stripped[newline + 1 : len(stripped) - 3].removesuffix("\n").strip()
    return stripped


def _balanced_objects(text: str) -> Iterator[str]:
    """Every top-level balanced ``{...}`` span, aware of "string literals", in order.

    Lazily, in one pass: between objects it jumps to the next ``{``; inside one, a single
    regex match steps over everything up to the next brace (strings whole), so the
    Python loop runs once per run of braces. Single-quoted strings are not tracked (an
    odd brace inside one cuts a span short; the whole answer is still tried last).
    """
    depth, start, pos, n = 0, -1, 0, len(text)
    while True:
        if depth == 0:
            start = text.find("{", pos)
            if start < 0:
                return
            pos = start
        pos = _SKIP.match(text, pos).end()  # type: ignore[union-attr]
        if pos >= n or text[pos] == '"':
            break  # the end, or a string that never closes
        if text[pos] == "{":
            run = _OPENERS.match(text, pos).end()  # type: ignore[union-attr]
            depth += run - pos
            pos = run
            continue
        run = _CLOSERS.match(text, pos).end()  # type: ignore[union-attr]
        if run - pos >= depth:
            yield text[start : pos + depth]
            depth, pos = 0, pos + depth
        else:
            depth -= run - pos
            pos = run
    if depth > 0:
        yield text[start:]  # unterminated: let the decoder report it


def _without_trailing_commas(text: str) -> str:
    return _TRAILING.sub(r"\1\2", text) if _A_TRAILING.search(text) else text


def _python_literal(text: str) -> Any:
    py = _PY_WORDS.sub(lambda m: m.group(1) or _PY_VALUES[m.group(2)], text)
    return ast.literal_eval(py)


def _decode(candidate: str) -> Any:
    repaired = _without_trailing_commas(candidate)
    for attempt in (candidate, repaired) if repaired != candidate else (candidate,):
        try:
            return _json(attempt)
        except (ValueError, RecursionError):
            pass
    if len(candidate) > MAX_LITERAL_CHARS:
        raise ValueError(
            f"no valid JSON object found (a Python-literal reading is tried only up to "
            f"{MAX_LITERAL_CHARS:,} characters)"
        )
    try:
        return _python_literal(repaired)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        raise ValueError("no valid JSON object found") from None


def _candidates(text: str, stripped: str) -> Iterator[str]:
    """Spans that may hold the answer's object: fenced blocks first, then the text."""
    for lang, body in fenced_blocks(text):
        if lang in _JSON_LANGS:
            found = False
            for span in _balanced_objects(body):
                found = True
                yield span
            if not found:
                yield body.strip()
    yield from _balanced_objects(text)
    yield stripped


def find_json_object(text: Any) -> tuple[Any, str | None]:
    """The first JSON object in ``text`` (fenced blocks first), or ``(None, error)``.

    At most ``MAX_CANDIDATES`` distinct spans are decoded.
    """
    if not isinstance(text, str):
        return None, f"expected text, got {type(text).__name__}"
    stripped = text.strip()
    if not stripped:
        return None, "empty answer"
    last_error = "no JSON object found"
    seen: set[str] = set()
    for tried, candidate in enumerate(_candidates(text, stripped)):
        if tried >= MAX_CANDIDATES:
            return None, f"{last_error} (gave up after {MAX_CANDIDATES} candidate spans)"
        if candidate in seen or not candidate:
            continue
        seen.add(candidate)
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
        return None, f"not a list of strings: {', '.join(bad[:10])}"
    if schema is not None:
        labels = {f: labels.get(f, []) for f in schema.fields}
    return labels, None


def parse_labels(text: Any, schema: FieldSchema | None = None) -> tuple[Labels | None, str | None]:
    """``(labels, None)`` from a model's answer, or ``(None, error)`` when it has none."""
    obj, error = find_json_object(text)
    if obj is None:
        return None, error
    return coerce_labels(obj, schema)


__all__ = [
    "coerce_labels",
    "coerce_values",
    "fenced_blocks",
    "find_json_object",
    "parse_labels",
    "strip_fence",
]
