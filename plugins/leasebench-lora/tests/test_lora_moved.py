"""A LoRA run moved to another directory resumes and extracts with its adapter.

The run is started from one working directory with a relative ``--runs-dir``, moved
elsewhere with its extraction stages deleted, and resumed from a third directory: the
model record keeps the adapter's path relative to the experiment directory, so only the
extraction runs again, through the moved adapter, and writes the same report.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from conftest import FAST, SCHEMA_DOC, make_records, write_jsonl
from leasebench.runner import run_experiment


def test_a_moved_lora_run_extracts_with_its_adapter(tiny_base, tmp_path, monkeypatch):
    start = tmp_path / "start"
    start.mkdir()
    write_jsonl(start / "train.jsonl", make_records(5))
    write_jsonl(start / "holdout.jsonl", make_records(3, prefix="h"))
    (start / "mini.json").write_text(json.dumps(SCHEMA_DOC), "utf-8")
    manifest = {
        "name": "lora-moved", "seed": 2, "schema": "mini.json",
        "data": {"train": "train.jsonl", "holdout": "holdout.jsonl"},
        "trainer": {"name": "lora", "params": {**FAST, "base_model": str(tiny_base),
                                                "epochs": 20}},
        "scorers": [{"name": "field-match", "params": {"mode": "exact"}}],
        "rounds": [{"name": "real-only", "synthetic_batches": 0}],
        "stats": {"bootstrap": 20},
        "tracking": {"mlflow": False},
    }
    path = start / "lora.yaml"
    path.write_text(yaml.safe_dump(manifest, sort_keys=False), "utf-8")
    monkeypatch.chdir(start)
    first = run_experiment(path, runs_dir=Path("runs"), quiet=True)  # a relative runs dir
    [trial] = (start / "runs" / "lora-moved" / "stages").glob("train-*")
    stored = json.loads((trial / "model.json").read_text("utf-8"))
    adapter = f"stages/{trial.name}/work/adapter"
    assert stored["uri"] == adapter and stored["metadata"]["adapter_path"] == adapter
    report = (first.run_dir / "report" / "report.json").read_bytes()

    moved = tmp_path / "elsewhere"
    moved.mkdir()
    for name in ("runs", "train.jsonl", "holdout.jsonl", "mini.json", "lora.yaml"):
        shutil.move(start / name, moved / name)
    shutil.rmtree(start)
    for stage in (moved / "runs" / "lora-moved" / "stages").glob("extract-*"):
        shutil.rmtree(stage)  # the adapter must be loaded again, from its new place
    other = tmp_path / "other"
    other.mkdir()
    monkeypatch.chdir(other)
    again = run_experiment(moved / "lora.yaml", runs_dir=moved / "runs", quiet=True)
    ran = {s["stage"] for s in json.loads((again.run_dir / "run.json").read_text())["stages"]
           if not s["cached"]}
    assert ran and all(s.startswith("extract-") for s in ran)  # no training again
    assert (again.run_dir / "report" / "report.json").read_bytes() == report
