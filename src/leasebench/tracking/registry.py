"""Trained rounds' selected models in the MLflow model registry of the tracking store.

Every trained round of a run adds one version to the registered model
``leasebench-<experiment name>`` (created on first use): its source is the model the round
extracted with (an adapter folder, a merged model, a UC model or an endpoint URI; a
tracking server that accepts only its own artifacts gets the round run's ``runs:/``
URI, the model's own in the ``leasebench.model_uri`` tag), and
its tags say which round, which trial was selected by which metric, and the round's
micro F1 on the hold-out, so the registry answers "which model, from which round, how
good" as the run's report does. A model already registered by an earlier logging of the
same run (a resumed log) is not registered twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

PREFIX = "leasebench-"


def registered_name(experiment: str) -> str:
    return f"{PREFIX}{experiment}"


def model_source(uri: str, run_dir: Path) -> str:
    """An absolute path for a local model (stored paths may be relative to the run
    directory or to the experiment directory that holds the stages)."""
    if "://" in uri or uri.startswith(("runs:/", "models:/")):
        return uri
    path = Path(uri)
    if not path.is_absolute():  # relative to the run, or to the experiment's stage store
        path = next((base / path for base in (run_dir, run_dir.parent)
                     if (base / path).exists()), path)
    return str(path.resolve()) if path.exists() else uri


def register_round(client: Any, experiment: str, round_run_id: str, round_name: str,
                   model: Any, selection: str, metrics: dict[str, float],
                   run_dir: Path) -> str | None:
    """Register ``model`` (a ``ModelRef``) of a trained round; the version, or None when
    the round has no model URI."""
    if model is None or not model.uri:
        return None
    name = registered_name(experiment)
    if not client.search_registered_models(filter_string=f"name = '{name}'"):
        client.create_registered_model(
            name, description=f"Models selected by leasebench runs of '{experiment}'")
    for version in client.search_model_versions(f"name = '{name}'"):
        if version.run_id == round_run_id:
            return str(version.version)
    tags = {"leasebench.round": round_name, "leasebench.extractor": model.extractor,
            "leasebench.selection_metric": selection}
    for key in ("micro_f1", "micro_f1_low", "micro_f1_high", "macro_f1"):
        if metrics.get(key) is not None:
            tags[f"leasebench.{key}"] = f"{metrics[key]:.4f}"
    description = f"round {round_name}: micro F1 {metrics.get('micro_f1', float('nan')):.3f}"
    source = model_source(model.uri, run_dir)
    tags["leasebench.model_uri"] = source
    try:
        version = client.create_model_version(name, source=source, run_id=round_run_id,
                                              tags=tags, description=description)
    except Exception:  # a tracking server refuses sources outside its artifact store
        version = client.create_model_version(name, source=f"runs:/{round_run_id}/model",
                                              run_id=round_run_id, tags=tags,
                                              description=description)
    return str(version.version)


__all__ = ["PREFIX", "model_source", "register_round", "registered_name"]
