"""databricks-job against the fake workspace, and the remote task run locally."""

from __future__ import annotations

import json

import pytest
from dbx_helpers import VOLUME, finetune_params, job_success, records
from leasebench.components import Context

from leasebench_databricks.jobs import DatabricksJobTrainer
from leasebench_databricks.remote import run_spec
from leasebench_databricks.workspace import DatabricksError, RemoteTimeout


def make(**over):
    params = finetune_params(**over)
    params.setdefault("trainer_params", {"base_model": "some/model"})
    return DatabricksJobTrainer.from_dict(params)


def test_submit_wait_register_then_deploy_in_finalize(fake, schema, tmp_path):
    fake.on_job_success = job_success
    ctx = Context(schema=schema, seed=3, workdir=tmp_path / "w")
    ref = make(learning_rate=2e-4).train(records(6), records(2, "ev"), ctx)
    assert fake.problems == []
    (submit,) = fake.calls("POST", "/api/2.2/jobs/runs/submit")
    body = submit.body
    task = body["tasks"][0]
    assert task["environment_key"] == "leasebench"
    assert body["environments"][0]["spec"]["dependencies"] == [
        "leasebench-databricks", "leasebench-lora"]
    assert body["idempotency_token"].startswith("leasebench-")
    spec_path = task["spark_python_task"]["parameters"][1]
    spec = json.loads(fake.files[spec_path])
    assert spec["trainer"] == "lora" and spec["seed"] == 3
    assert spec["params"] == {"base_model": "some/model", "learning_rate": 2e-4, "merge": True}
    assert spec["train"].startswith(VOLUME) and spec["schema"]["name"] == "lease"
    train_lines = fake.files[spec["train"]].decode().splitlines()
    assert len(train_lines) == 6 and json.loads(train_lines[0])["labels"]
    assert len(fake.calls("GET", "/api/2.2/jobs/runs/get")) == 3
    assert ref.metrics["eval_loss"] == pytest.approx(0.5 - 2e-4)
    assert ref.metadata["version"] == 1 and ref.metadata["job_run_id"] == 1000
    assert ref.uri == "models:/main.lb.lease_extractor/1" and not fake.endpoints
    final = make().finalize(ref, Context(schema=schema, seed=3, workdir=tmp_path / "fin"))
    assert final.params["endpoint"]["model"] == "lb-lease-extractor-v1"
    assert list(fake.endpoints) == ["lb-lease-extractor-v1"]
    assert fake.problems == []


def test_cluster_compute_payload(fake, schema, tmp_path):
    fake.on_job_success = job_success
    cluster = {"spark_version": "16.4.x-gpu-ml-scala2.12", "node_type_id": "g5.xlarge",
               "num_workers": 0}
    make(compute="cluster", new_cluster=cluster, deploy={"enabled": False}).train(
        records(3), records(1, "ev"), Context(schema=schema, seed=1, workdir=tmp_path))
    task = fake.calls("POST", "/api/2.2/jobs/runs/submit")[0].body["tasks"][0]
    assert task["new_cluster"] == cluster and task["libraries"][0]["pypi"]
    assert "environments" not in fake.calls("POST", "/api/2.2/jobs/runs/submit")[0].body
    assert fake.problems == []


def test_resume_after_timeout_does_not_submit_twice(fake, schema, tmp_path):
    fake.on_job_success = job_success
    fake.job_script = [("PENDING", None)] * 4 + [("TERMINATED", "SUCCESS")]
    ctx = Context(schema=schema, seed=1, workdir=tmp_path)
    with pytest.raises(RemoteTimeout):
        make(timeout_s=0.01, poll_s=0.02).train(records(3), records(1, "ev"), ctx)
    make().train(records(3), records(1, "ev"), ctx)
    assert len(fake.calls("POST", "/api/2.2/jobs/runs/submit")) == 1


def test_failed_job_reports_message(fake, schema, tmp_path):
    fake.job_script = [("RUNNING", None), ("TERMINATED", "FAILED")]
    with pytest.raises(DatabricksError, match="TERMINATED/FAILED: Task failed: CUDA OOM"):
        make().train(records(3), records(1, "ev"), Context(schema=schema, seed=1,
                                                           workdir=tmp_path))
    assert "job_run_id" not in json.loads((tmp_path / "databricks.json").read_text())


def test_remote_task_runs_a_leasebench_trainer(tmp_path, schema):
    """The job's entry point with the built-in `pattern` trainer and a fake registration."""
    for name, recs in (("train", records(6)), ("eval", records(2, "ev"))):
        (tmp_path / f"{name}.jsonl").write_text("".join(r.model_dump_json() + "\n" for r in recs))
    spec = {"trainer": "pattern", "params": {}, "seed": 1,
            "schema": {"name": "lease", "document": schema.document},
            "train": str(tmp_path / "train.jsonl"), "eval": str(tmp_path / "eval.jsonl"),
            "result": str(tmp_path / "result.json"), "workdir": str(tmp_path / "work"),
            "register": True, "register_to": "main.lb.m", "experiment_path": "/x",
            "run_name": "r"}
    seen = {}

    def register(ref, spec):
        seen["ref"] = ref
        return {"model_name": "main.lb.m", "model_version": 4, "mlflow_run_id": "abc"}

    result = run_spec(spec, register=register)
    on_disk = json.loads((tmp_path / "result.json").read_text())
    assert on_disk == json.loads(json.dumps(result))
    assert on_disk["model_version"] == 4 and on_disk["model_ref"]["extractor"]
    assert seen["ref"].extractor == on_disk["model_ref"]["extractor"]
