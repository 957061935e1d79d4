"""Two rounds through `leasebench run` with each Databricks trainer, end to end.

The fake workspace plays Databricks (fine-tuning service or job cluster, MLflow, UC,
serving); the loopback OpenAI-compatible server plays the serving endpoint that the
`llm` extractor calls for the hold-out extraction.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from dbx_helpers import finetune_params, job_success
from leasebench.cli.main import make_cli
from leasebench.testing.llm_server import LLMTestServer, schema_json_handler

ROOT = Path(__file__).resolve().parents[3]


def manifest(tmp_path: Path, trainer: dict) -> Path:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "fixtures" / "tiny", data)
    doc = {
        "name": "dbx-e2e", "seed": 7, "schema": "lease",
        "data": {"train": str(data / "train.jsonl"), "holdout": str(data / "holdout.jsonl")},
        "generator": {"name": "perturb", "batch_size": 6},
        "judges": [{"name": "schema"}],
        "trainer": trainer,
        "scorers": [{"name": "field-match", "params": {"mode": "exact"}}],
        "rounds": [{"name": "real-only", "synthetic_batches": 0},
                   {"name": "synth-1", "synthetic_batches": 1}],
        "stats": {"bootstrap": 20},
        "tracking": {"mlflow": False},
    }
    path = tmp_path / "dbx.yaml"
    path.write_text(yaml.safe_dump(doc), "utf-8")
    return path


def run(path: Path, runs: Path):
    result = CliRunner().invoke(make_cli(), ["run", str(path), "--runs-dir", str(runs), "-q"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result


@pytest.mark.parametrize("kind", ["databricks-finetune", "databricks-job"])
def test_two_rounds(kind, fake, tmp_path, monkeypatch):
    monkeypatch.setenv("LEASEBENCH_PLUGINS", "leasebench-databricks")
    fake.on_job_success = job_success
    with LLMTestServer(handler=schema_json_handler()) as srv:
        serving = srv.url.replace("/v1", "/serving-endpoints")
        params = finetune_params(deploy={"poll_s": 0, "base_url": serving})
        if kind == "databricks-finetune":
            sweep, metric, key = {"learning_rate": [1e-6, 3e-6]}, "token_accuracy", "learningRate"
        else:
            params["trainer_params"] = {"base_model": "some/model"}
            sweep, metric, key = {"learning_rate": [1e-4, 3e-4]}, "eval_loss", "learning_rate"
        trainer = {"name": kind, "params": params, "sweep": sweep,
                   "select": {"metric": metric, "mode": "max" if "acc" in metric else "min"},
                   "eval_fraction": 0.2}
        path = manifest(tmp_path, trainer)
        run(path, tmp_path / "runs")
        assert fake.problems == []
        submitted = (fake.graphql("CreateFinetune") if kind == "databricks-finetune"
                     else fake.calls("POST", "/api/2.2/jobs/runs/submit"))
        assert len(submitted) == 4  # 2 trials x 2 rounds
        # only each round's selected (higher-lr) trial is deployed, and extraction uses it
        selected = {"lb-lease-extractor-v2", "lb-lease-extractor-v4"}
        assert set(fake.endpoints) == selected
        created = fake.calls("POST", "/api/2.0/serving-endpoints")
        assert sorted(c.body["name"] for c in created) == sorted(selected)
        assert {r.body["model"] for r in srv.requests} == selected
        states = sorted((tmp_path / "runs").rglob("finalize-b*/**/databricks.json"))
        assert len(states) == 2
        assert {json.loads(s.read_text())["endpoint"] for s in states} == selected
        assert all(r.auth_ok is not False for r in srv.requests)
        n_calls = len(srv.requests)
        report = json.loads(next((tmp_path / "runs").rglob("report/*.json")).read_text())
        assert "real-only" in json.dumps(report) and "synth-1" in json.dumps(report)

        # a second run is fully cached: nothing is submitted, deployed or called again
        n_serving = len([r for r in fake.requests if "/serving-endpoints" in r.path])
        run(path, tmp_path / "runs")
        again = (fake.graphql("CreateFinetune") if kind == "databricks-finetune"
                 else fake.calls("POST", "/api/2.2/jobs/runs/submit"))
        assert len(again) == 4 and len(srv.requests) == n_calls
        assert len([r for r in fake.requests if "/serving-endpoints" in r.path]) == n_serving
    lrs = sorted(_lr(fake, s, key) for s in submitted)
    assert lrs == [sweep["learning_rate"][0]] * 2 + [sweep["learning_rate"][1]] * 2


def _lr(fake, req, key: str) -> float:
    """The learning rate one submission asked for (in the config, or in the job's spec)."""
    if key == "learningRate":
        return req.body["variables"]["createFinetuneData"]["config"][key]
    spec_path = req.body["tasks"][0]["spark_python_task"]["parameters"][1]
    return float(json.loads(fake.files[spec_path])["params"][key])


def test_check_command(fake, tmp_path, monkeypatch):
    monkeypatch.setenv("LEASEBENCH_PLUGINS", "leasebench-databricks")
    fake.versions["main.lb.lease_extractor"] = []
    trainer = {"name": "databricks-finetune", "params": finetune_params(),
               "sweep": {"learning_rate": [1e-6, 2e-6]}, "select": {"metric": "token_accuracy"}}
    path = manifest(tmp_path, trainer)
    result = CliRunner().invoke(make_cli(), ["databricks", "check", str(path)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "user       someone@example.com" in out
    assert "schema main.lb" in out and "fine-tuning service" in out
    assert "4 fine-tuning runs (2 trial(s) x 2 training round(s))" in out
    assert "2 serving endpoint(s) (provisioned; the selected trial of each round)" in out
    assert not fake.files and not fake.finetunes and not fake.endpoints  # nothing created
    assert fake.problems == []


def test_teardown_deletes_recorded_endpoints(fake, tmp_path, monkeypatch):
    monkeypatch.setenv("LEASEBENCH_PLUGINS", "leasebench-databricks")
    fake.endpoints["lb-x-v1"] = {"name": "lb-x-v1", "config": {}, "step": 0,
                                 "script": [("READY", "NOT_UPDATING")]}
    state = tmp_path / "runs" / "stages" / "train-b0-t0-k" / "work" / "databricks.json"
    state.parent.mkdir(parents=True)
    state.write_text(json.dumps({"endpoint": "lb-x-v1"}))
    result = CliRunner().invoke(make_cli(), ["databricks", "teardown", str(tmp_path / "runs"),
                                             "--yes"])
    assert result.exit_code == 0, result.output
    assert "lb-x-v1: deleted" in result.output and not fake.endpoints
    assert fake.calls("DELETE", "/api/2.0/serving-endpoints/lb-x-v1")
    assert fake.problems == []
