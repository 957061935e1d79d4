"""Trainer ``databricks-finetune``: one Foundation Model Fine-tuning run per sweep trial.

The service registers each run's model in UC; ``finalize`` serves the selected one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

from leasebench.components import Context
from leasebench.records import ModelRef, Record
from pydantic import Field, model_validator

from .chat import chat_rows, to_jsonl
from .common import RemoteParams, RemoteTrainer, State, full_model_name, log, model_ref, trial_tag
from .finetune_api import FinetuneClient, FinetuneRun, create_config
from .mlflow_rest import FINETUNE_METRICS, final_metrics, version_for_run
from .workspace import DatabricksError, RemoteTimeout, poll, upload, workspace_client


class FinetuneParams(RemoteParams):
    model: str = Field(
        "meta-llama/Meta-Llama-3.1-8B-Instruct", description="Base model the service tunes."
    )
    training_duration: str = Field("5ep", description="`5ep`, `100ba` or `1_000_000tok`.")
    learning_rate: float = Field(5e-7, gt=0, description="Peak learning rate (sweep it).")
    context_length: int | None = Field(None, gt=0, description="Sequence length cap.")
    data: Literal["volume", "table"] = Field(
        "volume", description="Chat data as JSONL in `volume`, or as Delta tables (needs Spark)."
    )
    table_prefix: str | None = Field(
        None, description="`catalog.schema.prefix` for `data: table` (`_<tag>_train`/`_eval`)."
    )
    data_prep_cluster_id: str | None = Field(
        None, description="Cluster that prepares table data (required with `data: table`)."
    )
    cancel_on_timeout: bool = Field(
        False, description="Cancel the remote run when `timeout_s` passes (default: leave it)."
    )

    @model_validator(mode="after")
    def _table(self) -> FinetuneParams:
        if self.data == "table" and not (self.table_prefix and self.data_prep_cluster_id):
            raise ValueError("data: table needs table_prefix and data_prep_cluster_id")
        return self


class DatabricksFinetuneTrainer(RemoteTrainer[FinetuneParams]):
    """Fine-tunes on Databricks' Foundation Model Fine-tuning API (one run per trial)."""

    name: ClassVar[str] = "databricks-finetune"
    version: ClassVar[str] = "2"

    def train(self, train: Sequence[Record], eval: Sequence[Record], ctx: Context) -> ModelRef:
        p = self.params
        w = workspace_client(p.profile)
        api = FinetuneClient(w)
        state = State(ctx.workdir)
        tag = trial_tag(self.name, p, train, eval, ctx.seed)
        if state.get("run_name") is None:
            train_path, eval_path = self._write_data(w, tag, train, eval, ctx)
            config = create_config(
                model=p.model, train_data_path=train_path, eval_data_path=eval_path,
                register_to=p.register_to, experiment_path=p.experiment_path,
                training_duration=p.training_duration, learning_rate=p.learning_rate,
                context_length=p.context_length, data_prep_cluster_id=p.data_prep_cluster_id,
            )
            run = api.create(config)
            state.update(run_name=run.name, tag=tag, status=run.status)
            log.info("fine-tuning run %s submitted (lr=%g)", run.name, p.learning_rate)
        else:
            log.info("re-attaching to fine-tuning run %s", state.get("run_name"))
        name = state.get("run_name")
        run = self._wait(api, state, name, ctx)
        if run.status != "COMPLETED":
            events = api.get_events(name)
            last = "; ".join(str(e.get("eventMessage", "")) for e in events[-3:])
            state.forget("run_name", failed={"run_name": name, "status": run.status})
            raise DatabricksError(
                f"fine-tuning run {name} ended {run.status}: {run.reason or last or 'no reason'}"
            )
        if not run.mlflow_run_id:
            raise DatabricksError(f"fine-tuning run {name}: the service reports no MLflow run")
        metrics = final_metrics(w, run.mlflow_run_id, FINETUNE_METRICS)
        full_name = full_model_name(run.register_to or p.register_to, name)
        version = version_for_run(w, full_name, run.mlflow_run_id, interval_s=p.poll_s,
                                  timeout_s=p.timeout_s)
        return model_ref(
            w, p, full_name=full_name, version=version, metrics=metrics,
            metadata={"run_name": name, "mlflow_run_id": run.mlflow_run_id,
                      "experiment_id": run.experiment_id, "trial_tag": tag,
                      "learning_rate": p.learning_rate},
        )

    def _write_data(
        self, w: object, tag: str, train: Sequence[Record], eval: Sequence[Record], ctx: Context
    ) -> tuple[str, str]:
        p = self.params
        rows = chat_rows(train, ctx.schema, p.prompt), chat_rows(eval, ctx.schema, p.prompt)
        if p.data == "table":
            from .tables import write_chat_table

            names = (f"{p.table_prefix}_{tag}_train", f"{p.table_prefix}_{tag}_eval")
            for rowset, table in zip(rows, names, strict=True):
                write_chat_table(rowset, table)
            return names
        paths = (f"{p.volume}/{tag}/train.jsonl", f"{p.volume}/{tag}/eval.jsonl")
        for rowset, path in zip(rows, paths, strict=True):
            upload(w, path, to_jsonl(rowset))
        return f"dbfs:{paths[0]}", f"dbfs:{paths[1]}"

    def _wait(self, api: FinetuneClient, state: State, name: str, ctx: Context) -> FinetuneRun:
        p = self.params

        def seen(run: FinetuneRun) -> None:
            ctx.progress(0, None, f"fine-tuning run {run.status}")
            if run.status != state.get("status"):
                log.info("fine-tuning run %s: %s", name, run.status)
                state.update(status=run.status)

        try:
            return poll(lambda: api.get(name), lambda r: r.terminal, what=f"fine-tuning run {name}",
                        interval_s=p.poll_s, timeout_s=p.timeout_s, on_change=seen)
        except RemoteTimeout:
            if p.cancel_on_timeout:
                api.cancel(name)
                state.forget("run_name", failed={"run_name": name, "status": "CANCELED"})
            raise


__all__ = ["DatabricksFinetuneTrainer", "FinetuneParams"]
