"""Per-field metrics, bootstrap confidence intervals and paired round-vs-round tests.

Intervals resample documents with replacement (seeded percentile bootstrap). Documents
with identical count rows are interchangeable, so a replicate is drawn as a multinomial
vector of multiplicities over the distinct rows (exactly the distribution of resampling
documents) and all replicates are one matrix product with those rows. That keeps 1,000
replicates over 100,000 documents well under a second. See docs/metrics.md.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike
from pydantic import BaseModel, Field

from ..outcomes import FN, FP, TN, TP, Outcomes

CHUNK = 250


class FieldMetrics(BaseModel):
    """Counts, P/R/F1 and the F1 interval of one field (or of all fields pooled).

    ``vacuous``: no gold value and no prediction at all; P, R and F1 are then reported as
    1.0 and the field is left out of the macro average.
    """

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
    vacuous: bool = False
    f1_seed_sd: float | None = None


class ScoreSummary(BaseModel):
    n_docs: int
    fields: dict[str, FieldMetrics]
    micro: FieldMetrics
    macro_f1: float
    macro_f1_low: float | None = None
    macro_f1_high: float | None = None
    iterations: int = 0
    confidence: float = 0.95
    seed: int = 0
    parse_failures: int = 0
    call_failures: int = 0
    missing_predictions: int = 0
    parse_failure_rate: float = 0.0
    n_models: int = 1
    seed_variation: bool = False
    macro_f1_seed_sd: float | None = None


class Difference(BaseModel):
    """``other - reference`` with a paired bootstrap interval and two-sided p-value.

    ``significant``: without a multiple-comparison correction, the interval excludes zero;
    with one, ``p_adjusted`` is at most 1 - confidence. ``p_value`` is always the raw p.
    ``se``: the replicates' normal-equivalent standard error; ``mde``: the smallest true
    difference detected with the run's power at the (corrected) significance level.
    """

    delta: float
    low: float
    high: float
    p_value: float
    significant: bool
    mcnemar_p: float | None = None
    p_adjusted: float | None = None
    se: float | None = None
    mde: float | None = None


class Comparison(BaseModel):
    n_docs: int
    fields: dict[str, Difference]
    micro: Difference
    macro: Difference
    iterations: int = 0
    confidence: float = 0.95
    seed: int = 0
    significant_fields: list[str] = []
    correction: str = "none"
    family: str = Field("", description="What one correction family was: `comparison` (this "
                        "comparison's per-field tests) or `run` (every comparison's).")
    family_size: int = Field(0, description="Per-field tests in this comparison's correction "
                             "family.")
    seed_variation: bool = False


def prf(tp: ArrayLike, fp: ArrayLike, fn: ArrayLike) -> tuple[np.ndarray, ...]:
    """Precision, recall, F1 elementwise: 0 where undefined, all 1 where tp+fp+fn == 0."""
    t, fpos, fneg = (np.asarray(x, dtype=np.float64) for x in (tp, fp, fn))
    vacuous = (t + fpos + fneg) == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(t + fpos > 0, t / (t + fpos), np.where(vacuous, 1.0, 0.0))
        r = np.where(t + fneg > 0, t / (t + fneg), np.where(vacuous, 1.0, 0.0))
        f = np.where(vacuous, 1.0, 2 * t / np.where(vacuous, 1.0, 2 * t + fpos + fneg))
    return p, r, f


def _f1_nan(totals: np.ndarray) -> np.ndarray:
    """F1 over the last axis (tp, fp, fn, tn); NaN where vacuous."""
    tp, fp, fn = (totals[..., i].astype(np.float64) for i in (TP, FP, FN))
    denom = 2 * tp + fp + fn
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denom > 0, 2 * tp / denom, np.nan)


def _nanmean(a: np.ndarray, axis: int = -1) -> np.ndarray:
    ok = ~np.isnan(a)
    n = ok.sum(axis=axis)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n > 0, np.where(ok, a, 0.0).sum(axis=axis) / np.maximum(n, 1), np.nan)


def _f1_table(totals: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """From totals (..., n_fields, 4): per-field, micro and macro F1, NaN where vacuous."""
    per_field = _f1_nan(totals)
    return per_field, _f1_nan(totals.sum(axis=-2)), _nanmean(per_field)


def _bootstrap_totals(counts: np.ndarray, iterations: int, seed: int) -> np.ndarray:
    """(iterations, *counts.shape[1:]) totals over documents resampled with replacement.

    TN counts do not enter any F1 and are left at zero, so adding TNs changes nothing.
    Documents are grouped by their count rows first, which makes the replicates
    independent of document order.
    """
    n_docs = counts.shape[0]
    flat = counts[..., :TN].reshape(n_docs, -1)
    rows, inverse, sizes = np.unique(flat, axis=0, return_inverse=True, return_counts=True)
    rows = rows.astype(np.float64)
    rng = np.random.default_rng(seed)
    out = np.empty((iterations, rows.shape[1]))
    many = len(rows) * 8 > n_docs
    if many:  # many distinct rows: draw document indices, documents ordered by row
        ordered = rows[np.sort(inverse.ravel())]
    for start in range(0, iterations, CHUNK):
        k = min(CHUNK, iterations - start)
        if many:
            idx = rng.integers(0, n_docs, size=(k, n_docs))
            idx += (np.arange(k) * n_docs)[:, None]
            weights = np.bincount(idx.ravel(), minlength=k * n_docs).reshape(k, n_docs)
            out[start : start + k] = weights.astype(np.float64) @ ordered
        else:
            weights = rng.multinomial(n_docs, sizes / n_docs, size=k).astype(np.float64)
            out[start : start + k] = weights @ rows
    full = np.zeros((iterations, *counts.shape[1:]))
    full[..., :TN] = out.reshape(iterations, *counts.shape[1:-1], TN)
    return full


def _interval(boot: np.ndarray, point: float, alpha: float) -> tuple[float, float]:
    """Percentile interval over finite replicates, widened to contain ``point``."""
    finite = boot[np.isfinite(boot)]
    if finite.size == 0:
        return point, point
    low, high = (float(x) for x in np.quantile(finite, [alpha, 1 - alpha]))
    return min(low, point), max(high, point)


def _metrics(total: np.ndarray, ci: tuple[float, float] | None) -> FieldMetrics:
    tp, fp, fn, tn = (int(x) for x in total)
    p, r, f = (float(x) for x in prf(tp, fp, fn))
    return FieldMetrics(
        tp=tp, fp=fp, fn=fn, tn=tn, support=tp + fn, precision=p, recall=r, f1=f,
        f1_low=None if ci is None else ci[0], f1_high=None if ci is None else ci[1],
        vacuous=tp + fp + fn == 0,
    )


def _check(iterations: int, confidence: float) -> float:
    if iterations < 0:
        raise ValueError("iterations must be >= 0")
    if not 0 < confidence < 1:
        raise ValueError("confidence must be in (0, 1)")
    return (1 - confidence) / 2


def _point(x: np.ndarray | float) -> float:
    x = float(x)
    return 1.0 if math.isnan(x) else x


def summarize(
    outcomes: Outcomes, *, iterations: int = 1000, seed: int = 0, confidence: float = 0.95
) -> ScoreSummary:
    """Per-field, micro and macro metrics with percentile bootstrap intervals on F1."""
    alpha = _check(iterations, confidence)
    counts = outcomes.counts
    totals = counts.sum(axis=0)
    pf, mi, ma = _f1_table(totals)
    boot_on = iterations > 0 and counts.shape[0] > 0
    if boot_on:
        bpf, bmi, bma = _f1_table(_bootstrap_totals(counts, iterations, seed))
    fields = {}
    for f, name in enumerate(outcomes.fields):
        ci = _interval(bpf[:, f], _point(pf[f]), alpha) if boot_on else None
        fields[name] = _metrics(totals[f], ci)
    micro = _metrics(totals.sum(axis=0), _interval(bmi, _point(mi), alpha) if boot_on else None)
    macro = _point(ma)
    macro_ci = _interval(bma, macro, alpha) if boot_on else (None, None)
    failed = outcomes.parse_failures
    return ScoreSummary(
        n_docs=outcomes.n_docs, fields=fields, micro=micro, macro_f1=macro,
        macro_f1_low=macro_ci[0], macro_f1_high=macro_ci[1],
        iterations=iterations if boot_on else 0, confidence=confidence, seed=seed,
        parse_failures=failed, call_failures=outcomes.call_failures,
        missing_predictions=outcomes.missing,
        parse_failure_rate=failed / outcomes.n_docs if outcomes.n_docs else 0.0,
    )


def _difference(
    point: float, boot: np.ndarray, alpha: float, mcnemar_p: float | None = None
) -> Difference:
    finite = boot[np.isfinite(boot)]
    low, high = _interval(finite, point, alpha)
    se = None
    if finite.size:
        # two-sided percentile p-value: twice the smaller tail beyond zero, add-one smoothed
        tail = min(np.sum(finite >= 0), np.sum(finite <= 0))
        p = min(1.0, 2 * (tail + 1) / (finite.size + 1))
        q_low, q_high = np.quantile(finite, [0.158655, 0.841345])
        se = float(q_high - q_low) / 2
    else:
        p = 1.0
    return Difference(
        delta=point, low=low, high=high, p_value=float(p),
        significant=bool(low > 0 or high < 0), mcnemar_p=mcnemar_p, se=se,
    )


def mcnemar(correct_ref: np.ndarray, correct_other: np.ndarray) -> float:
    """Exact two-sided McNemar p-value on paired per-pair correctness (binomial, log-space)."""
    correct_ref, correct_other = np.asarray(correct_ref, bool), np.asarray(correct_other, bool)
    b = int(np.sum(correct_ref & ~correct_other))
    c = int(np.sum(~correct_ref & correct_other))
    n = b + c
    if n == 0:
        return 1.0
    i = np.arange(min(b, c) + 1, dtype=np.float64)
    logs = (math.lgamma(n + 1) - np.array([math.lgamma(x + 1) + math.lgamma(n - x + 1)
                                           for x in i]) - n * math.log(2))
    top = logs.max()
    tail = math.exp(top) * float(np.sum(np.exp(logs - top)))
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
    alpha = _check(iterations, confidence)
    if set(reference.doc_ids) != set(other.doc_ids):
        raise ValueError("paired comparison needs the same documents in both rounds")
    if reference.fields != other.fields:
        raise ValueError("paired comparison needs the same fields in both rounds")
    other = other.reindexed(reference.doc_ids)
    n_f = len(reference.fields)
    pf_r, mi_r, ma_r = _f1_table(reference.counts.sum(axis=0))
    pf_o, mi_o, ma_o = _f1_table(other.counts.sum(axis=0))
    if iterations > 0 and reference.n_docs > 0:
        stacked = np.concatenate([reference.counts, other.counts], axis=1)
        boot = _bootstrap_totals(stacked, iterations, seed)
        bpf_r, bmi_r, bma_r = _f1_table(boot[:, :n_f])
        bpf_o, bmi_o, bma_o = _f1_table(boot[:, n_f:])
    else:
        bpf_r = bpf_o = np.empty((0, n_f))
        bmi_r = bmi_o = bma_r = bma_o = np.empty((0,))
    cr, co = _correct(reference.counts), _correct(other.counts)
    fields = {
        name: _difference(
            _point(pf_o[f]) - _point(pf_r[f]), bpf_o[:, f] - bpf_r[:, f], alpha,
            mcnemar(cr[:, f], co[:, f]),
        )
        for f, name in enumerate(reference.fields)
    }
    return Comparison(
        n_docs=reference.n_docs,
        fields=fields,
        micro=_difference(_point(mi_o) - _point(mi_r), bmi_o - bmi_r, alpha, mcnemar(cr, co)),
        macro=_difference(_point(ma_o) - _point(ma_r), bma_o - bma_r, alpha),
        iterations=iterations if bpf_r.size else 0, confidence=confidence, seed=seed,
        significant_fields=[name for name, d in fields.items() if d.significant],
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
