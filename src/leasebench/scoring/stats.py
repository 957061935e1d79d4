"""Per-field metrics, bootstrap confidence intervals and paired round-vs-round tests.

Intervals resample documents with replacement (seeded). A bootstrap replicate is a
vector of document multiplicities, so all replicates are one matrix product with the
per-document counts, which keeps 1,000 replicates over 100,000 documents fast.
"""

from __future__ import annotations

import math

import numpy as np
from pydantic import BaseModel

from .outcomes import FN, FP, TN, TP, Outcomes

CHUNK = 200


class FieldMetrics(BaseModel):
    tp: int
    fp: int
    fn: int
    tn: int
    support: int
    precision: float
    recall: float
    f1: float
    f1_low: float | None = None
    f1_high: float | None = None


class ScoreSummary(BaseModel):
    n_docs: int
    fields: dict[str, FieldMetrics]
    micro: FieldMetrics
    macro_f1: float
    macro_f1_low: float | None = None
    macro_f1_high: float | None = None


class Difference(BaseModel):
    """``other - reference`` with a paired bootstrap interval and two-sided p-value."""

    delta: float
    low: float
    high: float
    p_value: float
    significant: bool
    mcnemar_p: float | None = None


class Comparison(BaseModel):
    n_docs: int
    fields: dict[str, Difference]
    micro: Difference
    macro: Difference


def prf(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> tuple[np.ndarray, ...]:
    """Precision, recall, F1 (0 where undefined), elementwise."""
    tp, fp, fn = (np.asarray(x, dtype=np.float64) for x in (tp, fp, fn))
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(tp + fp > 0, tp / (tp + fp), 0.0)
        r = np.where(tp + fn > 0, tp / (tp + fn), 0.0)
        f = np.where(2 * tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), 0.0)
    return p, r, f


