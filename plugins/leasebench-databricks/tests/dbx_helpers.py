"""Shared test helpers: records, trainer params, a stand-in for the job's cluster."""

from __future__ import annotations

import json
from typing import Any

from dbx_fake import FakeWorkspace
from leasebench.records import Record
from leasebench.schema import builtin_schema

VOLUME = "/Volumes/main/lb/files/runs"


def records(n: int, prefix: str = "doc") -> list[Record]:
    schema = builtin_schema("lease")
    out = []
    for i in range(n):
        labels: dict[str, list[str]] = {f: [] for f in schema.fields}
        labels[schema.fields[0]] = [f"value {i}"]
        out.append(Record(id=f"{prefix}{i}", text=f"Lease number {i}: value {i}.", labels=labels))
    return out


def finetune_params(**over: Any) -> dict[str, Any]:
    return {
        "volume": VOLUME, "register_to": "main.lb.lease_extractor",
        "experiment_path": "/Shared/leasebench-test", "poll_s": 0, "timeout_s": 10,
        "deploy": {"poll_s": 0, "timeout_s": 10}, **over,
    }


def job_success(fake: FakeWorkspace, spec: dict[str, Any]) -> None:
    """Plays the cluster: reads the spec, 'trains', registers a version, writes result.json."""
    run_id = f"jobrun-{len(fake.versions.get(spec['register_to'], []))}"
    lr = float(spec["params"].get("learning_rate", 1e-4))
    fake.log_metric(run_id, "eval_loss", [1.0, 0.5 - lr])
    version = fake.register_version(spec["register_to"], run_id)
    result = {"metrics": {"eval_loss": 0.5 - lr, "eval_token_accuracy": 0.8 + lr},
              "model_name": spec["register_to"], "model_version": version,
              "mlflow_run_id": run_id, "model_ref": {"extractor": "hf", "uri": "/tmp/merged"}}
    fake.files[spec["result"]] = json.dumps(result).encode()
