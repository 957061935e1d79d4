"""MLflow tracking: a parent run per ``leasebench run``, a nested run per round, and a
nested run per sweep trial under its round.

Rule against duplicates: the parent run is tagged with the manifest hash and the hash
of ``report.json``. A run whose finished parent with both tags already exists in the
experiment logs nothing and reuses that run (a cached re-run changes nothing worth
logging); a changed result gets a new parent run. A parent left unfinished (the process
was killed while logging) is completed by the next run: what is missing is logged, an
unfinished round run is logged again, nothing is duplicated.

What is logged (names, headline metrics, descriptions, times) is in ``content``.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..hashing import file_hash
from ..pause import pause_point
from ..reporting.summary import best_round
from ..results import RoundResult, RunResult
from .content import (
    ML_VIEW,
    VIEW_TAG,
    describe_round,
    describe_run,
    headline_metrics,
    mlflow_key,
    mlflow_keys,
    parent_name,
    round_metrics,
    runs_view,
    trial_metric_name,
    trial_metrics,
    trial_name,
    window,
)
from .registry import register_round

DEFAULT_STORE = "mlflow.db"
LOCAL_UI = "http://127.0.0.1:5000"  # where `mlflow ui` serves by default
MAX_PARAM = 500


def default_tracking_uri(cwd: Path | None = None) -> str:
    """``MLFLOW_TRACKING_URI`` if set, else a SQLite store in the working directory."""
    env = os.environ.get("MLFLOW_TRACKING_URI")
    if env:
        return env
    return f"sqlite:///{(cwd or Path.cwd()).resolve() / DEFAULT_STORE}"


def _artifact_root(tracking_uri: str) -> str | None:
    """For a local SQLite store, artifacts go beside the database (not into the cwd)."""
    if tracking_uri.startswith("sqlite:///"):
        db = Path(tracking_uri.removeprefix("sqlite:///"))
        return (db.parent / "mlartifacts").resolve().as_uri()
    return None


def flatten(value: Any, prefix: str = "") -> dict[str, str]:
    """Dotted keys for nested mappings/lists (MLflow params are flat strings)."""
    out: dict[str, str] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            out.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for i, item in enumerate(value):
            out.update(flatten(item, f"{prefix}.{i}"))
    else:
        out[prefix] = str(value)[:MAX_PARAM]
    return out


def _store_lock(tracking_uri: str) -> contextlib.AbstractContextManager[None]:
    """For a local SQLite store, a file lock beside the database held while logging.

    Two runs creating the same new database at once would both run its schema migrations
    (``duplicate column name``); SQLite takes one writer at a time anyway.
    """
    if tracking_uri.startswith("sqlite:///"):
        from ..locks import file_lock

        db = Path(tracking_uri.removeprefix("sqlite:///"))
        return file_lock(db.parent / f".{db.name}.lock")
    return contextlib.nullcontext()


def log_run(
    result: RunResult,
    run_dir: Path,
    resolved_manifest: dict[str, Any],
    plugins: list[dict[str, str]],
    predictions: dict[str, Path],
    *,
    tracking_uri: str,
    experiment: str | None = None,
    timings: list[dict[str, Any]] | None = None,
    started_at: float | None = None,
    stages: Mapping[str, tuple[Sequence[str], Sequence[str]]] | None = None,
) -> tuple[str, bool]:
    """Log the run; return (parent run id, whether a complete existing run was reused).

    ``timings`` is the run's stage log (``started_at``/``ended_at`` per stage) and
    ``started_at`` when the run began (epoch seconds), ``stages`` each round's stage names
    and each of its trials' (in index order): the runs' start and end times.
    Idempotent: a parent run left unfinished (its process was killed while logging) is
    completed, not duplicated and not reused as it is. Finished round runs under it are
    kept; an unfinished round run is deleted with its trial runs and logged again.
    """
    from mlflow.tracking import MlflowClient

    timings = timings or []
    started_at = started_at if started_at is not None else time.time()
    with _store_lock(tracking_uri):
        client = MlflowClient(tracking_uri=tracking_uri)  # a new store is created here
        name = experiment or result.name
        exp = client.get_experiment_by_name(name)
        if exp is not None:
            exp_id = exp.experiment_id
        else:
            exp_id = client.create_experiment(name,
                                              artifact_location=_artifact_root(tracking_uri))
        _experiment_view(client, exp_id, result, parent_name(result, started_at, experiment))
        report = run_dir / "report" / "report.json"
        report_sha = file_hash(report) if report.exists() else "none"
        found = client.search_runs(
            [exp_id],
            filter_string=(
                f"tags.`leasebench.manifest_hash` = '{result.manifest_hash}' and "
                f"tags.`leasebench.report_sha` = '{report_sha}' and "
                "tags.`leasebench.level` = 'experiment'"
            ),
        )
        finished = [r for r in found if r.info.status == "FINISHED"]
        if finished:
            return finished[0].info.run_id, True
        if found:
            pid = found[0].info.run_id  # left unfinished by a killed run: complete it
        else:
            tags = {"leasebench.manifest_hash": result.manifest_hash,
                    "leasebench.report_sha": report_sha, "leasebench.run_dir": str(run_dir),
                    "leasebench.level": "experiment",
                    "leasebench.rounds": ", ".join(r.name for r in result.rounds),
                    "leasebench.reference_round": result.reference_round,
                    "leasebench.best_round": best_round(result).name,
                    "mlflow.note.content": describe_run(result, resolved_manifest)}
            pid = client.create_run(
                exp_id, run_name=parent_name(result, started_at, experiment), tags=tags,
                start_time=int(1000 * started_at),
            ).info.run_id
        _log_parent(client, pid, result, run_dir, resolved_manifest, plugins)
        done = _finished_rounds(client, exp_id, pid)
        for r in result.rounds:
            if r.name not in done:
                _log_round(client, exp_id, pid, r, result, predictions.get(r.name), timings,
                           name, run_dir, (stages or {}).get(r.name, ((), ())))
        client.set_terminated(pid, end_time=int(1000 * time.time()))
    return pid, False


def _experiment_view(client: Any, exp_id: str, result: RunResult, run_name: str) -> None:
    """Make the experiment open on its runs table, with the headline columns shown.

    ``mlflow.experimentKind`` is what MLflow 3 UIs without the GenAI / model-training
    switch read; with the switch, ``experiment_url`` links to the runs table itself.
    """
    tags = client.get_experiment(exp_id).tags
    client.set_experiment_tag(exp_id, "mlflow.experimentKind", "custom_model_development")
    client.set_experiment_tag(exp_id, VIEW_TAG,
                              runs_view(result, tags.get(VIEW_TAG), run_name))


def experiment_url(tracking_uri: str, run_id: str) -> str | None:
    """The experiment's runs table in the MLflow UI, when the tracking URI is a server."""
    if not tracking_uri.startswith(("http://", "https://")):
        return None
    from mlflow.tracking import MlflowClient

    exp_id = MlflowClient(tracking_uri=tracking_uri).get_run(run_id).info.experiment_id
    return f"{tracking_uri.rstrip('/')}/#/experiments/{exp_id}/runs?{ML_VIEW}"


