"""Long documents: overlapping windows that fit a model's context, and one merged answer.

A model's context holds the prompt, the few-shot examples, the schema (where the
endpoint adds it to the prompt), the document and the answer. ``window_budget`` is what
is left for the document; a document longer than that is split by ``split_windows`` into
windows of at most that many tokens, cut on paragraph boundaries (blank lines), else on
sentence ends, else between words (a single word longer than a window, only, is cut
anywhere). Consecutive windows share about ``overlap`` tokens, so a value cut by one
window's edge is whole in the next. Every character of the document is in some window.

Each window is extracted on its own; ``merge_answers`` makes one answer per document.
The rule, per field (``first``, the default): the values of the first window, in
document order, that gives the field a value found in that window's own text (a
grounded value: see ``leasebench.spans``); when no window's values are grounded, the
first window that gives the field any value. ``union`` instead takes every window's
grounded values in document order (each once, compared case- and space-folded), for
fields that list several values spread over the document. Windows whose answer did not
parse count as giving nothing.

Token counts come from the caller: a tokenizer where one is at hand, else
``context_tokens`` (``CONTEXT_CHARS_PER_TOKEN`` characters per token, deliberately fewer
than the usual four of English text, so a window estimated to fit does fit).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .errors import DataError
from .records import Labels
from .spans import Grounder, fold

Count = Callable[[str], int]
MergeRule = Literal["first", "union"]
CONTEXT_CHARS_PER_TOKEN = 3.0
MIN_WINDOW_TOKENS = 32
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
_SENTENCE = re.compile(r"(?<=[.!?;:])\s+")
_WORD = re.compile(r"\s+")


class WindowSpec(BaseModel):
    """How a component cuts a document longer than its model's context into windows."""

    model_config = ConfigDict(extra="forbid")

    chunk_tokens: int | None = Field(
        None, ge=MIN_WINDOW_TOKENS, description="Force windows of at most this many "
        "document tokens (default: as many as the model's context leaves; none when the "
        "context is unknown).",
    )
    overlap_tokens: int = Field(
        64, ge=0, description="Tokens (whole sentences) consecutive windows share."
    )


class ChunkSpec(WindowSpec):
    """How an extractor cuts a document longer than its model's context, and merges the
    windows' answers."""

    merge: MergeRule = Field(
        "first", description="Per field: `first`: the values of the first window, in "
        "document order, that gives a value found in its own text; `union`: every "
        "window's values found in its text, each once.",
    )


def context_tokens(text: str, chars_per_token: float = CONTEXT_CHARS_PER_TOKEN) -> int:
    """A generous token count of ``text`` for fitting a context (never below 1)."""
    return max(1, math.ceil(len(text) / chars_per_token))


@dataclass(frozen=True)
class Window:
    """``text[start:end]`` of a document: the ``index``-th of its windows."""

    index: int
    start: int
    end: int
    text: str


def window_budget(
    context: int, fixed: int, answer: int, chunk_tokens: int | None = None,
    what: str = "the model",
) -> int:
    """Tokens left for the document in one request: ``context`` minus the prompt's
    ``fixed`` part (instructions, few-shot examples, schema) and the ``answer`` bound,
    capped at ``chunk_tokens`` when a chunk size is forced. A ``DataError`` when fewer
    than ``MIN_WINDOW_TOKENS`` are left."""
    room = context - fixed - answer
    if room < MIN_WINDOW_TOKENS:
        raise DataError(
            f"{what}: a context of {context} tokens leaves {max(room, 0)} for the document "
            f"after the prompt and examples ({fixed}) and the answer ({answer}); at least "
            f"{MIN_WINDOW_TOKENS} are needed: show fewer few-shot examples, lower max_tokens "
            f"or use a model with a longer context"
        )
    return room if chunk_tokens is None else max(MIN_WINDOW_TOKENS, min(room, chunk_tokens))


