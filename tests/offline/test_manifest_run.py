"""The lease-offline experiment, reduced, through ``leasebench run``; and the manifest itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from leasebench.cli.main import make_cli
from leasebench.manifest.load import load_manifest
from leasebench.plugin_manager import build_registry

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / "fixtures" / "manifests" / "lease-offline.yaml"


def test_example_manifest_uses_the_offline_components():
    loaded = load_manifest(MANIFEST, build_registry())
    m = loaded.manifest
    assert m.generator is not None and m.generator.name == "swap"
    assert [j.name for j in m.judges] == ["schema", "grounding", "dedup"]
    assert m.trainer is not None and m.trainer.name == "crf"
    assert [r.name for r in m.rounds][:3] == ["real-only", "synth-1", "synth-2"]
    assert m.scorers[0].params == {"mode": "normalized"}


@pytest.mark.slow
def test_reduced_lease_offline_runs_and_reruns_cached(tmp_path):
    data = yaml.safe_load(MANIFEST.read_text("utf-8"))
    data["name"] = "lease-offline-small"
    data["data"].update(train=16, holdout=12)
    data["generator"]["batch_size"] = 12
    data["trainer"]["params"]["max_iterations"] = 15
    data["trainer"]["sweep"] = {"c1": [0.05, 0.3]}
    data["rounds"] = data["rounds"][:2]
    manifest = tmp_path / "small.yaml"
    manifest.write_text(yaml.safe_dump(data), "utf-8")
    runs = tmp_path / "runs"
    args = ["run", str(manifest), "--runs-dir", str(runs), "-q", "--no-mlflow"]
    first = CliRunner().invoke(make_cli(), args)
    assert first.exit_code == 0, first.output
    report = next(runs.glob("lease-offline-small/*/report/report.json"))
    names = {p.name for p in report.parent.iterdir()}  # the quick start's four formats
    assert {"report.md", "report.json", "fields.csv", "report.html"} <= names
    text = report.read_text("utf-8")
    assert "synth-1" in text and "real-only" in text
    run_json = json.loads(next(runs.glob("lease-offline-small/*/run.json")).read_text("utf-8"))
    assert run_json
    second = CliRunner().invoke(make_cli(), args)
    assert second.exit_code == 0, second.output