def _f1_table(totals: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """From totals (..., n_fields, 4): per-field F1 (..., n_fields), micro and macro F1."""
    _, _, per_field = prf(totals[..., TP], totals[..., FP], totals[..., FN])
    pooled = totals.sum(axis=-2)
    _, _, micro = prf(pooled[..., TP], pooled[..., FP], pooled[..., FN])
    return per_field, micro, per_field.mean(axis=-1)


def _bootstrap_totals(counts: np.ndarray, iterations: int, seed: int) -> np.ndarray:
    """(iterations, n_fields, 4) totals over documents resampled with replacement."""
    n_docs = counts.shape[0]
    flat = counts.reshape(n_docs, -1).astype(np.float64)
    rng = np.random.default_rng(seed)
    out = np.empty((iterations, flat.shape[1]))
    for start in range(0, iterations, CHUNK):
        k = min(CHUNK, iterations - start)
        idx = rng.integers(0, n_docs, size=(k, n_docs))
        weights = np.zeros((k, n_docs))
        np.add.at(weights, (np.repeat(np.arange(k), n_docs), idx.ravel()), 1.0)
        out[start : start + k] = weights @ flat
    return out.reshape(iterations, *counts.shape[1:])


def _metrics(total: np.ndarray, low: float | None, high: float | None) -> FieldMetrics:
    tp, fp, fn, tn = (int(x) for x in total)
    p, r, f = (float(x) for x in prf(tp, fp, fn))
    return FieldMetrics(
        tp=tp, fp=fp, fn=fn, tn=tn, support=tp + fn,
        precision=p, recall=r, f1=f, f1_low=low, f1_high=high,
    )


def summarize(
    outcomes: Outcomes, *, iterations: int = 1000, seed: int = 0, confidence: float = 0.95
) -> ScoreSummary:
    """Per-field, micro and macro metrics with percentile bootstrap intervals on F1."""
    counts = outcomes.counts
    totals = counts.sum(axis=0)
    alpha = (1 - confidence) / 2
    if iterations > 0 and counts.shape[0] > 0:
        boot = _bootstrap_totals(counts, iterations, seed)
        per_field, micro, macro = _f1_table(boot)
        q = lambda a: np.quantile(a, [alpha, 1 - alpha], axis=0)  # noqa: E731
        pf_ci, micro_ci, macro_ci = q(per_field), q(micro), q(macro)
    else:
        pf_ci = micro_ci = macro_ci = None
    fields = {}
    for f, name in enumerate(outcomes.fields):
        lo, hi = (None, None) if pf_ci is None else (float(pf_ci[0, f]), float(pf_ci[1, f]))
        fields[name] = _metrics(totals[f], lo, hi)
    lo, hi = (None, None) if micro_ci is None else (float(micro_ci[0]), float(micro_ci[1]))
    micro_m = _metrics(totals.sum(axis=0), lo, hi)
    macro = float(np.mean([m.f1 for m in fields.values()])) if fields else 0.0
    return ScoreSummary(
        n_docs=len(outcomes.doc_ids),
        fields=fields,
        micro=micro_m,
        macro_f1=macro,
        macro_f1_low=None if macro_ci is None else float(macro_ci[0]),
        macro_f1_high=None if macro_ci is None else float(macro_ci[1]),
    )


def _difference(
    point: float, boot: np.ndarray, alpha: float, mcnemar_p: float | None = None
) -> Difference:
    low, high = (float(x) for x in np.quantile(boot, [alpha, 1 - alpha]))
    # two-sided bootstrap p-value: how often the resampled difference crosses zero
    above = float(np.mean(boot >= 0)) if boot.size else 1.0
    below = float(np.mean(boot <= 0)) if boot.size else 1.0
    p = min(1.0, 2 * min(above, below))
    return Difference(
        delta=point, low=low, high=high, p_value=p,
        significant=bool(low > 0 or high < 0), mcnemar_p=mcnemar_p,
    )


def mcnemar(correct_ref: np.ndarray, correct_other: np.ndarray) -> float:
    """Exact two-sided McNemar p-value on paired per-pair correctness."""
    b = int(np.sum(correct_ref & ~correct_other))
    c = int(np.sum(~correct_ref & correct_other))
    n = b + c
    if n == 0:
        return 1.0
    k = min(b, c)
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2**n
    return min(1.0, 2 * tail)


def _correct(counts: np.ndarray) -> np.ndarray:
    """A (document, field) pair is correct when it has no FP and no FN."""
    return (counts[..., FP] == 0) & (counts[..., FN] == 0)


def compare(
    reference: Outcomes,
    other: Outcomes,
    *,
    iterations: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
) -> Comparison:
    """Paired comparison of two rounds on the same documents (other minus reference)."""
    if set(reference.doc_ids) != set(other.doc_ids):
        raise ValueError("paired comparison needs the same documents in both rounds")
    other = other.reindexed(reference.doc_ids)
    alpha = (1 - confidence) / 2
    stacked = np.concatenate([reference.counts, other.counts], axis=1)
    boot = _bootstrap_totals(stacked, iterations, seed) if iterations > 0 else np.empty((0,))
    n_f = len(reference.fields)
    pf_r, mi_r, ma_r = _f1_table(reference.counts.sum(axis=0))
    pf_o, mi_o, ma_o = _f1_table(other.counts.sum(axis=0))
    if boot.size:
        bpf_r, bmi_r, bma_r = _f1_table(boot[:, :n_f])
        bpf_o, bmi_o, bma_o = _f1_table(boot[:, n_f:])
    else:
        bpf_r = bpf_o = np.empty((0, n_f))
        bmi_r = bmi_o = bma_r = bma_o = np.empty((0,))
    cr, co = _correct(reference.counts), _correct(other.counts)
    fields = {
        name: _difference(
            float(pf_o[f] - pf_r[f]), bpf_o[:, f] - bpf_r[:, f], alpha,
            mcnemar(cr[:, f], co[:, f]),
        )
        for f, name in enumerate(reference.fields)
    }
    return Comparison(
        n_docs=len(reference.doc_ids),
        fields=fields,
        micro=_difference(float(mi_o - mi_r), bmi_o - bmi_r, alpha, mcnemar(cr, co)),
        macro=_difference(float(ma_o - ma_r), bma_o - bma_r, alpha),
    )


__all__ = [
    "Comparison",
    "Difference",
    "FieldMetrics",
    "ScoreSummary",
    "compare",
    "mcnemar",
    "prf",
    "summarize",
]
