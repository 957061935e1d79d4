"""The job task of ``databricks-job``: one training trial from a spec, on the cluster.

``python launch.py --spec /Volumes/.../spec.json`` reads the records (UC Volumes are
mounted at ``/Volumes`` on Databricks compute), runs the named leasebench trainer,
logs it to MLflow and registers the model in Unity Catalog, and writes ``result.json``
next to the spec for the submitting side to read.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from leasebench.components import Context, Trainer
from leasebench.errors import PluginError
from leasebench.io import atomic_write_text, read_jsonl
from leasebench.plugin_manager import build_registry
from leasebench.records import ModelRef, Record
from leasebench.schema import FieldSchema

Register = Callable[[ModelRef, dict[str, Any]], dict[str, Any]]


def uc_name(register_to: str, trainer: str) -> str:
    return register_to if register_to.count(".") == 2 else f"{register_to}.leasebench_{trainer}"


def register_mlflow(ref: ModelRef, spec: dict[str, Any]) -> dict[str, Any]:
    """Log the trained model to MLflow and register it in UC; the name, version and run."""
    import mlflow

    model_dir = ref.metadata.get("merged_path") or ref.uri
    if not model_dir or not Path(model_dir).is_dir():
        raise RuntimeError(f"trainer {spec['trainer']!r} left no model directory ({model_dir!r})")
    full_name = uc_name(spec["register_to"], spec["trainer"])
    mlflow.set_tracking_uri("databricks")
    mlflow.set_registry_uri("databricks-uc")
    mlflow.set_experiment(spec["experiment_path"])
    with mlflow.start_run(run_name=spec["run_name"]) as run:
        mlflow.log_params({k: str(v)[:500] for k, v in spec["params"].items()})
        if ref.metrics:
            mlflow.log_metrics(ref.metrics)
        info = mlflow.transformers.log_model(
            transformers_model=model_dir, artifact_path="model", task="llm/v1/chat",
            registered_model_name=full_name,
        )
    return {
        "model_name": full_name,
        "model_version": int(info.registered_model_version),
        "mlflow_run_id": run.info.run_id,
    }


def run_spec(spec: dict[str, Any], register: Register = register_mlflow) -> dict[str, Any]:
    """Train as ``spec`` says, register when asked, write and return the result."""
    schema = FieldSchema(spec["schema"]["name"], spec["schema"]["document"])
    train = read_jsonl(Path(spec["train"]), Record)
    evals = read_jsonl(Path(spec["eval"]), Record)
    cls = build_registry().get("trainer", spec["trainer"])
    trainer = cls(cls.Params.model_validate(spec["params"]))
    if not isinstance(trainer, Trainer):
        raise PluginError(f"trainer {spec['trainer']!r} does not subclass leasebench's Trainer")
    workdir = Path(spec["workdir"])
    workdir.mkdir(parents=True, exist_ok=True)
    ctx = Context(schema=schema, seed=int(spec["seed"]), workdir=workdir, train=tuple(train),
                  quiet=True)
    ref = trainer.train(train, evals, ctx)
    result: dict[str, Any] = {"model_ref": ref.model_dump(mode="json"), "metrics": ref.metrics}
    if spec.get("register"):
        result.update(register(ref, spec))
    atomic_write_text(Path(spec["result"]), json.dumps(result, indent=2, sort_keys=True))
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", required=True, help="Path of the run spec (a UC Volume file).")
    args, _ = parser.parse_known_args(argv)
    run_spec(json.loads(Path(args.spec).read_text("utf-8")))


__all__ = ["main", "register_mlflow", "run_spec", "uc_name"]
