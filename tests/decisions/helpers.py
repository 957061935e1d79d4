"""Constructed outcome tables whose right answers are known."""

from __future__ import annotations

import numpy as np

from leasebench.outcomes import FN, FP, TP, Outcomes


def outcomes(right: np.ndarray | list[list[bool]], ids: list[str] | None = None,
             fields: tuple[str, ...] | None = None) -> Outcomes:
    """Every (document, field) pair has a gold value; a right pair is a TP, a wrong one a
    mismatch (FP + FN)."""
    right = np.asarray(right, dtype=bool)
    n_docs, n_fields = right.shape
    counts = np.zeros((n_docs, n_fields, 4), dtype=np.int64)
    counts[..., TP] = right
    counts[..., FP] = ~right
    counts[..., FN] = ~right
    return Outcomes(tuple(ids or [f"d{i}" for i in range(n_docs)]),
                    fields or tuple(f"f{i}" for i in range(n_fields)), counts)


def share_right(n_docs: int, shares: list[float], seed: int) -> Outcomes:
    """Per field, the first ``share * n_docs`` documents (of a seeded order) are right."""
    rng = np.random.default_rng(seed)
    right = np.zeros((n_docs, len(shares)), dtype=bool)
    for f, share in enumerate(shares):
        right[rng.permutation(n_docs)[: round(share * n_docs)], f] = True
    return outcomes(right)
