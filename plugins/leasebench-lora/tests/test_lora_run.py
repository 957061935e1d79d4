"""``leasebench run`` end to end with the ``lora`` trainer: two rounds, a learning-rate sweep."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import FAST, SCHEMA_DOC, make_records, write_jsonl


def write_inputs(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "train.jsonl", make_records(8))
    write_jsonl(tmp_path / "holdout.jsonl", make_records(4, prefix="h"))
    (tmp_path / "mini.json").write_text(json.dumps(SCHEMA_DOC), "utf-8")


def test_two_round_experiment_selects_the_best_trial(tiny_base, tmp_path):
    write_inputs(tmp_path)
    params = {k: v for k, v in FAST.items() if k != "learning_rate"}
    manifest = {
        "name": "lora-tiny", "seed": 5, "schema": "mini.json",
        "data": {"train": "train.jsonl", "holdout": "holdout.jsonl"},
        "generator": {"name": "perturb", "batch_size": 4},
        "judges": [{"name": "schema"}, {"name": "grounding"}],
        "trainer": {
            "name": "lora", "params": {**params, "base_model": str(tiny_base), "epochs": 100},
            "sweep": {"learning_rate": [1e-4, 1e-2]},
            "select": {"metric": "token_accuracy", "mode": "max"},
        },
        "scorers": [{"name": "field-match", "params": {"mode": "exact"}}],
        "rounds": [{"name": "real-only", "synthetic_batches": 0},
                   {"name": "synth-1", "synthetic_batches": 1}],
        "stats": {"bootstrap": 20},
        "tracking": {"mlflow": False},
    }
    path = tmp_path / "lora.yaml"
    path.write_text(yaml.safe_dump(manifest, sort_keys=False), "utf-8")
    env = {**os.environ, "LEASEBENCH_PLUGINS": "leasebench-lora", "MLFLOW_TRACKING_URI": ""}
    out = subprocess.run(
        [sys.executable, "-m", "leasebench", "run", str(path), "--runs-dir",
         str(tmp_path / "runs")], capture_output=True, text=True, env=env, cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert "train-b0-t1" in out.stderr and "micro" in out.stdout
    (report_path,) = (tmp_path / "runs").glob("lora-tiny/*/report/report.json")
    report = json.loads(report_path.read_text("utf-8"))
    rounds = {r["name"]: r for r in report["rounds"]}
    assert set(rounds) == {"real-only", "synth-1"}
    assert rounds["synth-1"]["n_train_synthetic"] > 0
    for r in rounds.values():
        trials = r["trials"]
        assert [t["params"]["learning_rate"] for t in trials] == [1e-4, 1e-2]
        best = max(trials, key=lambda t: t["metrics"]["token_accuracy"])
        assert [t["selected"] for t in trials] == [t is best for t in trials]
        assert best["params"]["learning_rate"] == 1e-2  # 1e-4 barely moves in 100 epochs
        assert r["model"]["extractor"] == "hf"
        assert r["model"]["metadata"]["adapter_path"].endswith("adapter")
        assert r["model"]["metrics"] == best["metrics"]
        assert r["n_predictions"] == 4 and r["parse_failures"] == 0
    # The hold-out texts repeat memorised training documents: the model gets them right.
    primary = report["primary_scorer"]
    assert rounds["real-only"]["scores"][primary]["micro"]["f1"] >= 0.5

    again = subprocess.run(
        [sys.executable, "-m", "leasebench", "run", str(path), "--runs-dir",
         str(tmp_path / "runs")], capture_output=True, text=True, env=env, cwd=tmp_path,
    )
    assert again.returncode == 0 and "all cached" in again.stdout


def test_plugin_registers_lora_and_hf():
    env = {**os.environ, "LEASEBENCH_PLUGINS": "leasebench-lora"}
    out = subprocess.run([sys.executable, "-m", "leasebench", "plugins", "--json"],
                         capture_output=True, text=True, check=True, env=env)
    rows = {(r["family"], r["name"]): r for r in json.loads(out.stdout)}
    assert rows["trainer", "lora"]["distribution"] == "leasebench-lora"
    assert rows["extractor", "hf"]["distribution"] == "leasebench-lora"


def test_eval_f1_selection_goes_through_the_hf_extractor(tiny_base, tmp_path, monkeypatch):
    from leasebench.plugin_manager import build_registry
    from leasebench.runner import run_experiment

    monkeypatch.setenv("LEASEBENCH_PLUGINS", "leasebench-lora")
    write_inputs(tmp_path)
    manifest = {
        "name": "lora-f1", "seed": 5, "schema": "mini.json",
        "data": {"train": "train.jsonl", "holdout": "holdout.jsonl"},
        "trainer": {"name": "lora", "params": {**FAST, "base_model": str(tiny_base),
                                               "epochs": 20},
                    "select": {"metric": "eval_f1"}},
        "rounds": [{"name": "real-only", "synthetic_batches": 0}],
        "stats": {"bootstrap": 0}, "tracking": {"mlflow": False},
    }
    path = tmp_path / "f1.yaml"
    path.write_text(yaml.safe_dump(manifest, sort_keys=False), "utf-8")
    outcome = run_experiment(path, runs_dir=tmp_path / "runs", quiet=True,
                             registry=build_registry())
    (trial,) = outcome.result.rounds[0].trials
    assert 0.0 <= trial.metrics["eval_f1"] <= 1.0 and trial.selected
    assert "token_accuracy" in trial.metrics
