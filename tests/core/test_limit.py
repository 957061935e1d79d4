"""``leasebench run --limit N``: a smoke run on the first N records of each file, under its
own name, its stages apart from the full run's; for file data only."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from leasebench.runner import run_experiment

ROOT = Path(__file__).resolve().parents[2]


def _stages(outcome) -> dict[str, dict]:
    return {t["stage"]: t for t in json.loads((outcome.run_dir / "run.json").read_text())[
        "stages"]}


def test_a_limited_run_reads_n_records_and_keeps_apart(tiny_manifest):
    runs = tiny_manifest.parent / "runs"
    smoke = run_experiment(tiny_manifest, runs_dir=runs, quiet=True, mlflow=False, limit=4)
    assert smoke.result.name == "tiny-limit4"
    assert smoke.run_dir.parent == runs / "tiny-limit4"
    assert smoke.result.n_holdout == 4 and smoke.result.n_train == 4
    full = run_experiment(tiny_manifest, runs_dir=runs, quiet=True, mlflow=False)
    assert full.result.name == "tiny" and full.result.n_holdout == 8
    assert not any(t["cached"] for t in _stages(full).values()), "nothing reused"
    again = run_experiment(tiny_manifest, runs_dir=runs, quiet=True, mlflow=False, limit=4)
    assert again.stages_run == 0 and again.run_dir == smoke.run_dir
    resolved = (smoke.run_dir / "manifest.yaml").read_text()
    assert "limit: 4" in resolved


def test_limit_is_for_file_data(tmp_path):
    manifest = ROOT / "fixtures" / "manifests" / "lease-offline.yaml"
    res = subprocess.run([sys.executable, "-m", "leasebench", "run", str(manifest), "--limit",
                          "5", "--runs-dir", str(tmp_path / "runs"), "--no-mlflow"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 2 and "--limit 5: it is for data read from files" in res.stderr
    assert not (tmp_path / "runs").exists()
