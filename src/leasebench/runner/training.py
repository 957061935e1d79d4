"""Stages ``train-<arm>-b<n>-t<i>``: one per sweep trial, selected on the real-only dev
split; then the selected settings' repeats (``-s<j>``, one per extra seed) or refits
(``train-<arm>-b<n>-refit-s<j>``), and ``finalize`` per model.

The single-``trainer`` spelling keeps the unprefixed names (``train-b<n>-t<i>``).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..components import Trainer
from ..errors import DataError
from ..hashing import stable_hash
from ..io import atomic_write_text
from ..manifest.load import sweep_trials
from ..manifest.models import TrainerSpec
from ..outcomes import Outcomes
from ..records import ModelRef, Record
from ..results import Selection, TrialResult
from . import stages
from .answers import parses
from .env import RunEnv
from .model_paths import load_model, write_model
from .store import Stage
from .trials import (
    DEV_FILE,
    DEV_OUTCOMES,
    TrialJob,
    audits,
    dev_outcomes,
    spreads,
    train_jobs,
    train_pending,
)


@dataclass
class TrainData:
    """What a trained round learns from: real train part, real dev split, synthetic."""

    real: list[Record]
    dev: list[Record]
    synthetic: list[Record]

    @property
    def train(self) -> list[Record]:
        return [*self.real, *self.synthetic]


@dataclass
class Trained:
    """A trained round: one model per seed (after refit and finalize), the sweep, usage."""

    models: list[tuple[ModelRef, str]]
    seeds: list[int]
    trials: list[TrialResult]
    selection: Selection
    training: list[dict[str, Any]] = field(default_factory=list)
    dev_outcomes: list[Outcomes | None] = field(default_factory=list)  # per trial

    @property
    def model(self) -> ModelRef:
        return self.models[0][0]

    @property
    def model_hash(self) -> str:
        return self.models[0][1]


def repeat_seed(seed: int, j: int) -> int:
    """The training seed of repeat ``j``: the manifest seed first, then derived ones."""
    from .synthetic import derive_seed

    return seed if j == 0 else derive_seed(seed, "repeat", j)


def _records_hash(records: list[Record]) -> str:
    return stable_hash([r.model_dump(mode="json") for r in records])


def trial_stages(
    env: RunEnv, arm: str, spec: TrainerSpec, batches: int, data: TrainData
) -> list[tuple[Stage, Trainer, dict[str, Any]]]:
    """Every sweep trial's stage directory, trainer and sweep values, in grid order."""
    train_hash, dev_hash = _records_hash(data.train), _records_hash(data.dev)
    label = stages.label_of(env.loaded.manifest, arm, batches)
    audit = audits(env, spec)
    scorer = (env.loaded.manifest.scorers[0].model_dump(mode="json")
              if spec.select.metric == "eval_f1" or audit else None)
    out = []
    for i, trial in enumerate(sweep_trials(spec.sweep)):
        trainer = env.component(Trainer, spec, {**spec.params, **trial})
        key = stages.trial_key(train_hash, dev_hash, env.seed, spec.select.metric,
                               env.identity(trainer, training=True), scorer, audit)
        out.append((env.stage(stages.trial(label, i), key), trainer, trial))
    return out


def _train_all(
    env: RunEnv, todo: list[tuple[Stage, Trainer, dict[str, Any]]], train: list[Record],
    dev: list[Record], metric: str, seeds: list[int], reports: list[dict[str, Any]],
    audit: bool = False,
) -> list[ModelRef]:
    """Train (or load) the model of every stage, at once where the executor can; append
    what each training used (its seconds kept in ``_stage.json``) to ``reports``."""
    fresh: dict[int, tuple[ModelRef, dict[str, float]]] = {}
    for i, model, seconds in train_pending(env, todo, train, dev, metric, seeds, audit):
        stage, _, trial = todo[i]
        fresh[i] = _store_trial(env, stage, trial, seeds[i], metric, model, seconds)
    out = []
    for i, (stage, _, _) in enumerate(todo):
        if i in fresh:
            model, timings = fresh[i]
        elif str(stage.path) in env.trained_ahead:
            model, timings = env.trained_ahead.pop(str(stage.path))
        else:
            model, timings = load_model(stage), stage.meta().get("timings", {})
            env.record(stage, cached=True)
        reports.append(training_report(model, timings))
        out.append(model)
    return out


