"""Multiple-comparison corrections of paired tests, and minimum detectable effects.

Per-field claims ("round X beats the reference on field F") are many tests at once: ten
fields at 5% each make a spurious "significant" field likely. ``correct_comparisons``
adjusts the p-values of each family (Holm by default), keeps the raw ones, and marks a
difference significant when its adjusted p-value is at most 1 - confidence. The micro and
macro differences of all rounds against the reference form a family each. See
docs/metrics.md, section "Multiple comparisons".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from statistics import NormalDist
from typing import Literal

from .stats import Comparison, Difference

Correction = Literal["holm", "bonferroni", "fdr_bh", "none"]
CORRECTIONS: tuple[str, ...] = ("holm", "bonferroni", "fdr_bh", "none")


def adjust(p_values: Sequence[float], method: str) -> list[float]:
    """Adjusted p-values, in input order.

    holm: step-down, ``max_{j<=i} min(1, (m - j + 1) p_(j))`` over sorted p-values;
    bonferroni: ``min(1, m p)``; fdr_bh: Benjamini-Hochberg step-up,
    ``min_{j>=i} min(1, m p_(j) / j)``; none: unchanged.
    """
    m = len(p_values)
    if method == "none" or m == 0:
        return [float(p) for p in p_values]
    if method == "bonferroni":
        return [min(1.0, m * p) for p in p_values]
    order = sorted(range(m), key=lambda i: p_values[i])
    out = [0.0] * m
    if method == "holm":
        running = 0.0
        for rank, i in enumerate(order):
            running = max(running, min(1.0, (m - rank) * p_values[i]))
            out[i] = running
        return out
    if method == "fdr_bh":
        running = 1.0
        for rank in range(m - 1, -1, -1):
            i = order[rank]
            running = min(running, min(1.0, m * p_values[i] / (rank + 1)))
            out[i] = running
        return out
    raise ValueError(f"unknown correction {method!r}; known: {', '.join(CORRECTIONS)}")


def mde(se: float | None, alpha: float, power: float) -> float | None:
    """Smallest true difference a two-sided test at ``alpha`` detects with ``power``."""
    if se is None:
        return None
    z = NormalDist()
    return (z.inv_cdf(1 - alpha / 2) + z.inv_cdf(power)) * se


def _apply(diffs: list[Difference], method: str, alpha: float, power: float) -> None:
    adjusted = adjust([d.p_value for d in diffs], method)
    # the strictest per-test level the family applies (Holm's and BH's first step)
    level = alpha if method == "none" else alpha / max(1, len(diffs))
    for d, p in zip(diffs, adjusted, strict=True):
        d.p_adjusted = None if method == "none" else p
        if method != "none":
            d.significant = p <= alpha
        d.mde = mde(d.se, level, power)


def correct_comparisons(
    comparisons: Mapping[str, Comparison], *, method: str = "holm",
    family: str = "comparison", confidence: float = 0.95, power: float = 0.8,
) -> None:
    """Adjust, in place, the per-field, micro and macro tests of every comparison.

    ``comparisons`` maps a round name to its comparison against the reference (one
    scorer). ``family="comparison"``: each comparison's per-field tests are one family;
    ``"run"``: all per-field tests of all comparisons are one family. Micro and macro
    differences across comparisons are one family each.
    """
    alpha = 1 - confidence
    comps = list(comparisons.values())
    if family == "run":
        _apply([d for c in comps for d in c.fields.values()], method, alpha, power)
    else:
        for c in comps:
            _apply(list(c.fields.values()), method, alpha, power)
    _apply([c.micro for c in comps], method, alpha, power)
    _apply([c.macro for c in comps], method, alpha, power)
    size = sum(len(c.fields) for c in comps)
    for c in comps:
        c.correction, c.family = method, family
        c.family_size = size if family == "run" else len(c.fields)
        c.significant_fields = [n for n, d in c.fields.items() if d.significant]


def smallest_adjusted_p(iterations: int, family_size: int, method: str) -> float:
    """The smallest adjusted p-value ``iterations`` bootstrap replicates can give."""
    floor = 2 / (iterations + 1)
    return floor if method == "none" else min(1.0, family_size * floor)


__all__ = ["CORRECTIONS", "Correction", "adjust", "correct_comparisons", "mde",
           "smallest_adjusted_p"]
