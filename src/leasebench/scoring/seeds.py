"""Scores and paired tests of arms trained with several seeds (``repeats``).

A trained arm scored with k models (one per training seed) is summarised by the F1 of
its counts pooled over the k models. Its intervals combine two sources of variation:

* documents: a bootstrap over hold-out documents, every model's counts resampled with
  the same document weights (the paired bootstrap of ``stats.compare``);
* seeds: the between-seed variance of the per-model F1, less the part that document
  resampling already carries (the seed-by-document interaction, estimated from the
  replicates), added to every replicate as ``sqrt(var / k) * t`` with ``t`` drawn from a
  Student t distribution with k - 1 degrees of freedom (Welch-Satterthwaite degrees of
  freedom for a difference of two arms).

With one model per arm everything reduces to ``stats.summarize`` and ``stats.compare``.
See docs/metrics.md, section "Repeats".
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np

from ..outcomes import Outcomes
from .stats import (
    Comparison,
    ScoreSummary,
    _bootstrap_totals,
    _check,
    _difference,
    _f1_table,
    _interval,
    _point,
    compare,
    summarize,
)


def pool(per_seed: Sequence[Outcomes]) -> Outcomes:
    """One outcome table with every model's counts summed per (document, field)."""
    first = per_seed[0]
    counts = np.zeros_like(first.counts)
    for o in per_seed:
        if o.fields != first.fields:
            raise ValueError("repeats must cover the same fields")
        counts += o.reindexed(first.doc_ids).counts
    return Outcomes(
        first.doc_ids, first.fields, counts,
        parse_failures=sum(o.parse_failures for o in per_seed),
        call_failures=sum(o.call_failures for o in per_seed),
        missing=sum(o.missing for o in per_seed),
    )


def _stats(totals: np.ndarray) -> np.ndarray:
    """(..., n_fields, 4) totals -> (..., n_fields + 2): per-field, micro, macro F1 (NaN:
    vacuous)."""
    pf, mi, ma = _f1_table(totals)
    return np.concatenate([pf, mi[..., None], ma[..., None]], axis=-1)


