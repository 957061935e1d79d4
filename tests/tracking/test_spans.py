"""MLflow's round and trial runs take their times from the stages named by
``runner.stages``, for named arms (prefixed stage names) and their seeds too."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from mlflow.tracking import MlflowClient

from leasebench.runner import run_experiment

ROOT = Path(__file__).resolve().parents[2]


def test_round_and_trial_runs_of_named_arms_span_their_stages(tmp_path):
    shutil.copytree(ROOT / "fixtures" / "tiny", tmp_path / "tiny")
    manifest = tmp_path / "arms.yaml"
    manifest.write_text(yaml.safe_dump({
        "name": "spans", "seed": 3, "schema": "lease",
        "data": {"train": "tiny/train.jsonl", "holdout": "tiny/holdout.jsonl"},
        "generator": {"name": "perturb", "batch_size": 4},
        "judges": [{"name": "schema"}],
        "extractors": {"prose": {"name": "rules", "params": {"layout": "prose"}}},
        "trainers": {"pat": {"name": "pattern", "sweep": {"min_precision": [0.3, 0.6]},
                             "repeats": 2}},
        "dev": {"fraction": 0.25},
        "scorers": [{"name": "field-match"}],
        "rounds": [{"name": "prose", "extractor": "prose"},
                   {"name": "pat-1", "trainer": "pat", "synthetic_batches": 1}],
        "stats": {"bootstrap": 50},
    }))
    uri = f"sqlite:///{tmp_path / 'ml.db'}"
    out = run_experiment(manifest, runs_dir=tmp_path / "runs", quiet=True, mlflow=True,
                         tracking_uri=uri)
    log = {t["stage"]: t for t in json.loads((out.run_dir / "run.json").read_text())["stages"]}
    client = MlflowClient(tracking_uri=uri)
    exp = client.get_experiment_by_name("spans")
    runs = {r.info.run_name: r for r in client.search_runs([exp.experiment_id])}

    def ms(stage: str, when: str) -> int:
        return int(1000 * log[stage][when])

    prose, pat = runs["prose"].info, runs["pat-1"].info
    assert (prose.start_time, prose.end_time) == (ms("extract-prose", "started_at"),
                                                  ms("extract-prose", "ended_at"))
    assert pat.start_time == ms("train-pat-b1-t0", "started_at")
    assert pat.end_time == max(ms(s, "ended_at") for s in ("extract-pat-b1", "extract-pat-b1-s1"))
    trial = runs["pat-1 trial 1: min_precision=0.6"].info
    assert (trial.start_time, trial.end_time) == (ms("train-pat-b1-t1", "started_at"),
                                                  ms("train-pat-b1-t1", "ended_at"))
