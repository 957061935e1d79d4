"""MLflow tracking: a parent run per ``leasebench run``, a nested run per round, and a
nested run per sweep trial under its round.

Rule against duplicates: the parent run is tagged with the manifest hash and the hash
of ``report.json``. A run whose parent with both tags already exists in the experiment
logs nothing and reuses that run (a cached re-run changes nothing worth logging); a
changed result gets a new parent run.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .hashing import file_hash
from .reporting.results import RoundResult, RunResult

DEFAULT_STORE = "mlflow.db"
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


def round_metrics(r: RoundResult, scorer: str) -> dict[str, float]:
    s = r.scores[scorer]
    metrics: dict[str, float] = {}
    for field, m in s.fields.items():
        metrics |= {f"f1/{field}": m.f1, f"precision/{field}": m.precision,
                    f"recall/{field}": m.recall}
        if m.f1_low is not None and m.f1_high is not None:
            metrics |= {f"f1_low/{field}": m.f1_low, f"f1_high/{field}": m.f1_high}
    mi = s.micro
    metrics |= {"micro_f1": mi.f1, "micro_precision": mi.precision, "micro_recall": mi.recall,
                "macro_f1": s.macro_f1}
    for name, value in (("micro_f1_low", mi.f1_low), ("micro_f1_high", mi.f1_high),
                        ("macro_f1_low", s.macro_f1_low), ("macro_f1_high", s.macro_f1_high)):
        if value is not None:
            metrics[name] = value
    comp = r.vs_reference.get(scorer)
    if comp is not None:
        metrics |= {"delta_micro_f1": comp.micro.delta, "delta_macro_f1": comp.macro.delta}
        metrics |= {f"delta_f1/{f}": d.delta for f, d in comp.fields.items()}
    metrics |= {
        "parse_failures": r.parse_failures, "call_failures": r.call_failures,
        "tokens": r.usage.prompt_tokens + r.usage.completion_tokens, "cost": r.usage.cost,
        "n_train_synthetic": r.n_train_synthetic,
    }
    return {k: float(v) for k, v in metrics.items()}


def log_run(
    result: RunResult,
    run_dir: Path,
    resolved_manifest: dict[str, Any],
    plugins: list[dict[str, str]],
    predictions: dict[str, Path],
    *,
    tracking_uri: str,
    experiment: str | None = None,
) -> tuple[str, bool]:
    """Log the run; return (parent run id, whether an existing run was reused)."""
    from mlflow.entities import Metric, Param
    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri=tracking_uri)
    name = experiment or result.name
    exp = client.get_experiment_by_name(name)
    if exp is not None:
        exp_id = exp.experiment_id
    else:
        exp_id = client.create_experiment(name, artifact_location=_artifact_root(tracking_uri))
    report_sha = file_hash(run_dir / "report" / "report.json") if (
        run_dir / "report" / "report.json").exists() else "none"
    found = client.search_runs(
        [exp_id],
        filter_string=(
            f"tags.`leasebench.manifest_hash` = '{result.manifest_hash}' and "
            f"tags.`leasebench.report_sha` = '{report_sha}' and "
            "tags.`leasebench.level` = 'experiment'"
        ),
        max_results=1,
    )
    if found:
        return found[0].info.run_id, True

    def batch(run_id: str, params: dict[str, str] | None = None,
              metrics: dict[str, float] | None = None, step: int = 0) -> None:
        client.log_batch(
            run_id,
            metrics=[Metric(k, v, 0, step) for k, v in (metrics or {}).items()],
            params=[Param(k, v) for k, v in (params or {}).items()],
        )

    tags = {"leasebench.manifest_hash": result.manifest_hash, "leasebench.report_sha": report_sha,
            "leasebench.run_dir": str(run_dir), "leasebench.level": "experiment"}
    parent = client.create_run(exp_id, run_name=f"{result.name}-{result.manifest_hash[:8]}",
                               tags=tags)
    pid = parent.info.run_id
    params = flatten({k: v for k, v in resolved_manifest.items() if k != "rounds"})
    params |= {"n_train": str(result.n_train), "n_holdout": str(result.n_holdout),
               "manifest_hash": result.manifest_hash}
    params |= {f"plugin.{p['family']}.{p['name']}":
               f"{p['distribution']}=={p['distribution_version']}" for p in plugins}
    batch(pid, params=params)
    for path in sorted((run_dir / "report").glob("*")):
        client.log_artifact(pid, str(path), "report")
    client.log_artifact(pid, str(run_dir / "manifest.yaml"))
    scorer = result.primary_scorer
    for r in result.rounds:
        child = client.create_run(exp_id, run_name=r.name, tags={
            "mlflow.parentRunId": pid, "leasebench.level": "round",
            "leasebench.manifest_hash": result.manifest_hash})
        cid = child.info.run_id
        round_params = {"kind": r.kind, "synthetic_batches": str(r.synthetic_batches),
                        "n_train_real": str(r.n_train_real),
                        "n_train_synthetic": str(r.n_train_synthetic)}
        if r.model is not None:
            round_params |= flatten(r.model.model_dump(mode="json", exclude={"metrics"}), "model")
        selected = next((t for t in r.trials if t.selected), None)
        if selected is not None:
            round_params |= flatten(selected.params, "selected")
        batch(cid, params=round_params, metrics=round_metrics(r, scorer))
        if r.name in predictions:
            client.log_artifact(cid, str(predictions[r.name]), "predictions")
        for t in r.trials:
            trial = client.create_run(exp_id, run_name=f"{r.name}-trial-{t.index}", tags={
                "mlflow.parentRunId": cid, "leasebench.level": "trial"})
            batch(trial.info.run_id, params={**{k: str(v) for k, v in t.params.items()},
                                            "selected": str(t.selected)}, metrics=t.metrics)
            curve = [Metric(k, v, 0, int(point["step"])) for point in t.curves
                     for k, v in point.items() if k not in ("step", "epoch")]
            for start in range(0, len(curve), 1000):
                client.log_batch(trial.info.run_id, metrics=curve[start:start + 1000])
            client.set_terminated(trial.info.run_id)
        client.set_terminated(cid)
    client.set_terminated(pid)
    return pid, False


__all__ = ["default_tracking_uri", "flatten", "log_run", "round_metrics"]
