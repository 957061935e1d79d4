"""Next-round worth and per-field attribution on constructed rounds: a batch that helps one
field and hurts another, a flat batch, a clear gain; the stop rule's words."""

from __future__ import annotations

import pytest

from leasebench.decisions.marginal import (
    batches_label,
    family_pairs,
    moved_fields,
    steps,
    stop_verdict,
)
from leasebench.outcomes import Outcomes
from leasebench.records import Usage
from leasebench.results import FunnelBatch, RoundResult, TrainingUsage
from leasebench.scoring.multiple import correct_comparisons
from leasebench.scoring.seeds import compare_repeats

from .helpers import share_right


def _compare(tables: dict[str, list[Outcomes]]):
    def compare(a: str, b: str):
        comp = compare_repeats(tables[a], tables[b], iterations=500, seed=1)
        correct_comparisons({b: comp}, method="holm")
        return comp
    return compare


def _round(name: str, arm: str, n: int, kind: str = "trained") -> RoundResult:
    return RoundResult(name=name, kind=kind, arm=arm, synthetic_batches=n,
                       n_train_synthetic=40 * n, training=TrainingUsage(cost=0.5 * (n + 1)))


def test_a_batch_that_helps_one_field_and_hurts_another():
    before = share_right(200, [0.5, 0.9, 0.7], 1)
    after = share_right(200, [0.95, 0.45, 0.7], 2)
    comp = _compare({"a": [before], "b": [after]})("a", "b")
    assert moved_fields(comp) == (["f0"], ["f1"])
    assert comp.fields["f2"].delta == pytest.approx(0.0)
    verdict, reason = stop_verdict(comp, 0, 1, 200)
    assert verdict == "stop" and "not distinguishable from zero with 200 hold-out" in reason
    mde = comp.micro.mde
    assert mde is not None and f"at least about {100 * mde:.1f} points to be detectable" \
        in reason


def test_a_clear_gain_continues_unless_under_the_gain_asked():
    before = share_right(150, [0.5, 0.5], 3)
    after = share_right(150, [0.8, 0.8], 4)
    comp = _compare({"a": [before], "b": [after]})("a", "b")
    verdict, reason = stop_verdict(comp, 1, 2, 150)
    assert verdict == "continue" and reason.startswith("batch 2 added +30.0 [")
    verdict, reason = stop_verdict(comp, 1, 2, 150, min_gain=0.4)
    assert verdict == "stop" and "under the 40.0 points asked" in reason
    worse = _compare({"a": [after], "b": [before]})("a", "b")
    assert stop_verdict(worse, 0, 2, 150)[1].endswith("significantly worse")
    assert batches_label(0, 2) == "batches 1-2"


def test_steps_follow_each_trained_arm_in_batch_order_with_costs():
    tables = {"crf-real": [share_right(100, [0.5, 0.6], 1)],
              "crf-synth-1": [share_right(100, [0.8, 0.8], 2)],
              "crf-synth-2": [share_right(100, [0.8, 0.8], 2)],
              "pat-real": [share_right(100, [0.5, 0.5], 3)],
              "rules": [share_right(100, [0.4, 0.4], 4)]}
    rounds = [_round("rules", "rules", 0, "baseline"), _round("crf-synth-2", "crf", 2),
              _round("crf-real", "crf", 0), _round("crf-synth-1", "crf", 1),
              _round("pat-real", "pat", 0)]
    funnel = [FunnelBatch(batch=1, generated=50, usage=Usage(cost=0.25)),
              FunnelBatch(batch=2, generated=50, usage=Usage(cost=0.75))]
    out = steps(rounds, funnel, _compare(tables), 100)
    assert [(s.before, s.after) for s in out] == [("crf-real", "crf-synth-1"),
                                                 ("crf-synth-1", "crf-synth-2")]
    first, second = out
    assert (first.verdict, second.verdict) == ("continue", "stop")
    assert (first.data_cost, second.data_cost) == (0.25, 0.75)
    assert (first.training_cost, first.added_samples) == (1.0, 40)
    assert second.comparison.micro.delta == 0.0
    pairs = family_pairs(rounds, {"rules": "rules"}, _compare(tables))
    assert [(p.family, p.a, p.b) for p in pairs] == [("crf", "crf-real", "crf-synth-2")]
