"""Trainer ``databricks-job``: leasebench's own trainer, run remotely as a one-time job.

Per trial: the round's records and a run spec go to the UC Volume, a launcher script
too; ``POST /api/2.2/jobs/runs/submit`` starts one task (serverless GPU "AI Runtime"
environment, a new GPU job cluster, or an existing cluster) that runs
``leasebench_databricks.remote`` with the spec; ``GET /api/2.2/jobs/runs/get`` is polled
until the run terminates; the task wrote ``result.json`` (metrics, the UC model version
it registered through MLflow) next to the spec; ``finalize`` serves the selected
trial's version. The submission carries an
``idempotency_token`` derived from the trial's inputs, and its ``run_id`` is kept in the
stage work dir, so a resumed run re-attaches and never pays twice.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, ClassVar, Literal

from leasebench.components import Context
from leasebench.records import ModelRef, Record
from pydantic import Field, model_validator

from .common import RemoteParams, RemoteTrainer, State, log, model_ref, trial_tag
from .workspace import DatabricksError, call, download, dumps, poll, upload, workspace_client

TERMINAL = ("TERMINATED", "SKIPPED", "INTERNAL_ERROR")
LAUNCHER = (
    "# Runs one leasebench training trial from a spec on a UC Volume.\n"
    "from leasebench_databricks.remote import main\n\nmain()\n"
)


class JobParams(RemoteParams):
    trainer: str = Field("lora", description="The leasebench trainer run remotely.")
    trainer_params: dict[str, Any] = Field(
        default_factory=dict, description="Its params (sweep keys land here too: see README)."
    )
    learning_rate: float | None = Field(
        None, gt=0, description="Sets `trainer_params.learning_rate` (a sweepable key)."
    )
    epochs: float | None = Field(
        None, gt=0, description="Sets `trainer_params.epochs` (a sweepable key)."
    )
    compute: Literal["serverless", "cluster", "existing"] = Field(
        "serverless", description="Serverless GPU environment, a new job cluster, or a cluster."
    )
    environment: dict[str, Any] = Field(
        default_factory=lambda: {
            "client": "3", "dependencies": ["leasebench-databricks", "leasebench-lora"],
        },
        description="Serverless environment `spec` (client, dependencies, accelerator...).",
    )
    new_cluster: dict[str, Any] = Field(
        default_factory=dict, description="Jobs API `new_cluster` (GPU node type, runtime...)."
    )
    existing_cluster_id: str | None = Field(None, description="Cluster for `compute: existing`.")
    libraries: list[dict[str, Any]] = Field(
        default_factory=lambda: [
            {"pypi": {"package": "leasebench-databricks"}},
            {"pypi": {"package": "leasebench-lora"}},
        ],
        description="Task libraries on clusters (ignored on serverless).",
    )
    register_model: bool = Field(
        True, description="Register the result in UC through MLflow."
    )

    @model_validator(mode="after")
    def _compute(self) -> JobParams:
        if self.compute == "cluster" and not self.new_cluster:
            raise ValueError("compute: cluster needs new_cluster")
        if self.compute == "existing" and not self.existing_cluster_id:
            raise ValueError("compute: existing needs existing_cluster_id")
        if self.deploy.enabled and not self.register_model:
            raise ValueError("deploy needs register_model: true")
        return self


def submit_body(p: JobParams, tag: str, launcher: str, spec_path: str) -> dict[str, Any]:
    """The ``runs/submit`` payload for one trial."""
    task: dict[str, Any] = {
        "task_key": "train",
        "spark_python_task": {"python_file": launcher, "parameters": ["--spec", spec_path]},
    }
    body: dict[str, Any] = {
        "run_name": f"leasebench-{p.trainer}-{tag}",
        "idempotency_token": f"leasebench-{tag}",
        "timeout_seconds": int(p.timeout_s),
        "tasks": [task],
    }
    if p.compute == "serverless":
        task["environment_key"] = "leasebench"
        body["environments"] = [{"environment_key": "leasebench", "spec": p.environment}]
    elif p.compute == "cluster":
        task["new_cluster"] = p.new_cluster
        task["libraries"] = p.libraries
    else:
        task["existing_cluster_id"] = p.existing_cluster_id
        task["libraries"] = p.libraries
    return body


class DatabricksJobTrainer(RemoteTrainer[JobParams]):
    """Runs a leasebench trainer (default `lora`) as a one-time Databricks GPU job."""

    name: ClassVar[str] = "databricks-job"
    version: ClassVar[str] = "2"

    def train(self, train: Sequence[Record], eval: Sequence[Record], ctx: Context) -> ModelRef:
        p = self.params
        w = workspace_client(p.profile)
        state = State(ctx.workdir)
        tag = trial_tag(self.name, p, train, eval, ctx.seed)
        base = f"{p.volume}/{tag}"
        if state.get("job_run_id") is None:
            spec_path = self._upload(w, base, train, eval, ctx)
            body = submit_body(p, tag, f"{base}/launch.py", spec_path)
            res = call(w, "POST", "/api/2.2/jobs/runs/submit", what="submit job run", body=body)
            state.update(job_run_id=int(res["run_id"]), tag=tag)
            log.info("job run %s submitted", res["run_id"])
        else:
            log.info("re-attaching to job run %s", state.get("job_run_id"))
        run_id = state.get("job_run_id")
        run = poll(
            lambda: call(w, "GET", "/api/2.2/jobs/runs/get", what="job run",
                         query={"run_id": run_id}),
            lambda r: (r.get("state") or {}).get("life_cycle_state") in TERMINAL,
            what=f"job run {run_id}", interval_s=p.poll_s, timeout_s=p.timeout_s,
            on_change=lambda r: ctx.progress(
                0, None, f"job run {(r.get('state') or {}).get('life_cycle_state', '?')}"),
        )
        st = run.get("state") or {}
        if st.get("result_state") != "SUCCESS":
            state.forget("job_run_id", failed={"job_run_id": run_id, "state": st})
            raise DatabricksError(
                f"job run {run_id} ended {st.get('life_cycle_state')}/{st.get('result_state')}: "
                f"{st.get('state_message') or 'no message'} ({run.get('run_page_url', '')})"
            )
        raw = download(w, f"{base}/result.json")
        if raw is None:
            raise DatabricksError(f"job run {run_id} succeeded but wrote no {base}/result.json")
        result = json.loads(raw)
        meta = {"job_run_id": run_id, "run_page_url": run.get("run_page_url"), "trial_tag": tag,
                "mlflow_run_id": result.get("mlflow_run_id"), "trainer": p.trainer}
        metrics = {k: float(v) for k, v in (result.get("metrics") or {}).items()}
        if not p.register_model:
            ref = ModelRef.model_validate(result["model_ref"])
            return ref.model_copy(update={"metadata": {**ref.metadata, **meta}})
        return model_ref(w, p, full_name=result["model_name"],
                         version=int(result["model_version"]), metrics=metrics, metadata=meta)

    def _upload(self, w: Any, base: str, train: Sequence[Record], eval: Sequence[Record],
                ctx: Context) -> str:
        p = self.params
        for name, records in (("train", train), ("eval", eval)):
            lines = "".join(r.model_dump_json() + "\n" for r in records)
            upload(w, f"{base}/{name}.jsonl", lines.encode("utf-8"))
        upload(w, f"{base}/launch.py", LAUNCHER.encode("utf-8"))
        params = dict(p.trainer_params)
        params.update({k: v for k, v in (("learning_rate", p.learning_rate),
                                         ("epochs", p.epochs)) if v is not None})
        if p.trainer == "lora" and p.register_model:
            params.setdefault("merge", True)  # serving needs the merged weights
        spec = {
            "trainer": p.trainer, "params": params, "seed": ctx.seed,
            "schema": {"name": ctx.schema.name, "document": ctx.schema.document},
            "train": f"{base}/train.jsonl", "eval": f"{base}/eval.jsonl",
            "result": f"{base}/result.json", "workdir": f"{base}/work",
            "register": p.register_model, "register_to": p.register_to,
            "experiment_path": p.experiment_path, "run_name": f"leasebench-{base.rsplit('/')[-1]}",
        }
        return upload(w, f"{base}/spec.json", dumps(spec))


__all__ = ["DatabricksJobTrainer", "JobParams", "submit_body"]
