"""What both remote trainers share: params, durable state, the ModelRef, deployment.

``train()`` registers a UC model version per trial and returns a ``ModelRef`` naming it;
``finalize()`` (once per round, on the selected trial only) serves that version from an
endpoint. The endpoint is recorded in the finalize stage's work dir before the wait, and
``deploy`` updates an existing endpoint instead of creating another, so a re-run after an
interruption re-attaches.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from leasebench.components import Context, Trainer
from leasebench.hashing import stable_hash
from leasebench.io import atomic_write_text
from leasebench.records import ModelRef, Record
from pydantic import BaseModel, ConfigDict, Field, field_validator

from .serving import DeploySpec, deploy, endpoint_name, llm_params
from .workspace import workspace_client

log = logging.getLogger("leasebench.databricks")


class RemoteParams(BaseModel):
    """Params every Databricks trainer takes."""

    model_config = ConfigDict(extra="forbid")

    profile: str | None = Field(
        None, description="`~/.databrickscfg` profile; default: the SDK's unified auth (env)."
    )
    volume: str = Field(
        description="UC Volume directory for data and run specs, e.g. "
        "`/Volumes/main/leasebench/files/runs`."
    )
    register_to: str = Field(
        description="UC model (`catalog.schema.model`) the trained versions are registered to."
    )
    experiment_path: str = Field(
        "/Shared/leasebench", description="MLflow experiment (workspace path) for the runs."
    )
    prompt: str | None = Field(
        None, description="Extraction prompt file (must match the `llm` extractor's `prompt`)."
    )
    poll_s: float = Field(30.0, ge=0, description="Seconds between status checks.")
    timeout_s: float = Field(
        6 * 3600.0, gt=0, description="Longest wait for one remote run before giving up "
        "(the run keeps going; a re-run re-attaches)."
    )
    deploy: DeploySpec = Field(
        default_factory=DeploySpec,
        description="Serving the selected trial's version (once per round, in `finalize`).",
        json_schema_extra={"finalize_only": True},
    )

    @field_validator("volume")
    @classmethod
    def _volume(cls, value: str) -> str:
        if not value.startswith("/Volumes/") or len(value.strip("/").split("/")) < 4:
            raise ValueError("must be a UC Volume path: /Volumes/<catalog>/<schema>/<volume>/...")
        return value.rstrip("/")

    @field_validator("register_to")
    @classmethod
    def _register_to(cls, value: str) -> str:
        if len(value.split(".")) not in (2, 3) or not all(value.split(".")):
            raise ValueError("must be `catalog.schema` or `catalog.schema.model`")
        return value


class State:
    """A JSON file in the stage's work dir: what was submitted, so a re-run re-attaches."""

    def __init__(self, workdir: Path):
        self.path = workdir / "databricks.json"
        self.data: dict[str, Any] = (
            json.loads(self.path.read_text("utf-8")) if self.path.exists() else {}
        )

    def get(self, key: str) -> Any:
        return self.data.get(key)

    def update(self, **values: Any) -> None:
        self.data.update(values)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(self.path, json.dumps(self.data, indent=2, sort_keys=True))

    def forget(self, *keys: str, failed: dict[str, Any] | None = None) -> None:
        """Drop a finished-badly submission so the next call submits afresh."""
        history = [*self.data.get("failed", []), failed] if failed else self.data.get("failed", [])
        for key in keys:
            self.data.pop(key, None)
        self.update(failed=history)


def trial_tag(kind: str, params: BaseModel, train: Sequence[Record], evals: Sequence[Record],
              seed: int) -> str:
    """A short id for one trial's inputs: names remote files, runs and idempotency tokens."""
    return stable_hash({
        "kind": kind,
        "params": params.model_dump(mode="json", exclude={"poll_s", "timeout_s", "deploy"}),
        "train": sorted(r.id for r in train), "eval": sorted(r.id for r in evals),
        "data": stable_hash([r.model_dump(mode="json") for r in [*train, *evals]]),
        "seed": seed,
    }, length=12)


def full_model_name(register_to: str, run_name: str) -> str:
    """``catalog.schema.model``; with only ``catalog.schema`` the run name names the model."""
    return register_to if register_to.count(".") == 2 else f"{register_to}.{run_name}"


def extractor_params(w: Any, params: RemoteParams, endpoint: str) -> dict[str, Any]:
    """``llm`` extractor params that call ``endpoint`` with the training prompt."""
    llm = llm_params(w, params.deploy, endpoint)
    if params.prompt and "prompt" not in llm:
        llm["prompt"] = params.prompt
    return llm


def model_ref(
    w: Any, params: RemoteParams, *, full_name: str, version: int,
    metrics: dict[str, float], metadata: dict[str, Any],
) -> ModelRef:
    """A trial's model: the registered UC version (``models:/<name>/<version>``).

    Its ``llm`` params already name the endpoint that serves (or will serve) the version:
    ``deploy.endpoint_name``, or ``lb-<model>-v<version>``. ``finalize`` deploys it there;
    with ``deploy.enabled: false`` the user serves the version under that name.
    """
    endpoint = endpoint_name(params.deploy, full_name, version)
    return ModelRef(
        extractor="llm", uri=f"models:/{full_name}/{version}",
        params=extractor_params(w, params, endpoint),
        metadata={"uc_model": full_name, "version": version, "endpoint": endpoint,
                  "deployed": False, **metadata},
        metrics=metrics,
    )


RP = TypeVar("RP", bound=RemoteParams)


class RemoteTrainer(Trainer[RP]):
    """A Databricks trainer: ``finalize`` deploys the selected trial's UC version."""

    def finalize(self, model: ModelRef, ctx: Context) -> ModelRef:
        """Create or update the round's endpoint and wait until it serves; idempotent."""
        p = self.params
        full_name, version = model.metadata.get("uc_model"), model.metadata.get("version")
        if not full_name or version is None:
            return model
        version = int(version)
        w = workspace_client(p.profile)
        if not p.deploy.enabled:  # the user serves it; point at the name they were given
            name = endpoint_name(p.deploy, full_name, version)
            return model.model_copy(update={
                "params": extractor_params(w, p, name),
                "metadata": {**model.metadata, "endpoint": name},
            })
        state = State(ctx.workdir)
        name = endpoint_name(p.deploy, full_name, version)
        if state.get("endpoint") == name:
            log.info("re-attaching to serving endpoint %s", name)
        state.update(endpoint=name, uc_model=full_name, version=version)
        deploy(w, p.deploy, full_name, version)
        state.update(ready=True)
        log.info("serving %s v%s from endpoint %s", full_name, version, name)
        return model.model_copy(update={
            "params": extractor_params(w, p, name),
            "metadata": {**model.metadata, "endpoint": name, "deployed": True},
        })


__all__ = [
    "RemoteParams",
    "RemoteTrainer",
    "State",
    "extractor_params",
    "full_model_name",
    "log",
    "model_ref",
    "trial_tag",
]
