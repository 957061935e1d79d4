"""``--force``: the stage names known before a run cover every stage it makes; a name that
matches no stage exits 2 listing them; a name re-runs the stages it is a prefix of."""

from __future__ import annotations

import json
import subprocess
import sys

import yaml

from leasebench.manifest.load import load_manifest
from leasebench.runner import run_experiment
from leasebench.runner.stage_names import families, stage_names

from .conftest import arms_manifest


def _run_stages(outcome) -> list[str]:
    return [t["stage"] for t in json.loads((outcome.run_dir / "run.json").read_text())["stages"]]


def test_the_names_known_in_advance_cover_every_stage_of_a_run(tmp_path, registry):
    path = arms_manifest(tmp_path, trainers={
        "pat": {"name": "pattern", "sweep": {"min_precision": [0.3, 0.6]},
                "select": {"refit": True}, "repeats": 2},
        "rec": {"name": "lbtest/recording", "sweep": {"context": [2, 3]}, "repeats": 3}})
    out = run_experiment(path, runs_dir=tmp_path / "runs", quiet=True, registry=registry)
    names = stage_names(load_manifest(path, registry).manifest)
    assert set(_run_stages(out)) <= set(names)
    assert {"train", "train-rec-b2", "judge-b1", "extract"} <= set(families(names))


def test_force_typo_exits_2_listing_stages_and_families(tiny_manifest):
    res = subprocess.run([sys.executable, "-m", "leasebench", "run", str(tiny_manifest),
                          "--runs-dir", str(tiny_manifest.parent / "runs"), "--force", "trian",
                          "--no-mlflow"], capture_output=True, text=True, timeout=300)
    assert res.returncode == 2, res.stderr
    message = " ".join(res.stderr.split())
    assert "--force 'trian': no stage of tiny has that name or starts with it" in message
    assert "stages: load, split, data-card, generate-b1," in message
    assert "train-b2-t1" in message and "families: " in message and "Traceback" not in message
    assert not (tiny_manifest.parent / "runs").exists()


def test_force_a_prefix_reruns_its_stages_only(tiny_manifest):
    data = yaml.safe_load(tiny_manifest.read_text())
    data["rounds"] = data["rounds"][:2]
    tiny_manifest.write_text(yaml.safe_dump(data))
    kwargs = {"runs_dir": tiny_manifest.parent / "runs", "quiet": True, "mlflow": False}
    run_experiment(tiny_manifest, **kwargs)
    again = run_experiment(tiny_manifest, force=("train-b1",), **kwargs)
    ran = [t["stage"] for t in json.loads((again.run_dir / "run.json").read_text())["stages"]
           if not t["cached"]]
    assert set(ran) >= {"train-b1-t0", "train-b1-t1"}
    assert not any(s.startswith(("train-b0", "generate", "judge", "load")) for s in ran)
