"""databricks-finetune against the fake workspace: the real SDK, the documented calls."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dbx_helpers import VOLUME, finetune_params, records
from leasebench.components import Context

from leasebench_databricks.finetune import DatabricksFinetuneTrainer
from leasebench_databricks.workspace import DatabricksError, RemoteTimeout


def make(**over):
    return DatabricksFinetuneTrainer.from_dict(finetune_params(**over))


def ctx(schema, tmp_path: Path) -> Context:
    return Context(schema=schema, seed=1, workdir=tmp_path / "work")


def test_one_trial_end_to_end(fake, schema, tmp_path):
    ref = make(learning_rate=2e-6).train(records(8), records(2, "ev"), ctx(schema, tmp_path))
    assert fake.problems == []
    # data: chat-format JSONL on the volume, 8 train and 2 eval rows
    uploads = fake.calls("PUT", "/api/2.0/fs/files/Volumes/")
    assert len(uploads) == 2 and all(u.query == {"overwrite": "true"} for u in uploads)
    train_rows = [json.loads(x) for x in uploads[0].body.decode().splitlines()]
    assert len(train_rows) == 8
    assert [m["role"] for m in train_rows[0]["messages"]] == ["user", "assistant"]
    assert "Lease number 0" in train_rows[0]["messages"][0]["content"]
    # exactly one create with the documented config
    (create,) = fake.graphql("CreateFinetune")
    config = create.body["variables"]["createFinetuneData"]["config"]
    assert config["taskType"] == "CHAT_COMPLETION" and config["learningRate"] == 2e-6
    assert config["trainingDuration"] == "5ep"
    assert config["trainDataPath"].startswith(f"dbfs:{VOLUME}/")
    assert config["experimentTracker"]["mlflow"]["modelRegistryPath"] == "main.lb.lease_extractor"
    # polled until terminal, metrics from MLflow, version from UC; nothing deployed yet
    assert len(fake.graphql("GetFinetunesPaginated")) == 3
    assert ref.metrics == {"token_accuracy": pytest.approx(0.7), "cross_entropy": 0.4,
                           "perplexity": 1.5}
    assert ref.metadata["uc_model"] == "main.lb.lease_extractor" and ref.metadata["version"] == 1
    assert ref.uri == "models:/main.lb.lease_extractor/1" and ref.metadata["deployed"] is False
    assert ref.extractor == "llm"
    assert not fake.calls("POST", "/api/2.0/serving-endpoints") and not fake.endpoints
    # finalize (the selected trial only) serves the version; the extractor calls it
    final = make().finalize(ref, ctx(schema, tmp_path / "fin"))
    assert final.params["endpoint"] == {
        "base_url": f"{fake.url}/serving-endpoints", "model": "lb-lease-extractor-v1",
        "api_key_env": "DATABRICKS_TOKEN"}
    assert final.metadata["endpoint"] == "lb-lease-extractor-v1" and final.metadata["deployed"]
    assert final.metrics == ref.metrics and final.uri == ref.uri
    (created,) = fake.calls("POST", "/api/2.0/serving-endpoints")
    entity = created.body["config"]["served_entities"][0]
    assert entity["entity_version"] == "1" and entity["max_provisioned_throughput"] == 980
    assert len(fake.calls("GET", "/api/2.0/serving-endpoints/get-model-optimization-info/")) == 1
    assert fake.problems == []


def test_finalize_is_idempotent_and_reattaches(fake, schema, tmp_path):
    ref = make().train(records(4), records(1, "ev"), ctx(schema, tmp_path / "t"))
    fake.endpoint_script = [("NOT_READY", "IN_PROGRESS")] * 50 + [("READY", "NOT_UPDATING")]
    with pytest.raises(RemoteTimeout):
        make(deploy={"poll_s": 0.02, "timeout_s": 0.01}).finalize(ref, ctx(schema, tmp_path))
    state = json.loads((tmp_path / "work" / "databricks.json").read_text())
    assert state["endpoint"] == "lb-lease-extractor-v1" and "ready" not in state
    fake.endpoints["lb-lease-extractor-v1"]["script"] = [("READY", "NOT_UPDATING")]
    first = make().finalize(ref, ctx(schema, tmp_path))
    again = make().finalize(ref, ctx(schema, tmp_path))
    assert first == again
    assert len(fake.calls("POST", "/api/2.0/serving-endpoints")) == 1
    assert not fake.calls("PUT", "/api/2.0/serving-endpoints/")
    assert json.loads((tmp_path / "work" / "databricks.json").read_text())["ready"] is True
    assert fake.problems == []


def test_without_deploy_finalize_deploys_nothing(fake, schema, tmp_path):
    trainer = make(deploy={"enabled": False, "endpoint_name": "my-endpoint"})
    ref = trainer.train(records(4), records(1, "ev"), ctx(schema, tmp_path / "t"))
    final = trainer.finalize(ref, ctx(schema, tmp_path))
    assert final.params == ref.params and final.uri == ref.uri
    # still usable: the llm extractor calls the endpoint the user serves the version on
    assert final.params["endpoint"]["model"] == "my-endpoint"
    assert final.params["endpoint"]["base_url"] == f"{fake.url}/serving-endpoints"
    # the deploy settings are finalize-only: a new endpoint name needs no retraining
    renamed = make(deploy={"enabled": False, "endpoint_name": "other"})
    assert renamed.finalize(ref, ctx(schema, tmp_path)).params["endpoint"]["model"] == "other"
    assert not [r for r in fake.requests if r.path.startswith("/api/2.0/serving-endpoints")]


def test_resume_reattaches_instead_of_resubmitting(fake, schema, tmp_path):
    fake.finetune_script = ["PENDING"] * 5 + ["RUNNING", "COMPLETED"]
    with pytest.raises(RemoteTimeout):
        make(timeout_s=0.01, poll_s=0.02).train(records(4), records(1, "ev"), ctx(schema, tmp_path))
    state = json.loads((tmp_path / "work" / "databricks.json").read_text())
    assert state["run_name"] == "ift-meta-llama-3.1-8b-instruct-1"
    ref = make().train(records(4), records(1, "ev"), ctx(schema, tmp_path))
    assert len(fake.graphql("CreateFinetune")) == 1
    assert ref.metadata["run_name"] == state["run_name"]
    assert fake.problems == []


def test_failed_run_raises_and_next_call_resubmits(fake, schema, tmp_path):
    fake.finetune_script = ["PENDING", "FAILED"]
    with pytest.raises(DatabricksError, match="ended FAILED: data validation failed"):
        make().train(records(4), records(1, "ev"), ctx(schema, tmp_path))
    fake.finetune_script = ["PENDING", "COMPLETED"]
    make().train(records(4), records(1, "ev"), ctx(schema, tmp_path))
    assert len(fake.graphql("CreateFinetune")) == 2
    state = json.loads((tmp_path / "work" / "databricks.json").read_text())
    assert state["failed"][0]["status"] == "FAILED"


def test_cancel_on_timeout(fake, schema, tmp_path):
    fake.finetune_script = ["PENDING"] * 50
    with pytest.raises(RemoteTimeout):
        make(timeout_s=0.01, poll_s=0.02, cancel_on_timeout=True).train(
            records(4), records(1, "ev"), ctx(schema, tmp_path))
    (stop,) = fake.graphql("StopFinetunes")
    assert stop.body["variables"]["getFinetunesData"]["filters"]["name"]["in"] == [
        "ift-meta-llama-3.1-8b-instruct-1"]


def test_existing_endpoint_is_updated_not_recreated(fake, schema, tmp_path):
    for sub, over in (("a", {}), ("b", {"learning_rate": 1e-6, "mode": "custom"})):
        lr = over.pop("learning_rate", 5e-7)
        trainer = make(learning_rate=lr, deploy={"poll_s": 0, "endpoint_name": "lease-ep",
                                                 **over})
        ref = trainer.train(records(4), records(1, "ev"), ctx(schema, tmp_path / sub))
        trainer.finalize(ref, ctx(schema, tmp_path / f"fin-{sub}"))
    assert len(fake.calls("POST", "/api/2.0/serving-endpoints")) == 1
    (put,) = fake.calls("PUT", "/api/2.0/serving-endpoints/lease-ep/config")
    assert put.body["served_entities"][0]["workload_type"] == "GPU_MEDIUM"
    assert put.body["served_entities"][0]["entity_version"] == "2"
    assert fake.problems == []


def test_bad_params_are_manifest_errors():
    with pytest.raises(ValueError, match="UC Volume"):
        make(volume="/tmp/x")
    with pytest.raises(ValueError, match=r"catalog\.schema"):
        make(register_to="justone")
    with pytest.raises(ValueError, match="data_prep_cluster_id"):
        make(data="table")


def test_training_prompt_is_the_llm_extractors_prompt(schema):
    """The tuned model is trained on exactly what the `llm` extractor will send it."""
    from leasebench.llm.extractor import LLMExtractor
    from leasebench.llm.prompts import load_prompt

    from leasebench_databricks.chat import chat_rows

    record = records(1)[0]
    (row,) = chat_rows([record], schema)
    sent = LLMExtractor.from_dict({}).messages(record, schema, load_prompt("extract"))
    assert row["messages"][0] == {"role": "user", "content": sent[-1]["content"]}
    assert json.loads(row["messages"][1]["content"]) == record.labels
