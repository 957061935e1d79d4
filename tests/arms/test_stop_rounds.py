"""decisions.stop_rounds: an arm stops adding synthetic rounds when the rule says so; the
batches only later rounds needed are never generated; the reference round always runs."""

from __future__ import annotations

import json

import pytest

from leasebench.runner import run_experiment, stopping

from .conftest import arms_manifest

ROUNDS = [{"name": "prose", "extractor": "prose"},
          {"name": "pat-real", "trainer": "pat", "synthetic_batches": 0},
          {"name": "pat-synth-1", "trainer": "pat", "synthetic_batches": 1},
          {"name": "pat-synth-2", "trainer": "pat", "synthetic_batches": 2}]
TRAINERS = {"pat": {"name": "pattern", "sweep": {"min_precision": [0.3, 0.6]}}}


def _stages(run_dir) -> set[str]:
    return {t["stage"] for t in json.loads((run_dir / "run.json").read_text())["stages"]}


def test_an_arm_whose_gain_fails_the_rule_stops_and_later_batches_are_not_made(
        tmp_path, registry):
    path = arms_manifest(tmp_path, rounds=ROUNDS, trainers=TRAINERS,
                         decisions={"stop_rounds": True, "min_gain": 100})
    out = run_experiment(path, runs_dir=tmp_path / "runs", quiet=True, registry=registry)
    names = [r.name for r in out.result.rounds]
    assert names == ["prose", "pat-real", "pat-synth-1"]
    (stop,) = out.result.decisions.stopped
    assert (stop.round, stop.arm, stop.synthetic_batches) == ("pat-synth-2", "pat", 2)
    assert stop.after_step == "pat-real -> pat-synth-1"
    (step,) = out.result.decisions.steps
    assert step.verdict == "stop"
    assert any(why in step.reason for why in ("under the 100.0 points asked",
                                              "not distinguishable", "worse"))
    stages = _stages(out.run_dir)
    assert "generate-b1" in stages and "generate-b2" not in stages
    assert not any(s.startswith("train-pat-b2") for s in stages)
    assert [b.batch for b in out.result.funnel] == [1]
    report = (out.run_dir / "report" / "report.md").read_text()
    assert "pat-synth-2 was not trained: the stop rule said stop after pat-real -> " \
           "pat-synth-1" in report


def test_arms_that_keep_gaining_run_every_round_and_the_reference_always_runs(
        tmp_path, registry, monkeypatch):
    monkeypatch.setattr(stopping, "step_verdict", lambda *a: "continue")
    path = arms_manifest(tmp_path, rounds=ROUNDS, trainers=TRAINERS,
                         decisions={"stop_rounds": True})
    out = run_experiment(path, runs_dir=tmp_path / "runs", quiet=True, registry=registry)
    assert [r.name for r in out.result.rounds] == [r["name"] for r in ROUNDS]
    assert not out.result.decisions.stopped
    monkeypatch.setattr(stopping, "step_verdict", lambda *a: "stop")
    path = arms_manifest(tmp_path, rounds=ROUNDS, trainers=TRAINERS, name="arms-ref",
                         decisions={"stop_rounds": True},
                         stats={"bootstrap": 200, "reference_round": "pat-synth-2"})
    out = run_experiment(path, runs_dir=tmp_path / "runs", quiet=True, registry=registry)
    assert [r.name for r in out.result.rounds] == ["prose", "pat-real", "pat-synth-1",
                                                  "pat-synth-2"]
    assert not out.result.decisions.stopped


@pytest.mark.parametrize(("decisions", "message"), [
    ({"break_even_against": "pat-real"}, "is a trained round"),
    ({"break_even_against": "nope"}, "'nope' is not a round"),
    ({"ablate_judges": "pat-real"}, "trains on no synthetic batch"),
])
def test_decisions_naming_wrong_rounds_are_manifest_errors(tmp_path, registry, decisions,
                                                           message):
    from leasebench.errors import ManifestError

    path = arms_manifest(tmp_path, rounds=ROUNDS, trainers=TRAINERS, decisions=decisions)
    with pytest.raises(ManifestError, match=message):
        run_experiment(path, runs_dir=tmp_path / "runs", quiet=True, registry=registry)
