"""A run moved to another directory (and resumed from another working directory) finds
its trained models: model records keep paths relative to the experiment directory."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from leasebench.records import ModelRef
from leasebench.runner import run_experiment
from leasebench.runner.model_paths import relative_to_root, resolved


def _crf_manifest(path: Path) -> None:
    m = yaml.safe_load(path.read_text())
    m["trainer"] = {"name": "crf", "params": {"max_iterations": 10}}
    m["rounds"] = [{"name": "real-only", "synthetic_batches": 0}]
    m["stats"] = {"bootstrap": 50}
    path.write_text(yaml.safe_dump(m))


def test_a_moved_run_resumes_and_extracts_with_its_model(tiny_manifest, tmp_path, monkeypatch):
    _crf_manifest(tiny_manifest)
    start = tmp_path / "start"
    start.mkdir()
    monkeypatch.chdir(start)
    first = run_experiment(tiny_manifest, runs_dir=Path("runs"), quiet=True)  # relative
    [trial] = (start / "runs" / "tiny" / "stages").glob("train-b0-t0-*")
    stored = json.loads((trial / "model.json").read_text())
    assert stored["uri"] == f"stages/{trial.name}/work/model.crfsuite"
    assert json.loads((trial / "_stage.json").read_text())["root_paths"] == ["/uri"]
    report = (first.run_dir / "report" / "report.json").read_bytes()
    assert json.loads(report)["rounds"][0]["model"]["uri"] == stored["uri"]

    moved = tmp_path / "elsewhere" / "runs"
    moved.parent.mkdir()
    shutil.move(start / "runs", moved)
    shutil.rmtree(start)
    for stage in (moved / "tiny" / "stages").glob("extract-*"):
        shutil.rmtree(stage)  # the model must be loaded again, from its new place
    other = tmp_path / "other"
    other.mkdir()
    monkeypatch.chdir(other)
    again = run_experiment(tiny_manifest, runs_dir=moved, quiet=True)
    ran = {s["stage"] for s in json.loads((again.run_dir / "run.json").read_text())["stages"]
           if not s["cached"]}
    assert ran == {"extract-b0"}  # training was not redone
    assert (again.run_dir / "report" / "report.json").read_bytes() == report
    f1 = again.result.rounds[0].scores["field-match:exact"].micro.f1
    assert f1 == first.result.rounds[0].scores["field-match:exact"].micro.f1 and f1 > 0


def test_every_path_under_the_experiment_directory_becomes_relative(tmp_path):
    root = tmp_path / "exp"
    adapter = root / "stages" / "train-t0" / "work" / "adapter"
    adapter.mkdir(parents=True)
    (adapter / "curves.json").write_text("[]")
    outside = tmp_path / "base-model"
    outside.mkdir()
    model = ModelRef(
        extractor="hf", uri=str(adapter),
        params={"adapter": str(adapter), "base_model": str(outside)},
        metadata={"adapter_path": str(adapter), "curves": str(adapter / "curves.json"),
                  "files": [str(adapter), "gpt2", "a/b/not-there"], "n/x": {"p": str(adapter)}},
    )
    rel, pointers = relative_to_root(model, root)
    assert rel.uri == "stages/train-t0/work/adapter"
    assert rel.params == {"adapter": rel.uri, "base_model": str(outside)}
    assert rel.metadata["files"] == [rel.uri, "gpt2", "a/b/not-there"]
    assert rel.metadata["curves"] == f"{rel.uri}/curves.json"
    assert pointers == ["/uri", "/params/adapter", "/metadata/adapter_path", "/metadata/curves",
                        "/metadata/files/0", "/metadata/n~1x/p"]
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    back = resolved(rel, copy, pointers)
    assert back.uri == str(copy / "stages" / "train-t0" / "work" / "adapter")
    assert back.metadata["n/x"]["p"] == back.uri and back.params["base_model"] == str(outside)
    assert resolved(rel, copy, ["/metadata/missing", "/params/adapter/9"]) == rel
