"""How varied a set of documents is: MinHash signature matrices, mean pairwise similarity,
near-duplicates of an earlier document, the share of distinct label values.

Built on ``near_dup`` (shingles and ``MinHasher``); used by the synthetic-batch diversity
figures and the ``near-dup`` judge.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from .near_dup import MinHasher, shingles


def signatures(hasher: MinHasher, texts: Iterable[str], ngram: int = 5) -> np.ndarray:
    """(documents, num_perm) MinHash signatures of ``texts``' word ``ngram`` shingles."""
    rows = [hasher.signature(shingles(t, ngram)) for t in texts]
    return np.stack(rows) if rows else np.empty((0, len(hasher.a)), dtype=np.uint64)


def similarity_matrix(a: np.ndarray, b: np.ndarray, chunk: int = 64) -> np.ndarray:
    """Estimated Jaccard of every row of signatures ``a`` with every row of ``b``."""
    out = np.empty((len(a), len(b)))
    for start in range(0, len(a), chunk):
        block = a[start : start + chunk]
        out[start : start + len(block)] = (block[:, None, :] == b[None, :, :]).mean(axis=2)
    return out


def mean_pairwise_similarity(
    sigs: np.ndarray, max_docs: int = 400, seed: int = 0
) -> float | None:
    """Mean estimated Jaccard over distinct pairs (a seeded sample of ``max_docs`` rows)."""
    n = len(sigs)
    if n < 2:
        return None
    if n > max_docs:
        keep = np.sort(np.random.default_rng(seed).choice(n, size=max_docs, replace=False))
        sigs, n = sigs[keep], max_docs
    sims = similarity_matrix(sigs, sigs)
    return float((sims.sum() - np.trace(sims)) / (n * (n - 1)))


def duplicate_of_earlier(sigs: np.ndarray, threshold: float) -> list[tuple[int, float]]:
    """Per row: (the earliest earlier row at least ``threshold`` similar, its similarity),
    or (-1, the best similarity to an earlier row) when there is none."""
    if not len(sigs):
        return []
    sims = similarity_matrix(sigs, sigs)
    out: list[tuple[int, float]] = [(-1, 0.0)]
    for i in range(1, len(sigs)):
        earlier = sims[i, :i]
        hits = np.nonzero(earlier >= threshold)[0]
        out.append((int(hits[0]), float(earlier[hits[0]])) if len(hits)
                   else (-1, float(earlier.max())))
    return out


def distinct_share(values: Sequence[str]) -> float | None:
    """Distinct values (case and spacing folded) over all values."""
    if not values:
        return None
    return len({" ".join(v.casefold().split()) for v in values}) / len(values)


__all__ = ["distinct_share", "duplicate_of_earlier", "mean_pairwise_similarity", "signatures",
           "similarity_matrix"]
