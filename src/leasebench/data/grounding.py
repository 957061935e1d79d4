"""Where a gold value occurs in its document: verbatim, after normalisation, or not at all.

``locate(value, kind, doc)`` answers ``verbatim`` when the value is a substring of the
text, ``normalized`` when it is found after the scorer's normalisation for its field
kind, else ``not_found``. Normalised search, in order: the case/space-folded value in
the folded text (``exact_form``); the kind's string normaliser (``party`` and ``text``)
applied to both value and text; for ``date``, ``money``, ``area`` and ``duration``, the
value's normalised key (``normalized_key``, the scorer's) among the keys of the text's
token windows of about the value's length that start at a digit, a number word or a
month name. An extractive model can only find values of the first two classes.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Literal

from ..values.keys import normalized_key
from ..values.normalize import (
    NUMBER_WORDS,
    ORDINAL_WORDS,
    exact_form,
    normalize_party,
    normalize_text,
)

Where = Literal["verbatim", "normalized", "not_found"]
CLASSES: tuple[Where, ...] = ("verbatim", "normalized", "not_found")
WINDOW_KINDS = ("date", "money", "area", "duration")
_TOKEN = re.compile(r"\S+")
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun",
           "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
_ANCHOR_WORDS = frozenset(NUMBER_WORDS) | frozenset(ORDINAL_WORDS) | _MONTHS
_EDGE = " .,;:()[]\"'"


class Document:
    """A document's text with its normalised forms, computed on first use."""

    def __init__(self, text: str, day_first: bool = False):
        self.text = text
        self.day_first = day_first
        self._windows: dict[tuple[str, int], set[str]] = {}

    @cached_property
    def folded(self) -> str:
        return exact_form(self.text)

    @cached_property
    def party_form(self) -> str:
        return " " + (normalize_party(self.text) or "") + " "

    @cached_property
    def text_form(self) -> str:
        return normalize_text(self.text) or ""

    @cached_property
    def tokens(self) -> list[tuple[int, int]]:
        return [m.span() for m in _TOKEN.finditer(self.text)]

    @cached_property
    def anchors(self) -> list[int]:
        out = []
        for i, (a, b) in enumerate(self.tokens):
            tok = self.text[a:b].strip(_EDGE).casefold()
            if any(c.isdigit() for c in tok) or tok in _ANCHOR_WORDS or tok[:1] in "$€£¥":
                out.append(i)
        return out

    def window_keys(self, kind: str, length: int) -> set[str]:
        """Normalised keys of every ``length``-token window starting at an anchor token."""
        cached = self._windows.get((kind, length))
        if cached is not None:
            return cached
        keys: set[str] = set()
        spans = self.tokens
        for i in self.anchors:
            if i + length > len(spans):
                continue
            window = self.text[spans[i][0] : spans[i + length - 1][1]].strip(_EDGE)
            key = normalized_key(window, kind, self.day_first)
            if key is not None and key.startswith(f"{kind}:"):
                keys.add(key)
        self._windows[(kind, length)] = keys
        return keys


def locate(value: str, kind: str, doc: Document) -> Where:
    """Whether ``value`` occurs in ``doc`` verbatim, after normalisation, or not at all."""
    if value in doc.text:
        return "verbatim"
    folded = exact_form(value)
    if folded and folded in doc.folded:
        return "normalized"
    if kind == "party":
        party = normalize_party(value)
        if party and f" {party} " in doc.party_form:
            return "normalized"
    else:
        text = normalize_text(value)
        if text and text in doc.text_form:
            return "normalized"
    if kind in WINDOW_KINDS:
        key = normalized_key(value, kind, doc.day_first)
        if key is not None and key.startswith(f"{kind}:"):
            n = max(1, len(value.split()))
            for length in range(max(1, n - 2), n + 3):
                if key in doc.window_keys(kind, length):
                    return "normalized"
    return "not_found"


__all__ = ["CLASSES", "WINDOW_KINDS", "Document", "Where", "locate"]