def open_hint(tracking_uri: str, run_id: str) -> list[str]:
    """How to see a logged run: its runs table's URL for a server; for a local store
    (SQLite, a directory), the command that serves it and the URL it will have."""
    url = experiment_url(tracking_uri, run_id)
    if url is not None:
        return [url]
    scheme = tracking_uri.split(":", 1)[0] if "://" in tracking_uri else "file"
    if scheme not in ("sqlite", "file"):
        return []  # e.g. `databricks`: the workspace shows it under Experiments
    from mlflow.tracking import MlflowClient

    exp_id = MlflowClient(tracking_uri=tracking_uri).get_run(run_id).info.experiment_id
    return [f"mlflow ui --backend-store-uri {shlex.quote(tracking_uri)}",
            f"{LOCAL_UI}/#/experiments/{exp_id}/runs?{ML_VIEW}"]


def _log_batch(client: Any, run_id: str, params: dict[str, str] | None = None,
               metrics: dict[str, float] | None = None, step: int = 0) -> None:
    from mlflow.entities import Metric, Param

    metrics, params = metrics or {}, params or {}
    keys, names = mlflow_keys(metrics), mlflow_keys(params)
    client.log_batch(
        run_id,
        metrics=[Metric(keys[k], v, 0, step) for k, v in metrics.items()],
        params=[Param(names[k], v) for k, v in params.items()],
    )


