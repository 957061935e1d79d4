"""Per (document, field) matching: gold values and predicted values to TP/FP/FN/TN counts.

Values are lists of strings. Null-like elements are dropped; an empty list is absent.
How two present lists are compared is the ``list_match`` rule:

* ``joined``: the lists as a whole, in order (exact/normalized: element keys equal in
  order; fuzzy: similarity of the ``", "``-joined exact forms). One outcome per pair.
* ``any``: a match when any predicted value matches any gold value. One outcome per pair.
* ``set``: per value. Distinct values are paired one-to-one (fuzzy: greedily, most
  similar first); TP = matched pairs, FP = unmatched predictions, FN = unmatched gold.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Literal

from rapidfuzz.distance import Indel

from ..values.keys import exact_key, normalized_key

Mode = Literal["exact", "normalized", "fuzzy", "reference"]
ListMatch = Literal["joined", "any", "set"]
Mismatch = Literal["fp_fn", "fp"]
Counts = tuple[int, int, int, int]

TN_C: Counts = (0, 0, 0, 1)
TP_C: Counts = (1, 0, 0, 0)
FP_C: Counts = (0, 1, 0, 0)
FN_C: Counts = (0, 0, 1, 0)
FPFN_C: Counts = (0, 1, 1, 0)
REFERENCE_NULLS = frozenset({"", "N/A", "none", "null", "nan"})
REFERENCE_THRESHOLD = 0.8


def similarity(a: str, b: str) -> float:
    """Normalised Indel similarity in [0, 1] (rapidfuzz ``fuzz.ratio`` / 100)."""
    return Indel.normalized_similarity(a, b)


def reference_counts(gold: Sequence[str], pred: Sequence[str]) -> Counts:
    """The reference notebooks' rule for one (document, field).

    Lists are joined with ``", "``; a joined value in ``REFERENCE_NULLS`` (literal,
    case-sensitive) is absent. Both present: TP when
    ``difflib.SequenceMatcher(None, gold, pred).ratio() > 0.8``, else FP only.
    """
    g, p = ", ".join(gold), ", ".join(pred)
    g_absent, p_absent = g in REFERENCE_NULLS, p in REFERENCE_NULLS
    if g_absent:
        return TN_C if p_absent else FP_C
    if p_absent:
        return FN_C
    if difflib.SequenceMatcher(None, g, p).ratio() > REFERENCE_THRESHOLD:
        return TP_C
    return FP_C


@dataclass(frozen=True)
class FieldMatcher:
    """The matching rule of one field: mode, list rule, mismatch rule, threshold, kind."""

    mode: Mode = "normalized"
    list_match: ListMatch = "joined"
    mismatch: Mismatch = "fp_fn"
    threshold: float = 0.8
    kind: str = "text"
    day_first: bool = False
    contains: tuple[str, ...] = ()

    def key_fn(self) -> Callable[[str], str | None]:
        if self.mode == "normalized":
            return partial(normalized_key, kind=self.kind, day_first=self.day_first,
                           contains=self.contains)
        return exact_key

    def keys(self, values: Sequence[str]) -> list[str]:
        """Comparison keys of the non-null values, in order."""
        key = self.key_fn()
        return [k for k in map(key, values) if k is not None]

    def counts_fn(self) -> Callable[[Sequence[str], Sequence[str]], Counts]:
        """A fast ``(gold_values, pred_values) -> (tp, fp, fn, tn)`` for this rule."""
        if self.mode == "reference":
            return reference_counts
        key = self.key_fn()
        wrong = FPFN_C if self.mismatch == "fp_fn" else FP_C
        fuzzy = self.mode == "fuzzy"
        threshold = self.threshold
        list_match = self.list_match
        mismatch_fn = self.mismatch == "fp_fn"
        per_value = list_match == "set"

        def counts(gold: Sequence[str], pred: Sequence[str]) -> Counts:
            g = [k for k in map(key, gold) if k is not None] if gold else gold
            p = [k for k in map(key, pred) if k is not None] if pred else pred
            if not g:
                if not p:
                    return TN_C
                return (0, len(set(p)), 0, 0) if per_value else FP_C
            if not p:
                return (0, 0, len(set(g)), 0) if per_value else FN_C
            if list_match == "joined":
                ok = similarity(", ".join(g), ", ".join(p)) >= threshold if fuzzy else g == p
                return TP_C if ok else wrong
            if list_match == "any":
                if fuzzy:
                    ok = any(similarity(a, b) >= threshold for a in g for b in p)
                else:
                    ok = not set(g).isdisjoint(p)
                return TP_C if ok else wrong
            tp, ug, up = _pair_values(g, p, fuzzy, threshold)
            return (tp, up, ug if mismatch_fn else max(0, ug - up), 0)

        return counts


def _pair_values(
    g: Sequence[str], p: Sequence[str], fuzzy: bool, threshold: float
) -> tuple[int, ...]:
    """Matched pairs, unmatched gold and unmatched predicted values (set rule)."""
    if not fuzzy:
        g_set, p_set = set(g), set(p)
        tp = len(g_set & p_set)
        return tp, len(g_set) - tp, len(p_set) - tp
    gs, ps = list(dict.fromkeys(g)), list(dict.fromkeys(p))
    scored = sorted(
        ((similarity(a, b), i, j) for i, a in enumerate(gs) for j, b in enumerate(ps)),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    used_g: set[int] = set()
    used_p: set[int] = set()
    for score, i, j in scored:
        if score < threshold:
            break
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
    tp = len(used_g)
    return tp, len(gs) - tp, len(ps) - tp


__all__ = [
    "FN_C", "FPFN_C", "FP_C", "REFERENCE_NULLS", "REFERENCE_THRESHOLD", "TN_C", "TP_C",
    "Counts", "FieldMatcher", "ListMatch", "Mismatch", "Mode", "reference_counts",
    "similarity",
]
