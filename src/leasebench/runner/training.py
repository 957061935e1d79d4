"""Stages ``train-b<n>-t<i>``: one per sweep trial; then the declared selection."""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..components import Trainer
from ..errors import DataError
from ..hashing import stable_hash
from ..io import atomic_write_text
from ..manifest.load import sweep_trials
from ..records import ModelRef, Record
from ..reporting.results import TrialResult
from .env import RunEnv
from .store import Stage
from .trials import train_pending


@dataclass
class Trained:
    model: ModelRef
    model_hash: str
    trials: list[TrialResult]


def eval_split(records: list[Record], fraction: float, seed: int) -> tuple[list, list]:
    """Seeded split of a round's records into train and eval (at least one of each)."""
    if len(records) < 2:
        raise DataError(
            f"data: {len(records)} train record(s); a trained round needs at least 2 (its "
            "records are split into train and eval, `trainer.eval_fraction`)"
        )
    order = sorted(records, key=lambda r: r.id)
    random.Random(f"{seed}|eval-split").shuffle(order)
    n_eval = min(len(order) - 1, max(1, round(len(order) * fraction)))
    return order[n_eval:], order[:n_eval]


def trial_stages(
    env: RunEnv, batches: int, records: list[Record]
) -> list[tuple[Stage, Trainer, dict[str, Any]]]:
    """Every sweep trial's stage directory, trainer and sweep values, in grid order."""
    spec = env.loaded.manifest.trainer
    assert spec is not None
    data_hash = stable_hash([r.model_dump(mode="json") for r in records])
    out = []
    for i, trial in enumerate(sweep_trials(spec.sweep)):
        trainer = env.component(Trainer, spec, {**spec.params, **trial})
        key = {
            "data": data_hash, "component": env.identity(trainer, training=True),
            "seed": env.seed, "eval_fraction": spec.eval_fraction, "metric": spec.select.metric,
        }
        if spec.select.metric == "eval_f1":
            key["scorer"] = env.loaded.manifest.scorers[0].model_dump(mode="json")
        out.append((env.stage(f"train-b{batches}-t{i}", key), trainer, trial))
    return out


def train_round(env: RunEnv, batches: int, records: list[Record]) -> Trained:
    spec = env.loaded.manifest.trainer
    assert spec is not None
    train, evals = eval_split(records, spec.eval_fraction, env.seed)
    metric = spec.select.metric
    trials: list[TrialResult] = []
    models: list[tuple[ModelRef, str]] = []
    stages = trial_stages(env, batches, records)
    fresh: dict[int, ModelRef] = {}
    for i, model, seconds in train_pending(env, stages, train, evals, metric):
        stage, _, trial = stages[i]
        stage.started = time.perf_counter() - seconds  # this trial's own time, not the sweep's
        timings = wall_clock_metrics(model)
        stage.path.mkdir(parents=True, exist_ok=True)
        atomic_write_text(stage.path / "model.json", model.model_dump_json(indent=2))
        stage.finish(["model.json"], {"trial": trial, "timings": timings})
        env.record(stage, cached=False, note=_metric_note(model, metric))
        fresh[i] = model
    for i, (stage, _trainer, trial) in enumerate(stages):
        model = fresh.get(i) or load_model(stage)
        if i not in fresh:
            env.record(stage, cached=True)
        if metric not in model.metrics:
            known = ", ".join(sorted(model.metrics)) or "none"
            raise DataError(
                f"trainer.select.metric: trial {i} of {spec.name!r} reports no {metric!r} "
                f"(it reports: {known})"
            )
        trials.append(TrialResult(
            index=i, params=trial, metrics=model.metrics, curves=training_curves(model)
        ))
        models.append((model, stage.content_hash))
    best = select_trial(trials, metric, spec.select.mode)
    trials[best].selected = True
    model, model_hash = models[best]
    stage, trainer, _ = stages[best]
    if type(trainer).finalize is not Trainer.finalize:
        model, model_hash = finalize(env, batches, trainer, model, model_hash)
    return Trained(model, model_hash, trials)


def wall_clock_metrics(model: ModelRef) -> dict[str, float]:
    """Take timing metrics (``*seconds``) out of a model's metrics and return them.

    They differ from run to run, so they stay out of ``model.json`` (whose content hash
    keys the extraction) and out of the report; the stage's ``_stage.json`` keeps them.
    """
    return {k: model.metrics.pop(k) for k in sorted(model.metrics) if k.endswith("seconds")}


def finalize_key(env: RunEnv, trainer: Trainer, model_hash: str) -> dict[str, Any]:
    return {"model": model_hash, "component": env.identity(trainer), "seed": env.seed}


def finalize(
    env: RunEnv, batches: int, trainer: Trainer, model: ModelRef, model_hash: str
) -> tuple[ModelRef, str]:
    """Stage ``finalize-b<n>``: the trainer's last step on the selected model (cached)."""
    stage = env.stage(f"finalize-b{batches}", finalize_key(env, trainer, model_hash))
    if stage.complete:
        env.record(stage, cached=True)
        return load_model(stage), stage.content_hash
    with env.log.progress(stage.name) as report:
        final = trainer.finalize(model, env.context(stage, on_progress=report))
    timings = wall_clock_metrics(final)
    stage.path.mkdir(parents=True, exist_ok=True)
    atomic_write_text(stage.path / "model.json", final.model_dump_json(indent=2))
    content = stage.finish(["model.json"], {"timings": timings})
    env.record(stage, cached=False)
    return final, content


def training_curves(model: ModelRef) -> list[dict[str, float]]:
    """The trainer's curve points: ``metadata["curves"]`` inline, or a path to their JSON."""
    curves = model.metadata.get("curves")
    if isinstance(curves, str) and Path(curves).is_file():
        curves = json.loads(Path(curves).read_text(encoding="utf-8"))
    if not isinstance(curves, list):
        return []
    return [
        {k: float(v) for k, v in point.items() if isinstance(v, (int, float))}
        for point in curves if isinstance(point, dict) and "step" in point
    ]


def load_model(stage: Stage) -> ModelRef:
    return ModelRef.model_validate_json((stage.path / "model.json").read_text("utf-8"))


def select_trial(trials: list[TrialResult], metric: str, mode: str) -> int:
    """Index of the best trial by ``metric``; ties go to the earliest trial."""
    sign = 1 if mode == "max" else -1
    return max(range(len(trials)), key=lambda i: (sign * trials[i].metrics[metric], -i))


def _metric_note(model: ModelRef, metric: str) -> str:
    value = model.metrics.get(metric)
    return f"{metric} {value:.4f}" if value is not None else ""


__all__ = [
    "Trained",
    "eval_split",
    "finalize",
    "finalize_key",
    "load_model",
    "select_trial",
    "train_round",
    "training_curves",
    "trial_stages",
    "wall_clock_metrics",
]
