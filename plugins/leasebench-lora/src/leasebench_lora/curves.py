"""Training curves to MLflow: one run per trial, a metric per curve, a step per point.

``mode="auto"`` logs when the run's tracking is on: the context's ``extra`` carries
``mlflow_tracking_uri`` (optionally ``mlflow_experiment`` and ``mlflow_parent_run_id``),
or an MLflow run is active in this process. ``on`` logs to ``MLFLOW_TRACKING_URI``
(MLflow's default) when the context names no URI; ``off`` never logs. The curves are
also always saved beside the adapter (``curves.json``).
"""

from __future__ import annotations

import math
from typing import Any

from leasebench.components import Context
from leasebench.tracking import flatten

DEFAULT_EXPERIMENT = "leasebench-lora"


def _target(mode: str, ctx: Context) -> tuple[str | None, str, str | None] | None:
    """(tracking URI or None for MLflow's default, experiment, parent run id), or None."""
    if mode == "off":
        return None
    uri = ctx.extra.get("mlflow_tracking_uri")
    experiment = str(ctx.extra.get("mlflow_experiment") or DEFAULT_EXPERIMENT)
    parent = ctx.extra.get("mlflow_parent_run_id")
    if uri is not None or mode == "on":
        return uri, experiment, parent
    try:
        import mlflow
    except ImportError:  # pragma: no cover
        return None
    active = mlflow.active_run()
    if active is None:
        return None
    return mlflow.get_tracking_uri(), experiment, active.info.run_id


def log_curves(
    history: list[dict[str, float]], final: dict[str, float], mode: str, ctx: Context,
    params: dict[str, Any],
) -> str | None:
    """Log ``history`` (per-step points) and ``final`` metrics; return the run id or None."""
    target = _target(mode, ctx)
    if target is None:
        return None
    from mlflow.entities import Metric, Param
    from mlflow.tracking import MlflowClient

    uri, experiment, parent = target
    client = MlflowClient(tracking_uri=uri)
    exp = client.get_experiment_by_name(experiment)
    exp_id = exp.experiment_id if exp is not None else client.create_experiment(experiment)
    tags = {"leasebench.level": "training", "leasebench.stage": ctx.stage}
    if parent:
        tags["mlflow.parentRunId"] = str(parent)
    run = client.create_run(exp_id, run_name=ctx.stage or "lora-trial", tags=tags)
    points = [
        Metric(key, float(value), 0, int(point["step"]))
        for point in history for key, value in point.items()
        if key not in ("step", "epoch") and math.isfinite(float(value))
    ]
    points += [Metric(f"final_{k}", float(v), 0, 0) for k, v in final.items()
               if math.isfinite(float(v))]
    flat = flatten(params)
    param_list = [Param(k, v) for k, v in flat.items()]
    for start in range(0, max(len(points), 1), 1000):
        client.log_batch(run.info.run_id, metrics=points[start : start + 1000],
                         params=param_list if start == 0 else [])
    client.set_terminated(run.info.run_id)
    return str(run.info.run_id)


__all__ = ["DEFAULT_EXPERIMENT", "log_curves"]
