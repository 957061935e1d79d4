"""Rounds: each extracts the hold-out with an untrained arm, or trains an arm on real data
plus synthetic batches (sweep, selection on the dev split, repeats) and extracts with
every seed's model. Rounds that use the same arm and batches share their work."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..hashing import stable_hash
from ..manifest.models import RoundSpec, TrainerSpec
from ..outcomes import Outcomes
from ..records import ModelRef, Prediction, Record, Usage
from ..results import RoundResult, RoundTiming
from . import stages as names
from .answers import count_answers
from .costs import round_timing, training_usage
from .coverage import count_coverage
from .env import RunEnv
from .extraction import extract_holdout
from .model_paths import relative_to_root
from .summary import prediction_usage
from .synthetic import Batch
from .training import TrainData, Trained, pretrain_sweeps, train_round


@dataclass
class Splits:
    """The real records: all train, the part trained on, the dev split, the hold-out."""

    train: list[Record]
    real: list[Record]
    dev: list[Record]
    holdout: Sequence[Record]
    holdout_hash: str
    train_hash: str = ""


@dataclass
class RoundRun:
    """A round's result, its predictions per seed, and its measured timing."""

    result: RoundResult
    predictions: list[list[Prediction]] = field(default_factory=list)
    timing: RoundTiming = field(default_factory=RoundTiming)
    stages: list[str] = field(default_factory=list)  # its extraction stages
    dev: list[Outcomes | None] = field(default_factory=list)  # per sweep trial, on dev

    @property
    def first(self) -> list[Prediction]:
        return self.predictions[0]


def run_rounds(env: RunEnv, splits: Splits, batches: list[Batch]) -> list[RoundRun]:
    trained: dict[tuple[str, int], Trained] = {}
    pretrain_sweeps(env, sweeps(env, splits, batches))
    return [run_round(env, spec, splits, batches, trained) for spec in env.loaded.manifest.rounds]


def run_round(env: RunEnv, spec: RoundSpec, splits: Splits, batches: list[Batch],
              trained: dict[tuple[str, int], Trained]) -> RoundRun:
    """One round: extract (and train, sharing ``trained`` sweeps), then count and cost."""
    if spec.trained:
        run = _trained(env, spec, splits, batches, trained)
    else:
        run = _untrained(env, spec, splits)
    preds = [p for seed_preds in run.predictions for p in seed_preds]
    r = run.result
    count_answers(r, run.first)
    count_coverage(r, run.first, splits.holdout)
    r.usage = prediction_usage(preds)
    paid = [env.usage.get(stage, {}).get("paid_now", Usage()) for stage in run.stages]
    now = sum((u.cost for u in paid), 0.0)
    run.timing.paid_now_cost = round(now, 6)
    run.timing.paid_earlier_cost = round(max(0.0, r.usage.cost - now), 6)
    return run


def sweeps(
    env: RunEnv, splits: Splits, batches: list[Batch],
    only: set[tuple[str, int]] | None = None,
) -> list[tuple[str, TrainerSpec, int, TrainData]]:
    """Each distinct (trainer arm, synthetic batches) of the trained rounds (those in
    ``only`` when given), with its data."""
    m = env.loaded.manifest
    seen: dict[tuple[str, int], tuple[str, TrainerSpec, int, TrainData]] = {}
    for spec in m.rounds:
        if spec.trained:
            arm, n = m.arm_of(spec), spec.synthetic_batches or 0
            if only is not None and (arm, n) not in only:
                continue
            if (arm, n) not in seen:
                seen[arm, n] = (arm, m.trainer_arms[arm], n, _train_data(splits, batches, n))
    return list(seen.values())


def _train_data(splits: Splits, batches: list[Batch], n: int) -> TrainData:
    """Real train part, real dev split and the first ``n`` batches' accepted samples."""
    return TrainData(splits.real, splits.dev, [r for b in batches[:n] for r in b.accepted])


def _untrained(env: RunEnv, spec: RoundSpec, splits: Splits) -> RoundRun:
    m = env.loaded.manifest
    arm = m.arm_of(spec)
    arm_spec = m.extractor_arms[arm]
    model = ModelRef(extractor=arm_spec.name, params=arm_spec.params)
    model_hash = stable_hash({"name": arm_spec.name, "params": arm_spec.params})
    preds = extract_holdout(env, arm, model, model_hash, splits.holdout, splits.holdout_hash,
                            train=splits.train, train_hash=splits.train_hash, serve=spec.serve)
    result = RoundResult(name=spec.name, kind="baseline", arm=arm, model=model,
                         served=spec.serve)
    timing = round_timing(preds, [], result.training, arm_spec.pricing)
    return RoundRun(result, [preds], timing, [names.extract(arm, served=spec.serve is not None)])


def _trained(
    env: RunEnv, spec: RoundSpec, splits: Splits, batches: list[Batch],
    trained: dict[tuple[str, int], Trained],
) -> RoundRun:
    m = env.loaded.manifest
    arm = m.arm_of(spec)
    arm_spec = m.trainer_arms[arm]
    n = spec.synthetic_batches or 0
    data = _train_data(splits, batches, n)
    if (arm, n) not in trained:
        trained[arm, n] = train_round(env, arm, arm_spec, n, data)
    t = trained[arm, n]
    predictions, stages = [], []
    for j, ((model, model_hash), seed) in enumerate(zip(t.models, t.seeds, strict=True)):
        label = names.label_of(m, arm, n) + names.seed_suffix(j)
        stages.append(names.extract(label, served=spec.serve is not None))
        predictions.append(extract_holdout(
            env, label, model, model_hash, splits.holdout, splits.holdout_hash, seed=seed,
            serve=spec.serve))
    training = training_usage(t.training, arm_spec.pricing)
    real = len(splits.real) + (len(splits.dev) if t.selection.refit else 0)
    result = RoundResult(
        name=spec.name, kind="trained", arm=arm, synthetic_batches=n, n_train_real=real,
        n_train_synthetic=len(data.synthetic), n_dev=len(splits.dev),
        model=portable(t.model, env.store.root), seeds=t.seeds, selection=t.selection,
        training=training, trials=t.trials, served=spec.serve,
    )
    timing = round_timing([p for ps in predictions for p in ps], t.training, training,
                          arm_spec.pricing)
    return RoundRun(result, predictions, timing, stages, t.dev_outcomes)


def portable(model: ModelRef, root: Path) -> ModelRef:
    """The model reference as reports keep it: paths under the experiment directory made
    relative to it, and the trainer's (timed) training report left out."""
    update: dict = {"metadata": {k: v for k, v in model.metadata.items() if k != "training"}}
    return relative_to_root(model.model_copy(update=update), root)[0]


__all__ = ["RoundRun", "Splits", "portable", "run_round", "run_rounds", "sweeps"]
