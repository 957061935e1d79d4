"""The dry run, the run and ``--force`` name the same stages: a third-party judge with a
namespaced name (``acme/length``, installed as a distribution with an entry point) is
planned, run and forced under one name; a dry run on an empty runs directory shows
nothing as cached and writes nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from leasebench.runner import stages

PLUGIN = '''
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from leasebench.components import Judge
from leasebench.hookspecs import hookimpl
from leasebench.records import Verdict


class LengthParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    min_chars: int = Field(200, ge=0, description="Shortest document that passes.")


class LengthJudge(Judge[LengthParams]):
    """Passes documents at least min_chars long."""

    name: ClassVar[str] = "acme/length"

    def judge(self, records, ctx):
        for r in records:
            yield Verdict(record_id=r.id, judge=self.name,
                          passed=len(r.text) >= self.params.min_chars)


@hookimpl
def register_judges(register):
    register(LengthJudge)
'''


@pytest.fixture
def acme(tmp_path: Path, tiny_manifest: Path) -> tuple[Path, dict[str, str]]:
    """The tiny manifest with the judges schema, acme/length and grounding, and the
    environment that installs the acme distribution (and only it)."""
    site = tmp_path / "site"
    (site / "acme_judges").mkdir(parents=True)
    (site / "acme_judges" / "__init__.py").write_text("")
    (site / "acme_judges" / "plugin.py").write_text(textwrap.dedent(PLUGIN))
    info = site / "acme_judges-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-judges\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[leasebench]\nacme = acme_judges.plugin\n")
    data = yaml.safe_load(tiny_manifest.read_text())
    data["judges"] = [{"name": "schema"}, {"name": "acme/length", "params": {"min_chars": 10}},
                      {"name": "grounding"}]
    data["rounds"] = data["rounds"][:2]
    tiny_manifest.write_text(yaml.safe_dump(data, sort_keys=False))
    env = {**os.environ, "PYTHONPATH": str(site), "LEASEBENCH_PLUGINS": "acme-judges",
           "COLUMNS": "200", "MLFLOW_TRACKING_URI": ""}
    return tiny_manifest, env


def leasebench(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "leasebench", *args], env=env,
                          capture_output=True, text=True, timeout=300)


def planned(stdout: str) -> dict[str, str]:
    """Stage -> status and note, read from the dry run's table."""
    lines = stdout.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("─")) + 1
    rows = {}
    for ln in lines[start:]:
        if ln.startswith("total"):
            break
        if ln[:1].strip():  # a wrapped note continues on lines that start blank
            rows[ln.split()[0]] = " ".join(ln.split()[2:])
    return rows


def test_dry_run_and_run_name_the_same_stages_with_a_namespaced_judge(acme, tmp_path):
    manifest, env = acme
    runs = tmp_path / "runs"
    dry = leasebench(env, "run", str(manifest), "--runs-dir", str(runs), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert not runs.exists()  # a dry run writes nothing
    before = planned(dry.stdout)
    assert stages.judge(1, 1, "acme/length") == "judge-b1-1acme_length" in before
    assert all(status.startswith("to run ") for status in before.values()), before
    run = leasebench(env, "run", str(manifest), "--runs-dir", str(runs), "--no-mlflow")
    assert run.returncode == 0, run.stderr
    run_json = next(runs.glob("tiny/*/run.json"))
    ran = [t["stage"] for t in json.loads(run_json.read_text())["stages"]]
    assert "judge-b1-1acme_length" in ran and len(ran) == len(set(ran))
    # every stage the run made was planned; the others were planned as conditional
    assert set(ran) <= set(before)
    for name in set(before) - set(ran):
        assert "if an earlier judge rejects a sample" in before[name], (name, before[name])
    # with every stage cached, the dry run knows exactly the run's stages
    after = planned(leasebench(env, "run", str(manifest), "--runs-dir", str(runs),
                               "--dry-run").stdout)
    assert list(after) == ran
    assert all(status.startswith("cached ") for status in after.values()), after
    forced = leasebench(env, "run", str(manifest), "--runs-dir", str(runs), "--no-mlflow",
                        "--force", "judge-b1-1acme_length")
    assert forced.returncode == 0, forced.stderr
    assert "✓ judge-b1-1acme_length: done" in forced.stderr


def test_stage_names_are_file_names():
    assert stages.judge_all(2, 0, "acme/length") == "judge-all-b2-0acme_length"
    assert stages.ablation_arm("lora", "acme/length") == "lora-without-acme_length"
    assert stages.trial(stages.round_label("lora", 2), 1, 2) == "train-lora-b2-t1-s2"
    assert stages.trial(stages.round_label("pattern", 0, legacy=True), 0) == "train-b0-t0"
    assert stages.extract("b2", 1, served=True) == "extract-b2-s1-served"
    assert stages.trained_round("b1", trials=2, seeds=2, finalizes=False) == [
        "train-b1-t0", "train-b1-t1", "train-b1-t0-s1", "train-b1-t1-s1",
        "extract-b1", "extract-b1-s1"]
    assert stages.trained_round("b1", trials=2, seeds=2, refits=True, selected=1) == [
        "train-b1-t0", "train-b1-t1", "train-b1-refit-s0", "train-b1-refit-s1",
        "finalize-b1", "finalize-b1-s1", "extract-b1", "extract-b1-s1"]