def _store_trial(
    env: RunEnv, stage: Stage, trial: dict[str, Any], seed: int, metric: str, model: ModelRef,
    seconds: float,
) -> tuple[ModelRef, dict[str, float]]:
    """Write a freshly trained trial's stage and print its line; the model and timings."""
    stage.started = time.perf_counter() - seconds  # this training's own time
    timings = wall_clock_metrics(model)
    dev = model.metadata.pop(DEV_OUTCOMES, None)
    stage.path.mkdir(parents=True, exist_ok=True)
    if dev is not None:
        atomic_write_text(stage.path / DEV_FILE, json.dumps(dev, separators=(",", ":")))
    paths = write_model(stage, model)
    stage.finish(["model.json"], {"trial": trial, "seed": seed, "timings": timings, **paths})
    env.record(stage, cached=False, note=_metric_note(model, metric))
    return model, timings


def pretrain_sweeps(env: RunEnv, rounds: list[tuple[str, TrainerSpec, int, TrainData]]) -> None:
    """Train every round's pending sweep trials at once, largest training set first, where
    the executor spreads trials over workers (``processes``); the rounds then find them
    trained. Elsewhere this does nothing: each round trains its own trials."""
    if not spreads(env, []):
        return
    jobs = [TrialJob(stage, trainer, data.train, data.dev, env.seed, spec.select.metric, trial,
                     audits(env, spec))
            for arm, spec, batches, data in rounds
            for stage, trainer, trial in trial_stages(env, arm, spec, batches, data)
            if not stage.complete and str(stage.path) not in env.trained_ahead]
    if len(jobs) < 2 or not spreads(env, [job.trainer for job in jobs]):
        return
    jobs.sort(key=lambda job: -len(job.train))
    for i, model, seconds in train_jobs(env, jobs):
        job = jobs[i]
        env.trained_ahead[str(job.stage.path)] = _store_trial(
            env, job.stage, job.trial, job.seed, job.metric, model, seconds)


def wall_clock_metrics(model: ModelRef) -> dict[str, float]:
    """Take timing metrics (``*seconds``, and the seconds of ``metadata["training"]``) out
    of a model and return them.

    They differ from run to run, so they stay out of ``model.json`` (whose content hash
    keys the extraction) and out of the report; the stage's ``_stage.json`` keeps them.
    """
    timings = {k: model.metrics.pop(k) for k in sorted(model.metrics) if k.endswith("seconds")}
    report = model.metadata.get("training")
    if isinstance(report, dict) and "seconds" in report:
        report = dict(report)
        timings["training_seconds"] = report.pop("seconds")
        model.metadata["training"] = report
    return timings


def training_report(model: ModelRef, timings: dict[str, Any]) -> dict[str, Any]:
    """What a training used: the trainer's report with its seconds put back."""
    report = model.metadata.get("training")
    report = dict(report) if isinstance(report, dict) else {}
    if "training_seconds" in timings:
        report["seconds"] = timings["training_seconds"]
    return report


def train_round(
    env: RunEnv, arm: str, spec: TrainerSpec, batches: int, data: TrainData
) -> Trained:
    """Sweep, select on dev, then the selected settings' seeds (refit when asked)."""
    metric, mode = spec.select.metric, spec.select.mode
    trials: list[TrialResult] = []
    models: list[tuple[ModelRef, str]] = []
    sweep = trial_stages(env, arm, spec, batches, data)
    reports: list[dict[str, Any]] = []
    trained = _train_all(env, sweep, data.train, data.dev, metric, [env.seed] * len(sweep),
                         reports, audits(env, spec))
    for i, ((stage, _, trial), model) in enumerate(zip(sweep, trained, strict=True)):
        if metric not in model.metrics:
            known = ", ".join(sorted(model.metrics)) or "none"
            raise DataError(
                f"select.metric: trial {i} of trainer {arm!r} reports no {metric!r} "
                f"(it reports: {known})"
            )
        trials.append(TrialResult(
            index=i, params=trial, metrics=model.metrics, curves=training_curves(model)
        ))
        models.append((model, stage.content_hash))
    best = select_trial(trials, metric, mode)
    trials[best].selected = True
    tied = tied_trials(trials, metric, best)
    for i in tied:
        trials[i].tied = True
    _, trainer, trial = sweep[best]
    seeds = [repeat_seed(env.seed, j) for j in range(spec.repeats)]
    chosen = _seed_models(env, arm, spec, batches, data, best, seeds, models[best], reports)
    label = stages.label_of(env.loaded.manifest, arm, batches)
    finals: list[tuple[ModelRef, str]] = []
    for j, (seed, (model, model_hash)) in enumerate(zip(seeds, chosen, strict=True)):
        if finalizes(trainer):
            model, model_hash = finalize(env, label, trainer, model, model_hash, seed, j)
        finals.append((model, model_hash))
    selection = Selection(
        metric=metric, mode=mode, n_dev=len(data.dev), refit=spec.select.refit,
        tied=[trials[i].index for i in tied],
    )
    return Trained(finals, seeds, trials, selection, reports,
                   [dev_outcomes(stage) for stage, _, _ in sweep])


