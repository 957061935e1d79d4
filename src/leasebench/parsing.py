"""Lenient labels-from-model-text parsing, shared by extractors and the scorer CLI.

``parse_labels`` finds a JSON object in a model's answer (a fenced ```json block, or the
first balanced ``{...}`` after any prose), repairs trailing commas, falls back to a
Python-literal reading (single quotes, ``None``), and coerces the values: a string is
wrapped in a list, ``null`` becomes ``[]``, numbers and booleans become strings.

``parse_answer`` adds two rules for model answers against a schema. An object that names
no schema field, or gives no field a value without listing every field (an explicit
"nothing found"), is not an answer: the next object is tried, and failing all, it is a
parse failure. An answer with no sound object keeps the complete key/value pairs of a
cut-off or malformed one (``leasebench.salvage``) and is marked ``partial``.

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
from dataclasses import dataclass
from typing import Any

from .coercion import Labels, coerce_labels, coerce_labels_named, coerce_values
from .salvage import json_int, salvage_pairs
from .schema import FieldSchema

MAX_LITERAL_CHARS = 200_000
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


def _json(text: str) -> Any:
    return json.loads(text, parse_int=json_int)


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


def _decoded(text: str) -> Iterator[tuple[str, Any, str | None]]:
    """``(span, value, None)`` or ``(span, None, error)`` for each distinct candidate span,
    at most ``MAX_CANDIDATES`` of them (then one last ``("", None, "... gave up ...")``)."""
    seen: set[str] = set()
    last_error = "no JSON object found"
    for tried, candidate in enumerate(_candidates(text, text.strip())):
        if tried >= MAX_CANDIDATES:
            yield "", None, f"{last_error} (gave up after {MAX_CANDIDATES} candidate spans)"
            return
        if candidate in seen or not candidate:
            continue
        seen.add(candidate)
        try:
            value = _decode(candidate)
        except ValueError as exc:
            last_error = str(exc)
            yield candidate, None, last_error
            continue
        if not isinstance(value, dict):
            last_error = f"expected a JSON object, got {type(value).__name__}"
            yield candidate, None, last_error
            continue
        yield candidate, value, None


def find_json_object(text: Any) -> tuple[Any, str | None]:
    """The first JSON object in ``text`` (fenced blocks first), or ``(None, error)``.

    At most ``MAX_CANDIDATES`` distinct spans are decoded.
    """
    if not isinstance(text, str):
        return None, f"expected text, got {type(text).__name__}"
    if not text.strip():
        return None, "empty answer"
    last_error = "no JSON object found"
    for _, value, error in _decoded(text):
        if error is None:
            return value, None
        last_error = error
    return None, last_error


def _not_an_answer(
    obj: dict[str, Any], labels: Labels, present: set[str], schema: FieldSchema | None
) -> str | None:
    """Why an object is no answer: it names no schema field, or gives no field a value
    without listing every field (an explicit "nothing found" lists them all)."""
    if schema is None or any(labels[f] for f in present) or present == set(schema.fields):
        return None
    if not present:
        keys = ", ".join(repr(str(k)) for k in list(obj)[:5]) or "none"
        return f"the object names no field of the schema (its keys: {keys})"
    return (f"no field has a value and {len(present)} of {len(schema.fields)} fields are "
            "given (an empty answer lists every field)")


@dataclass(frozen=True)
class ParsedAnswer:
    """A model answer read against a schema: labels, or the reason it has none.

    ``partial``: the answer had no sound object; ``labels`` are the complete key/value
    pairs salvaged from a cut-off or malformed one (fields it did not reach are ``[]``).
    """

    labels: Labels | None
    error: str | None = None
    partial: bool = False

    def prediction_fields(self) -> dict[str, Any]:
        """``fields``, ``parse_error`` and ``partial`` of a ``Prediction``."""
        return {"fields": self.labels or {}, "parse_error": self.error,
                "partial": self.partial}


def _salvaged(span: str, schema: FieldSchema | None) -> Labels | None:
    pairs: dict[str, Any] = {}
    for key, value in salvage_pairs(_without_trailing_commas(span)):
        pairs.setdefault(key, value)
    labels, _, present = coerce_labels_named(pairs, schema, skip_bad=True)
    if labels is None or not present or _not_an_answer(pairs, labels, present, schema):
        return None
    return labels


def parse_answer(text: Any, schema: FieldSchema | None = None) -> ParsedAnswer:
    """A model's answer as labels: the first object that answers, else the sound pairs of
    a cut-off or malformed one (``partial``), else the error."""
    if not isinstance(text, str):
        return ParsedAnswer(None, f"expected text, got {type(text).__name__}")
    if not text.strip():
        return ParsedAnswer(None, "empty answer")
    first_problem: str | None = None
    last_error = "no JSON object found"
    spans: list[str] = []
    for span, value, error in _decoded(text):
        if error is not None:
            last_error = error
            spans.append(span)
            continue
        labels, problem, present = coerce_labels_named(value, schema)
        if labels is not None:
            problem = _not_an_answer(value, labels, present, schema)
            if problem is None:
                return ParsedAnswer(labels)
        first_problem = first_problem or problem
        spans.append(span)
    for span in spans:
        salvaged = _salvaged(span, schema) if span.startswith("{") else None
        if salvaged is not None:
            return ParsedAnswer(salvaged, partial=True)
    return ParsedAnswer(None, first_problem or last_error)


def parse_labels(text: Any, schema: FieldSchema | None = None) -> tuple[Labels | None, str | None]:
    """``(labels, None)`` from a model's answer, or ``(None, error)`` when it has none
    (``parse_answer`` without telling a salvaged answer apart)."""
    parsed = parse_answer(text, schema)
    return parsed.labels, parsed.error


__all__ = [
    "ParsedAnswer",
    "coerce_labels",
    "coerce_values",
    "fenced_blocks",
    "find_json_object",
    "parse_answer",
    "parse_labels",
    "strip_fence",
]
