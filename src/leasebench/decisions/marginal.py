"""Is the next synthetic round worth it? Marginal F1 of each added round of a trained arm
against its marginal cost, and the stop rule; per-field attribution between consecutive
rounds and the within-family pairs of a multi-arm run.

A *step* compares a trained arm's round with the arm's round trained on fewer synthetic
batches (paired on the hold-out, seed variation included, per-field tests corrected).
The stop rule goes on only when the step's micro F1 gain is significant and at least
``min_gain``; otherwise it says why, with the minimum detectable effect of the step: the
gain the next round would need to be detectable at this hold-out size. See
docs/metrics.md, "Decisions".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import pairwise

from ..results import FunnelBatch, RoundResult
from ..results.decisions import FamilyPair, Step
from ..scoring.stats import Comparison

#: compares two rounds by name: ``b`` minus ``a``, corrected
CompareRounds = Callable[[str, str], Comparison]


def _points(x: float) -> str:
    return f"{100 * x:+.1f}"


def batches_label(before: int, after: int) -> str:
    """'batch 2' or 'batches 1-2': the synthetic batches a step adds."""
    return f"batch {after}" if after - before == 1 else f"batches {before + 1}-{after}"


def stop_verdict(step: Comparison, before: int, after: int, n_holdout: int,
                 min_gain: float = 0.0) -> tuple[str, str]:
    """``("continue" | "stop", reason)`` for a step's micro F1 difference.

    ``min_gain`` in F1 (a fraction): a significant gain under it stops too.
    """
    d = step.micro
    added = f"{batches_label(before, after)} added {_points(d.delta)} [{_points(d.low)}, " \
            f"{_points(d.high)}] points of micro F1"
    if d.significant and d.delta > 0 and d.delta >= min_gain:
        return "continue", f"{added}: a real gain; another batch may add more"
    if d.significant and d.delta > 0:
        return "stop", f"{added}: real, but under the {100 * min_gain:.1f} points asked"
    if d.significant:
        return "stop", f"{added}: significantly worse"
    detect = "" if d.mde is None else (
        f"; the next batch would need to add at least about {100 * d.mde:.1f} points to be "
        "detectable")
    return "stop", (f"{added}: not distinguishable from zero with {n_holdout} hold-out "
                    f"documents{detect}")


def trained_families(rounds: Sequence[RoundResult]) -> dict[str, list[RoundResult]]:
    """Per trained arm, its rounds by amount of synthetic data (one round per amount: the
    first in report order)."""
    out: dict[str, dict[int, RoundResult]] = {}
    for r in rounds:
        if r.kind == "trained":
            out.setdefault(r.arm, {}).setdefault(r.synthetic_batches, r)
    return {arm: [by_n[n] for n in sorted(by_n)] for arm, by_n in out.items()}


def steps(
    rounds: Sequence[RoundResult], funnel: Sequence[FunnelBatch], compare: CompareRounds,
    n_holdout: int, min_gain: float = 0.0,
) -> list[Step]:
    """Every step of every trained arm with two or more amounts of synthetic data."""
    out = []
    for arm, family in trained_families(rounds).items():
        for before, after in pairwise(family):
            comp = compare(before.name, after.name)
            b0, b1 = before.synthetic_batches, after.synthetic_batches
            verdict, reason = stop_verdict(comp, b0, b1, n_holdout, min_gain)
            data = sum(b.usage.cost for b in funnel if b0 < b.batch <= b1)
            out.append(Step(
                arm=arm, before=before.name, after=after.name, batches_before=b0,
                batches_after=b1, added_samples=after.n_train_synthetic
                - before.n_train_synthetic, comparison=comp, data_cost=round(data, 6),
                training_cost=after.training.cost,
                verdict="continue" if verdict == "continue" else "stop", reason=reason))
    return out


def family_pairs(
    rounds: Sequence[RoundResult], extractor_of: Mapping[str, str], compare: CompareRounds,
) -> list[FamilyPair]:
    """Within-family pairs the steps do not already cover: a trained arm's first and last
    round when it has three or more, and untrained rounds of the same extractor component
    (``extractor_of``: arm -> component name), each with the next in report order."""
    out = []
    for arm, family in trained_families(rounds).items():
        if len(family) > 2:
            out.append(FamilyPair(family=arm, a=family[0].name, b=family[-1].name,
                                  comparison=compare(family[0].name, family[-1].name)))
    by_component: dict[str, list[RoundResult]] = {}
    for r in rounds:
        if r.kind == "baseline" and r.arm in extractor_of:
            by_component.setdefault(extractor_of[r.arm], []).append(r)
    for component, family in by_component.items():
        for a, b in pairwise(family):
            out.append(FamilyPair(family=component, a=a.name, b=b.name,
                                  comparison=compare(a.name, b.name)))
    return out


def moved_fields(comp: Comparison) -> tuple[list[str], list[str]]:
    """Fields significantly helped and hurt by a comparison (after correction)."""
    helped = [f for f, d in comp.fields.items() if d.significant and d.delta > 0]
    hurt = [f for f, d in comp.fields.items() if d.significant and d.delta < 0]
    return helped, hurt


__all__ = ["batches_label", "family_pairs", "moved_fields", "steps", "stop_verdict",
           "trained_families"]