def _seed_parts(points: np.ndarray, boot: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Between-seed variance of each statistic, and the part of it that documents carry.

    ``points``: (k, n_stats) per model on all documents; ``boot``: (B, k, n_stats) per model
    per replicate. The second part (the seed-by-document interaction) is the mean
    within-replicate spread of the models' replicate deviations, each model centred on its
    own replicate mean. Vacuous statistics give 0.
    """
    k = points.shape[0]
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        between = np.nanvar(points, axis=0, ddof=1)
        dev = boot - np.nanmean(boot, axis=0, keepdims=True)
        within = np.nanmean(np.nanvar(dev, axis=1, ddof=1), axis=0) if k > 1 else 0.0
    return np.nan_to_num(between), np.nan_to_num(within)


def _with_seeds(
    boot: np.ndarray, point: np.ndarray, within: np.ndarray, between: np.ndarray,
    df: np.ndarray, rng: np.random.Generator, low: float,
) -> np.ndarray:
    """Replicates whose spread is documents (net of the interaction ``within``, which
    ``between`` also holds) plus the between-seed variance with Student t tails, kept
    within the statistic's range [``low``, 1] (F1: 0; a difference: -1)."""
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        total = np.nanvar(boot, axis=0)
        scale = np.sqrt(np.where(total > 0, np.maximum(total - within, 0.0) / total, 1.0))
    t = rng.standard_t(np.maximum(df, 1.0), size=boot.shape)
    return np.clip(point + (boot - point) * scale + np.sqrt(between) * t, low, 1.0)


def _replicates(tables: list[np.ndarray], iterations: int, seed: int) -> np.ndarray:
    """(iterations, models, n_fields, 4) replicate totals, one document weighting shared by
    every model (``tables``: per model (n_docs, n_fields, 4), same document order)."""
    n_f = tables[0].shape[1]
    boot = _bootstrap_totals(np.concatenate(tables, axis=1), iterations, seed)
    return boot.reshape(iterations, len(tables), n_f, 4)


def _points(tables: list[np.ndarray]) -> np.ndarray:
    """(models, n_stats) statistics of each model on all documents (NaN where vacuous)."""
    return np.stack([_stats(t.sum(axis=0)) for t in tables])


def _seed_rng(seed: int) -> np.random.Generator:
    return np.random.default_rng([seed, 0x5EED])


def summarize_repeats(
    per_seed: Sequence[Outcomes], *, iterations: int = 1000, seed: int = 0,
    confidence: float = 0.95,
) -> ScoreSummary:
    """``summarize`` of the pooled counts, with intervals that include seed variation."""
    if len(per_seed) == 1:
        return summarize(per_seed[0], iterations=iterations, seed=seed, confidence=confidence)
    alpha = _check(iterations, confidence)
    pooled = pool(per_seed)
    out = summarize(pooled, iterations=0, seed=seed, confidence=confidence)
    k, n_f = len(per_seed), len(pooled.fields)
    tables = [o.reindexed(pooled.doc_ids).counts for o in per_seed]
    points = _points(tables)
    with warnings.catch_warnings():  # vacuous fields are all NaN: their SD is NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        sd = np.sqrt(np.nanvar(points, axis=0, ddof=1))
    out.n_models, out.seed_variation = k, True
    for f, name in enumerate(pooled.fields):
        out.fields[name].f1_seed_sd = _finite(sd[f])
    out.micro.f1_seed_sd, out.macro_f1_seed_sd = _finite(sd[n_f]), _finite(sd[n_f + 1])
    if iterations == 0 or pooled.n_docs == 0:
        return out
    reps = _replicates(tables, iterations, seed)
    between, within = _seed_parts(points, _stats(reps))
    full = _stats(pooled.counts.sum(axis=0))
    boot = _with_seeds(_stats(reps.sum(axis=1)), np.nan_to_num(full, nan=1.0), within / k,
                       between / k, np.full(len(full), k - 1.0), _seed_rng(seed), 0.0)
    for f, name in enumerate(pooled.fields):
        low, high = _interval(boot[:, f], _point(full[f]), alpha)
        out.fields[name].f1_low, out.fields[name].f1_high = low, high
    out.micro.f1_low, out.micro.f1_high = _interval(boot[:, n_f], _point(full[n_f]), alpha)
    out.macro_f1_low, out.macro_f1_high = _interval(
        boot[:, n_f + 1], out.macro_f1, alpha)
    out.iterations = iterations
    return out


def _finite(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def compare_repeats(
    reference: Sequence[Outcomes], other: Sequence[Outcomes], *, iterations: int = 1000,
    seed: int = 0, confidence: float = 0.95,
) -> Comparison:
    """Paired comparison of two arms (other minus reference), each with one or more models.

    Document resampling is shared by both arms and all their models; each arm with two or
    more models adds its net between-seed variance (an arm with one model adds none: its
    seed variation is unknown and left out, which ``seed_variation`` reports).
    """
    if len(reference) == 1 and len(other) == 1:
        return compare(reference[0], other[0], iterations=iterations, seed=seed,
                       confidence=confidence)
    alpha = _check(iterations, confidence)
    ref_pool, other_pool = pool(reference), pool(other)
    if set(ref_pool.doc_ids) != set(other_pool.doc_ids):
        raise ValueError("paired comparison needs the same documents in both rounds")
    if ref_pool.fields != other_pool.fields:
        raise ValueError("paired comparison needs the same fields in both rounds")
    docs, n_f = ref_pool.doc_ids, len(ref_pool.fields)
    ref_t = [o.reindexed(docs).counts for o in reference]
    oth_t = [o.reindexed(docs).counts for o in other]
    point = np.array([_point(x) for x in _stats(other_pool.reindexed(docs).counts.sum(axis=0))])
    point -= np.array([_point(x) for x in _stats(ref_pool.counts.sum(axis=0))])
    n_stats = n_f + 2
    if iterations > 0 and ref_pool.n_docs > 0:
        reps = _replicates([*ref_t, *oth_t], iterations, seed)
        kr = len(ref_t)
        per_model = _stats(reps)  # (B, models, n_stats)
        delta = _stats(reps[:, kr:].sum(axis=1)) - _stats(reps[:, :kr].sum(axis=1))
        between, within, denom = (np.zeros(n_stats) for _ in range(3))
        for arm, sl in ((ref_t, slice(0, kr)), (oth_t, slice(kr, None))):
            k = len(arm)
            if k < 2:
                continue
            b, w = _seed_parts(_points(arm), per_model[:, sl])
            between, within, denom = between + b / k, within + w / k, denom + (b / k)**2 / (k - 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            df = np.where(denom > 0, between**2 / np.where(denom > 0, denom, 1.0), 1e6)
        delta = _with_seeds(delta, point, within, between, df, _seed_rng(seed), -1.0)
    else:
        delta = np.empty((0, n_stats))
    cr_fields = {}
    for f, name in enumerate(ref_pool.fields):
        cr_fields[name] = _difference(float(point[f]), delta[:, f], alpha)
    return Comparison(
        n_docs=ref_pool.n_docs, fields=cr_fields,
        micro=_difference(float(point[n_f]), delta[:, n_f], alpha),
        macro=_difference(float(point[n_f + 1]), delta[:, n_f + 1], alpha),
        iterations=iterations if delta.size else 0, confidence=confidence, seed=seed,
        significant_fields=[n for n, d in cr_fields.items() if d.significant],
        seed_variation=len(reference) > 1 or len(other) > 1,
    )


__all__ = ["compare_repeats", "pool", "summarize_repeats"]