def seed_stages(
    env: RunEnv, arm: str, spec: TrainerSpec, batches: int, data: TrainData, best: int,
) -> tuple[list[tuple[Stage, Trainer, dict[str, Any]]], list[Record]]:
    """The stages that train the selected settings (trial ``best``) with the other seeds,
    or (``select.refit``) refit them on train + dev with every seed; and their data."""
    trial = sweep_trials(spec.sweep)[best]
    trainer = env.component(Trainer, spec, {**spec.params, **trial})
    identity = env.identity(trainer, training=True)
    label = stages.label_of(env.loaded.manifest, arm, batches)
    seeds = [repeat_seed(env.seed, j) for j in range(spec.repeats)]
    refit = spec.select.refit
    train = [*data.real, *data.dev, *data.synthetic] if refit else data.train
    train_hash, dev_hash = _records_hash(train), _records_hash(data.dev)
    return [(env.stage(stages.refit(label, j) if refit else stages.trial(label, best, j),
                       stages.seed_key(train_hash, dev_hash, identity, s, refitted=refit)),
             trainer, trial)
            for j, s in enumerate(seeds) if refit or j], train


def _seed_models(
    env: RunEnv, arm: str, spec: TrainerSpec, batches: int, data: TrainData, best: int,
    seeds: list[int], selected: tuple[ModelRef, str], reports: list[dict[str, Any]],
) -> list[tuple[ModelRef, str]]:
    """The selected settings' model per seed: the selected trial itself and repeats with
    the other seeds, or (``select.refit``) one refit on train + dev per seed."""
    more, train = seed_stages(env, arm, spec, batches, data, best)
    refit = spec.select.refit
    models = _train_all(env, more, train, data.dev, "", seeds if refit else seeds[1:], reports)
    trained = [(m, st.content_hash) for m, (st, _, _) in zip(models, more, strict=True)]
    return trained if refit else [selected, *trained]


def finalizes(trainer: Trainer) -> bool:
    """Whether the trainer has a last step (``finalize``) after selection."""
    return type(trainer).finalize is not Trainer.finalize


def finalize_stage(
    env: RunEnv, label: str, trainer: Trainer, model_hash: str, seed: int, j: int = 0,
) -> Stage:
    """Stage ``finalize-<label>[-s<j>]`` of the model ``model_hash`` (seed ``seed``)."""
    return env.stage(stages.finalize(label, j),
                     stages.finalize_key(model_hash, env.identity(trainer), seed))


def finalize(
    env: RunEnv, label: str, trainer: Trainer, model: ModelRef, model_hash: str, seed: int,
    j: int = 0,
) -> tuple[ModelRef, str]:
    """Stage ``finalize-<label>[-s<j>]``: the trainer's last step on a selected model."""
    stage = finalize_stage(env, label, trainer, model_hash, seed, j)
    if stage.complete:
        env.record(stage, cached=True)
        return load_model(stage), stage.content_hash
    with env.log.progress(stage.name) as report:
        final = trainer.finalize(model, env.context(stage, on_progress=report, seed=seed))
    timings = wall_clock_metrics(final)
    paths = write_model(stage, final)
    content = stage.finish(["model.json"], {"timings": timings, **paths})
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


def select_trial(trials: list[TrialResult], metric: str, mode: str) -> int:
    """Index of the best trial by ``metric``; ties go to the earliest trial. On
    ``eval_f1`` a trial whose dev answers mostly did not parse ranks below every trial
    whose answers did."""
    sign = 1 if mode == "max" else -1

    def rank(i: int) -> tuple[bool, float, int]:
        m = trials[i].metrics
        return metric != "eval_f1" or parses(m), sign * m[metric], -i

    return max(range(len(trials)), key=rank)


def tied_trials(trials: list[TrialResult], metric: str, best: int) -> list[int]:
    """Positions of the other trials whose metric equals the selected one's."""
    top = trials[best].metrics[metric]
    return [i for i, t in enumerate(trials)
            if i != best and abs(t.metrics[metric] - top) <= 1e-12 * max(1.0, abs(top))]


def _metric_note(model: ModelRef, metric: str | None) -> str:
    value = model.metrics.get(metric) if metric else None
    return f"{metric} {value:.4f}" if value is not None else ""


__all__ = [
    "TrainData",
    "Trained",
    "finalize",
    "finalize_stage",
    "finalizes",
    "load_model",
    "repeat_seed",
    "seed_stages",
    "select_trial",
    "tied_trials",
    "train_round",
    "training_curves",
    "training_report",
    "trial_stages",
    "wall_clock_metrics",
]
