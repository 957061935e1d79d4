"""Salvage: the complete key/value pairs of a JSON object that was cut off or is malformed.

A small model's answer often runs out of tokens in the middle of an object (a repetition
loop, a long list), or breaks the syntax after several sound pairs. ``salvage_pairs``
reads such a span from its ``{`` one pair at a time and keeps every pair whose value
decoded whole: a string, list or object is complete at its closing quote or bracket, a
number or literal only when something follows it. It stops at the first pair it cannot
read (a key or value cut off, a stray character); a missing comma between pairs is
tolerated. An object whose first key holds an unreadable object (``{"labels": {...``)
is read one level down, like the whole-object wrappers the parser accepts.

Single-quoted (Python-literal) objects are not salvaged. The work is one pass over the
span: each value is decoded once by the JSON scanner.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_INT_DIGITS = 4000  # longer integers stay digit strings (Python refuses over 4,300)
_SPACE = re.compile(r"[ \t\n\r]*")
_SPACE_COMMAS = re.compile(r"[ \t\n\r,]*")


def json_int(digits: str) -> int | str:
    return int(digits) if len(digits.lstrip("-")) <= MAX_INT_DIGITS else digits


_DECODER = json.JSONDecoder(parse_int=json_int)


def _skip(pattern: re.Pattern[str], text: str, pos: int) -> int:
    return pattern.match(text, pos).end()  # type: ignore[union-attr]


def _value(text: str, pos: int) -> tuple[Any, int] | None:
    try:
        return _DECODER.raw_decode(text, pos)
    except (ValueError, RecursionError):
        return None


def salvage_pairs(span: str, *, descend: bool = True) -> list[tuple[str, Any]]:
    """The complete ``(key, value)`` pairs of the object that starts ``span``, in order."""
    if not span.startswith("{"):
        return []
    pairs: list[tuple[str, Any]] = []
    n, pos = len(span), 1
    while True:
        pos = _skip(_SPACE_COMMAS, span, pos)
        if pos >= n or span[pos] != '"':
            return pairs  # the object closed, or the text stops being an object here
        key = _value(span, pos)
        if key is None:
            return pairs  # a key cut off
        name, pos = key
        pos = _skip(_SPACE, span, pos)
        if pos >= n or span[pos] != ":":
            return pairs
        pos = _skip(_SPACE, span, pos + 1)
        decoded = _value(span, pos)
        if decoded is None:
            if descend and not pairs and pos < n and span[pos] == "{":
                return salvage_pairs(span[pos:], descend=False)  # {"labels": {... cut
            return pairs
        value, end = decoded
        if not isinstance(value, (str, list, dict)) and _skip(_SPACE, span, end) >= n:
            return pairs  # a number or literal at the very end may be cut short
        pairs.append((name, value))
        pos = end


__all__ = ["MAX_INT_DIGITS", "json_int", "salvage_pairs"]