def _pieces(text: str, lo: int, hi: int, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """``text[lo:hi]`` cut after each match of ``pattern`` (separators stay in front)."""
    out, start = [], lo
    for m in pattern.finditer(text, lo, hi):
        if m.end() < hi and m.end() > start:
            out.append((start, m.end()))
            start = m.end()
    out.append((start, hi))
    return out


def _hard_cut(text: str, lo: int, hi: int, count: Count, budget: int) -> list[tuple[int, int]]:
    """``text[lo:hi]`` in the longest pieces that fit ``budget`` (binary search)."""
    out = []
    while lo < hi:
        a, b = lo + 1, hi
        while a < b:
            mid = (a + b + 1) // 2
            if count(text[lo:mid]) <= budget:
                a = mid
            else:
                b = mid - 1
        out.append((lo, a))
        lo = a
    return out


def _units(text: str, count: Count, budget: int) -> list[tuple[int, int, int, bool]]:
    """``(start, end, tokens, ends a paragraph)``: the sentences of ``text`` (a sentence
    over ``budget`` cut between words, a word over it anywhere), covering it."""

    def fit(lo: int, hi: int, levels: tuple[re.Pattern[str], ...]) -> list[tuple[int, int]]:
        if not levels:
            return _hard_cut(text, lo, hi, count, budget)
        out = []
        for a, b in _pieces(text, lo, hi, levels[0]):
            out += [(a, b)] if count(text[a:b]) <= budget else fit(a, b, levels[1:])
        return out

    units = []
    for lo, hi in _pieces(text, 0, len(text), _PARAGRAPH):
        pieces = fit(lo, hi, (_SENTENCE, _WORD))
        units += [(a, b, count(text[a:b]), b == hi) for a, b in pieces]
    return units


def split_windows(
    text: str, budget: int, count: Count = context_tokens, overlap: int = 0
) -> list[Window]:
    """``text`` as windows of at most ``budget`` tokens (by ``count``), sharing about
    ``overlap`` tokens with the one before; one window when the whole text fits.

    A window ends at the last paragraph end that keeps it at least half full, else at a
    sentence end; the next one starts up to ``overlap`` tokens of whole sentences back.
    """
    if budget < 1:
        raise ValueError("a window needs a budget of at least one token")
    if count(text) <= budget:
        return [Window(0, 0, len(text), text)]
    units = _units(text, count, budget)
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(units):
        j, used = i, 0
        while j < len(units) and (j == i or used + units[j][2] <= budget):
            used += units[j][2]
            j += 1
        if j < len(units):  # not the last window: prefer a paragraph end
            fill, end = 0, j
            for k in range(i, j):
                fill += units[k][2]
                if units[k][3] and fill * 2 >= budget:
                    end = k + 1
            j = end
        spans.append((units[i][0], units[j - 1][1]))
        if j == len(units):
            break
        k, shared = j, 0  # step back over whole sentences for the overlap, always advancing
        while k - 1 > i and shared + units[k - 1][2] <= min(overlap, budget // 2):
            shared += units[k - 1][2]
            k -= 1
        i = k
    return [Window(n, a, b, text[a:b]) for n, (a, b) in enumerate(spans)]


def _grounded(values: Sequence[str], window: Window, grounder: Grounder) -> list[str]:
    return [v for v in values if grounder.find_in(v, window.start, window.end) is not None]


def merge_answers(
    windows: Sequence[Window], answers: Sequence[Labels | None], fields: Sequence[str],
    document: str, rule: MergeRule = "first",
) -> Labels:
    """One answer for the document from each window's (``None``: did not parse)."""
    grounder = Grounder(document)
    merged: Labels = {}
    for field in fields:
        given = [(w, list(a.get(field, []))) for w, a in zip(windows, answers, strict=True)
                 if a is not None and a.get(field)]
        grounded = [(w, _grounded(values, w, grounder)) for w, values in given]
        if rule == "union":
            seen: set[str] = set()
            values = []
            for _, found in grounded:
                for v in found:
                    if fold(v)[0] not in seen:
                        seen.add(fold(v)[0])
                        values.append(v)
            merged[field] = values
            continue
        first = next((values for (_, values), (_, found) in zip(given, grounded, strict=True)
                      if found), None)
        merged[field] = first if first is not None else (given[0][1] if given else [])
    return merged


__all__ = [
    "CONTEXT_CHARS_PER_TOKEN",
    "MIN_WINDOW_TOKENS",
    "ChunkSpec",
    "Count",
    "MergeRule",
    "Window",
    "WindowSpec",
    "context_tokens",
    "merge_answers",
    "split_windows",
    "window_budget",
]
