"""Corpus statistics: lengths, field coverage and pairwise word n-gram Jaccard similarity."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from ..records import Record

_WORD = re.compile(r"\w+")


def ngram_set(text: str, n: int = 5) -> set[str]:
    """The set of lower-cased word ``n``-grams of ``text``."""
    words = _WORD.findall(text.lower())
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def pairwise_jaccard(texts: Sequence[str], n: int = 5) -> np.ndarray:
    """Jaccard similarity of the word ``n``-gram sets of every pair (upper triangle, flat)."""
    sets = [ngram_set(t, n) for t in texts]
    df = Counter(g for s in sets for g in s)
    shared = {g: i for i, g in enumerate(g for g, c in df.items() if c > 1)}
    m = np.zeros((len(sets), max(1, len(shared))), dtype=np.float32)
    for row, s in enumerate(sets):
        cols = [shared[g] for g in s if g in shared]
        m[row, cols] = 1.0
    inter = m @ m.T
    sizes = np.array([len(s) for s in sets], dtype=np.float64)
    union = sizes[:, None] + sizes[None, :] - inter
    iu = np.triu_indices(len(sets), k=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        sim = np.where(union[iu] > 0, inter[iu] / union[iu], 0.0)
    return sim


def jaccard_summary(texts: Sequence[str], n: int = 5) -> dict[str, float]:
    """Mean, 95th percentile and maximum pairwise ``n``-gram Jaccard similarity."""
    sim = pairwise_jaccard(texts, n)
    if sim.size == 0:
        return {"mean": 0.0, "p95": 0.0, "max": 0.0}
    return {
        "mean": float(sim.mean()),
        "p95": float(np.percentile(sim, 95)),
        "max": float(sim.max()),
    }


def absence_rates(records: Sequence[Record]) -> dict[str, float]:
    """Per field, the share of records whose label list is empty."""
    fields = list(records[0].labels) if records else []
    return {f: sum(not r.labels[f] for r in records) / len(records) for f in fields}


def length_summary(records: Sequence[Record]) -> dict[str, float]:
    """Word counts: min, median, mean, 95th percentile, max."""
    words = np.array([len(r.text.split()) for r in records])
    return {
        "min": int(words.min()),
        "median": float(np.median(words)),
        "mean": float(words.mean()),
        "p95": float(np.percentile(words, 95)),
        "max": int(words.max()),
    }


__all__ = ["absence_rates", "jaccard_summary", "length_summary", "ngram_set", "pairwise_jaccard"]
