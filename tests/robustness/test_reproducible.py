"""Wall-clock timings stay out of cached content and reports; trial timings are per trial;
a forced retraining that reproduces the model reuses its extraction."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from leasebench.pattern.components import PatternTrainer
from leasebench.runner import run_experiment, store, training

from .conftest import ROOT

CRF_ROUNDS = {
    "trainer": {"name": "crf", "params": {"max_iterations": 5},
                "sweep": {"c1": [0.05, 0.2]}, "select": {"metric": "eval_f1"}},
    "rounds": [{"name": "real-only", "synthetic_batches": 0}],
    "stats": {"bootstrap": 50},
}


def _crf_manifest(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "fixtures" / "tiny", tmp_path / "tiny", dirs_exist_ok=True)
    m = yaml.safe_load((ROOT / "fixtures" / "manifests" / "tiny.yaml").read_text())
    m = {k: v for k, v in m.items() if k not in ("generator", "judges")} | CRF_ROUNDS
    m["data"] = {"train": "tiny/train.jsonl", "holdout": "tiny/holdout.jsonl"}
    path = tmp_path / "crf.yaml"
    path.write_text(yaml.safe_dump(m))
    return path


@pytest.mark.slow
def test_cold_runs_give_identical_reports_and_forced_training_reuses_extraction(
        procs, tmp_path):
    manifest = _crf_manifest(tmp_path)
    reports = []
    for name in ("a", "b"):
        proc = procs.run("run", str(manifest), "--runs-dir", str(tmp_path / name), "-q",
                         "--no-mlflow", name=name)
        assert proc.popen.returncode == 0, proc.stderr()
        (report,) = (tmp_path / name).glob("tiny/*/report/report.json")
        reports.append(report.read_bytes())
    assert reports[0] == reports[1]
    assert b"train_seconds" not in reports[0]
    (trial,) = (tmp_path / "a").glob("tiny/stages/train-b0-t0-*")
    assert "train_seconds" not in (trial / "model.json").read_text()
    assert "train_seconds" in json.loads((trial / "_stage.json").read_text())["timings"]

    forced = procs.run("run", str(manifest), "--runs-dir", str(tmp_path / "a"),
                       "--no-mlflow", "--force", "train-b0-t0", name="forced")
    assert forced.popen.returncode == 0, forced.stderr()
    err = forced.stderr()
    assert "✓ train-b0-t0: done in" in err and "• train-b0-t1: cached" in err
    assert "• extract-b0: cached" in err


def test_sweep_trial_timings_are_per_trial(tiny, tmp_path, monkeypatch):
    """A clock that only moves while a trainer trains: each trial took exactly 100 s."""
    clock = [0.0]
    monkeypatch.setattr(store.time, "perf_counter", lambda: clock[0])
    monkeypatch.setattr(training.time, "perf_counter", lambda: clock[0])
    original = PatternTrainer.train

    def slow_train(self, train, eval, ctx):
        clock[0] += 100.0
        return original(self, train, eval, ctx)

    monkeypatch.setattr(PatternTrainer, "train", slow_train)
    out = run_experiment(tiny, runs_dir=tmp_path / "runs", quiet=True, mlflow=False)
    trained = [t for t in out.result.rounds[0].trials]
    assert len(trained) == 2
    seconds = {t["stage"]: t["seconds"] for t in json.loads(
        (out.run_dir / "run.json").read_text())["stages"] if t["stage"].startswith("train")}
    assert seconds and set(seconds.values()) == {100.0}, seconds