def _log_parent(client: Any, pid: str, result: RunResult, run_dir: Path,
                resolved_manifest: dict[str, Any], plugins: list[dict[str, str]]) -> None:
    """Params (those not logged yet) and report artifacts of the parent run."""
    params = flatten({k: v for k, v in resolved_manifest.items() if k != "rounds"})
    params |= {"n_train": str(result.n_train), "n_holdout": str(result.n_holdout),
               "manifest_hash": result.manifest_hash}
    params |= {f"plugin.{p['family']}.{p['name']}":
               f"{p['distribution']}=={p['distribution_version']}" for p in plugins}
    params["best_round"] = best_round(result).name
    data = client.get_run(pid).data
    params = {k: v for k, v in params.items() if k not in data.params}
    for start in range(0, len(params), 100):
        _log_batch(client, pid, params=dict(list(params.items())[start:start + 100]))
    metrics = {k: v for k, v in headline_metrics(result).items() if k not in data.metrics}
    _log_batch(client, pid, metrics=metrics)
    for path in sorted((run_dir / "report").glob("*")):
        client.log_artifact(pid, str(path), "report")
    client.log_artifact(pid, str(run_dir / "manifest.yaml"))
    pause_point("mlflow-parent")


def _finished_rounds(client: Any, exp_id: str, pid: str) -> set[str]:
    """Names of the finished round runs under ``pid``; unfinished ones are deleted."""
    children = client.search_runs(
        [exp_id], filter_string=f"tags.`mlflow.parentRunId` = '{pid}'")
    done = set()
    for child in children:
        if child.info.status == "FINISHED" and child.info.run_name not in done:
            done.add(child.info.run_name)
            continue
        trials = client.search_runs(
            [exp_id], filter_string=f"tags.`mlflow.parentRunId` = '{child.info.run_id}'")
        for run in [*trials, child]:
            client.delete_run(run.info.run_id)
    return done


def _log_round(client: Any, exp_id: str, pid: str, r: RoundResult, result: RunResult,
               predictions: Path | None, timings: list[dict[str, Any]], experiment: str,
               run_dir: Path, stages: tuple[Sequence[str], Sequence[str]]) -> None:
    from mlflow.entities import Metric

    span = window(timings, stages[0])
    child = client.create_run(exp_id, run_name=r.name, start_time=span and span[0], tags={
        "mlflow.parentRunId": pid, "leasebench.level": "round",
        "leasebench.manifest_hash": result.manifest_hash,
        "mlflow.note.content": describe_round(r, result)})
    cid = child.info.run_id
    round_params = {"kind": r.kind, "synthetic_batches": str(r.synthetic_batches),
                    "n_train_real": str(r.n_train_real),
                    "n_train_synthetic": str(r.n_train_synthetic)}
    if r.model is not None:
        round_params |= flatten(r.model.model_dump(mode="json", exclude={"metrics"}), "model")
    selected = next((t for t in r.trials if t.selected), None)
    if selected is not None:
        round_params |= flatten(selected.params, "selected")
    metrics = round_metrics(r, result.primary_scorer)
    _log_batch(client, cid, params=round_params, metrics=metrics)
    if r.kind == "trained":
        register_round(client, experiment, cid, r.name, r.model,
                       r.selection.metric if r.selection else "", metrics, run_dir)
    if predictions is not None:
        client.log_artifact(cid, str(predictions), "predictions")
    pause_point("mlflow-round")
    for t in r.trials:
        trial_span = window(timings, stages[1][t.index:t.index + 1])
        trial = client.create_run(
            exp_id, run_name=trial_name(r, t), start_time=trial_span and trial_span[0],
            tags={"mlflow.parentRunId": cid, "leasebench.level": "trial",
                  "leasebench.selected": str(t.selected).lower()})
        _log_batch(client, trial.info.run_id,
                   params={**{k: str(v) for k, v in t.params.items()},
                           "selected": str(t.selected)}, metrics=trial_metrics(t))
        curve = [Metric(mlflow_key(trial_metric_name(k)), v, 0, int(point["step"]))
                 for point in t.curves
                 for k, v in point.items() if k not in ("step", "epoch")]
        for start in range(0, len(curve), 1000):
            client.log_batch(trial.info.run_id, metrics=curve[start:start + 1000])
        client.set_terminated(trial.info.run_id, end_time=trial_span and trial_span[1])
    client.set_terminated(cid, end_time=span and span[1])


__all__ = [
    "default_tracking_uri", "experiment_url", "flatten", "log_run", "open_hint", "round_metrics",
]
