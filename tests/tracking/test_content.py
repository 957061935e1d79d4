"""What goes to MLflow, as pure functions: trial metric names, the runs view, time spans."""

from __future__ import annotations

import json

from leasebench.tracking.content import runs_view, trial_metric_name, window


def test_trial_metrics_have_their_own_prefixes():
    names = {k: trial_metric_name(k) for k in (
        "eval_f1", "f1/lessor", "token_accuracy", "train_loss", "train_tokens",
        "learning_rate", "eval_loss")}
    assert names == {"eval_f1": "eval/f1", "f1/lessor": "eval/f1/lessor",
                     "token_accuracy": "eval/token_accuracy", "train_loss": "train/loss",
                     "train_tokens": "train/tokens", "learning_rate": "train/learning_rate",
                     "eval_loss": "eval/loss"}


def test_runs_view_adds_the_headline_columns_once(tiny_result):
    first = json.loads(runs_view(tiny_result, None))
    assert first["selectedColumns"][:2] == ["params.`best_round`", "metrics.`best_micro_f1`"]
    assert "metrics.`delta_micro_f1/real-only`" not in first["selectedColumns"]
    mine = {**first, "selectedColumns": ["metrics.`cost`", *first["selectedColumns"]]}
    again = json.loads(runs_view(tiny_result, json.dumps(mine)))
    assert again["selectedColumns"] == mine["selectedColumns"]  # kept, nothing repeated
    assert json.loads(runs_view(tiny_result, "not json"))["selectedColumns"]


def test_window_spans_the_named_stages():
    log = [{"stage": "train-b1-t0", "started_at": 10.0, "ended_at": 12.5},
           {"stage": "train-b1-t1", "started_at": 12.5, "ended_at": 20.0},
           {"stage": "extract-b1", "started_at": 20.0, "ended_at": 21.0},
           {"stage": "extract-b2", "started_at": 30.0, "ended_at": 31.0}]
    assert window(log, ["extract-b1"], ["train-b1-t"]) == (10_000, 21_000)
    assert window(log, ["finalize-b9"]) is None
