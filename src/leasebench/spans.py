"""Where an extracted value lies in its document: a character span, and how it matched.

``Grounder(text).find(value)`` tries, in order:

- ``exact``: the value as a substring of the text;
- ``normalized``: both case-folded (NFKC), punctuation read as space and whitespace
  collapsed, the folded value in the folded text, mapped back to the original characters;
- ``fuzzy``: the best partial alignment of the folded value in the folded text
  (rapidfuzz ``partial_ratio``) scoring at least ``FUZZY_MIN`` of 100, for values of at
  least ``FUZZY_MIN_CHARS`` folded characters (shorter ones match anything by chance).

``lo``/``hi`` restrict the search to part of the text (a window) first; the whole text is
searched when the part holds no match. A span is ``(start, end, how)`` in the original
text's characters; ``None`` when the value is nowhere.
"""

from __future__ import annotations

import bisect
import unicodedata
from functools import cached_property
from typing import Literal

from rapidfuzz import fuzz

How = Literal["exact", "normalized", "fuzzy"]
Span = tuple[int, int, How]
FUZZY_MIN = 90.0
FUZZY_MIN_CHARS = 6


def fold(text: str) -> tuple[str, list[int]]:
    """The folded form of ``text`` and, per folded character, its original index."""
    out: list[str] = []
    where: list[int] = []
    space = True  # drop leading space and collapse runs
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch).casefold():
            if not c.isalnum():
                if space:
                    continue
                c, space = " ", True
            else:
                space = False
            out.append(c)
            where.append(i)
    while out and out[-1] == " ":
        out.pop()
        where.pop()
    return "".join(out), where


class Grounder:
    """Finds values in one document; the folded text is built once, on first need."""

    def __init__(self, text: str):
        self.text = text

    @cached_property
    def _folded(self) -> tuple[str, list[int]]:
        return fold(self.text)

    def _span(self, a: int, b: int) -> tuple[int, int]:
        """Original characters of folded characters ``a`` to ``b`` (exclusive)."""
        where = self._folded[1]
        return where[a], where[b - 1] + 1

    def _folded_range(self, lo: int, hi: int) -> tuple[int, int]:
        where = self._folded[1]
        return bisect.bisect_left(where, lo), bisect.bisect_left(where, hi)

    def find(self, value: str, lo: int = 0, hi: int | None = None) -> Span | None:
        """The span of ``value`` (searched in ``text[lo:hi]`` first), or ``None``."""
        value = value.strip()
        if not value:
            return None
        n = len(self.text)
        hi = n if hi is None else min(hi, n)
        return self.find_in(value, lo, hi) or (
            self.find_in(value, 0, n) if (lo, hi) != (0, n) else None)

    def find_in(self, value: str, lo: int, hi: int) -> Span | None:
        """The span of ``value`` inside ``text[lo:hi]`` only, or ``None``."""
        value = value.strip()
        for how in ("exact", "normalized", "fuzzy"):
            span = self._find(value, how, lo, hi) if value else None
            if span is not None:
                return span
        return None

    def _find(self, value: str, how: str, lo: int, hi: int) -> Span | None:
        if how == "exact":
            at = self.text.find(value, lo, hi)
            return None if at < 0 else (at, at + len(value), "exact")
        needle = fold(value)[0]
        if not needle:
            return None
        folded = self._folded[0]
        a, b = self._folded_range(lo, hi)
        if how == "normalized":
            at = folded.find(needle, a, b)
            return None if at < 0 else (*self._span(at, at + len(needle)), "normalized")
        if len(needle) < FUZZY_MIN_CHARS or b <= a:
            return None
        found = fuzz.partial_ratio_alignment(needle, folded[a:b], score_cutoff=FUZZY_MIN)
        if found is None or found.dest_end <= found.dest_start:
            return None
        start, end = self._span(a + found.dest_start, a + found.dest_end)
        text = self.text  # widen to whole words: an alignment may start or end mid-word
        while start > 0 and text[start - 1].isalnum():
            start -= 1
        while end < len(text) and text[end].isalnum():
            end += 1
        return start, end, "fuzzy"

    def seen(self, value: str, limit: int) -> bool | None:
        """Whether ``value`` occurs within the first ``limit`` characters: True, False
        (it occurs only after them), or None (it is nowhere in the text)."""
        if self.find_in(value, 0, limit) is not None:
            return True
        return False if self.find(value) is not None else None


__all__ = ["FUZZY_MIN", "Grounder", "How", "Span", "fold"]
