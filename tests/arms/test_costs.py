"""Cost and latency aggregates: computed from the predictions and the trainers' reports
exactly as documented (docs/metrics.md, section 10)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from leasebench.io import read_jsonl
from leasebench.manifest.arms import PricingSpec
from leasebench.records import ModelRef, Prediction, Usage
from leasebench.runner import run_experiment
from leasebench.runner.costs import round_timing, training_usage
from leasebench.runner.training import training_report, wall_clock_metrics

from .conftest import arms_manifest


def test_timing_and_serving_cost_match_a_hand_computation():
    latencies = [0.1, 0.2, 0.3, 0.4, 1.0]
    preds = [Prediction(id=f"d{i}", latency_s=s, usage=Usage(calls=1, cost=0.002))
             for i, s in enumerate(latencies)]
    preds.append(Prediction(id="failed", error="timeout", usage=Usage(calls=1)))
    pricing = PricingSpec(serve_per_hour=3.6)
    t = round_timing(preds, [], training_usage([], pricing), pricing)
    assert t.latency_p50_s == pytest.approx(0.3)
    assert t.latency_p95_s == pytest.approx(np.percentile(latencies, 95))
    assert t.docs_per_s == pytest.approx(5 / 2.0)
    # tokens: 0.002 per served document; time: 0.4 s mean at 0.001 per second
    assert t.serve_cost_per_1k_docs == pytest.approx(1000 * (0.002 + 0.4 * 0.001))
    assert t.train_seconds is None and t.train_cost is None


def test_training_usage_and_cost_from_the_trainers_reports():
    """Reports as trainers give them in ``ModelRef.metadata["training"]``."""
    models = [{"tokens": 1000, "seconds": 30.0, "device": "gpu", "cost": 0.5},
              {"tokens": 500, "seconds": 6.0}, {}]
    pricing = PricingSpec(train_per_hour=7.2, train_per_1k_tokens=0.2)
    usage = training_usage(models, pricing)
    assert (usage.trainings, usage.tokens) == (3, 1500)
    assert usage.cost == pytest.approx(0.5 + 1.5 * 0.2)
    t = round_timing([], models, usage, pricing)
    assert t.train_seconds == 36.0 and t.train_device == "gpu"
    assert t.train_cost == pytest.approx(0.8 + 36 * 7.2 / 3600)
    unpriced = round_timing([], models, training_usage(models, PricingSpec()), PricingSpec())
    assert unpriced.train_cost == pytest.approx(0.5)  # only what the service billed


def test_a_runs_costs_match_its_predictions_and_models(tmp_path, registry):
    out = run_experiment(arms_manifest(tmp_path), runs_dir=tmp_path / "runs", quiet=True,
                         registry=registry)
    r = out.result.round("rec-synth-2")
    preds = read_jsonl(out.run_dir / "predictions" / "rec-synth-2.jsonl", Prediction)
    for j in (1, 2):
        preds += read_jsonl(out.run_dir / "predictions" / "repeats" / "rec-synth-2" /
                            f"s{j}.jsonl", Prediction)
    latencies = np.array([p.latency_s for p in preds])
    timing = json.loads((out.run_dir / "report" / "timing.json").read_text())["rec-synth-2"]
    assert timing["latency_p50_s"] == pytest.approx(np.percentile(latencies, 50))
    assert timing["latency_p95_s"] == pytest.approx(np.percentile(latencies, 95))
    assert timing["docs_per_s"] == pytest.approx(len(latencies) / latencies.sum())
    # serve_per_hour 3.6: 0.001 per second of latency
    assert timing["serve_cost_per_1k_docs"] == pytest.approx(  # stored to 6 decimals
        latencies.mean() * 0.001 * 1000, rel=1e-3, abs=1e-6)
    # train_per_hour 36: 0.01 per training second, over 2 trials + 2 repeats
    assert r.training.trainings == 4
    assert timing["train_seconds"] > 0 and timing["train_device"] == "cpu"
    assert timing["train_cost"] == pytest.approx(timing["train_seconds"] * 0.01, rel=1e-3,
                                                 abs=1e-6)
    report = json.loads((out.run_dir / "report" / "report.json").read_text())
    assert "timing" not in report  # measured times vary: they stay out of report.json
    assert r.usage == Usage()  # CPU models: no tokens, no money
    # the training seconds live in the stages' _stage.json, not in model.json
    model_files = list((tmp_path / "runs" / "arms" / "stages").glob("train-rec-*/model.json"))
    assert model_files and all('"seconds"' not in f.read_text() for f in model_files)


def test_wall_clock_metrics_leave_the_model_and_come_back_from_the_stage():
    model = ModelRef(extractor="x", metrics={"f1": 0.5, "train_seconds": 3.0},
                     metadata={"training": {"tokens": 10, "seconds": 3.0}})
    timings = wall_clock_metrics(model)
    assert model.metrics == {"f1": 0.5} and model.metadata["training"] == {"tokens": 10}
    assert training_report(model, timings) == {"tokens": 10, "seconds": 3.0}
