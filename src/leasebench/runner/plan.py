"""``leasebench run --dry-run``: which stages would run, their calls, tokens and cost.

Nothing is called and nothing is written under the runs directory. ``load`` and ``split``
are local and run for real when not cached (their outputs key everything downstream), in
a temporary directory removed afterwards. Model-calling stages that are not cached are
estimated with their component's ``estimate(items, ctx)`` (upper bounds); stages whose
inputs do not exist yet are estimated on stand-ins (a synthetic sample is estimated as its
source document; every sample is assumed to pass the judges). Trained rounds' extraction
depends on a model that does not exist yet, so it is listed without an estimate.
"""

from __future__ import annotations

import inspect
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..components import Judge, Trainer
from ..hashing import stable_hash
from ..io import read_jsonl
from ..plugin_manager import Registry
from ..records import ModelRef, Record, Verdict
from ..reporting.results import TrialResult
from .env import RunEnv
from .extraction import extract_stage
from .run import make_env, prepare_data
from .store import Stage
from .synthetic import generate_stage, judge_stage, make_tasks
from .training import TrainData, finalize_key, load_model, prefix, select_trial, trial_stages


@dataclass
class PlannedStage:
    stage: str
    component: str
    status: str  # "cached" | "to run"
    items: int = 0
    calls: int | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float = 0.0
    note: str = ""


@dataclass
class Plan:
    name: str
    stages: list[PlannedStage] = field(default_factory=list)

    @property
    def total_cost(self) -> float:
        return sum(s.cost for s in self.stages)


def _estimate(
    component: Any, items: list, env: RunEnv, stage: Stage, train: Sequence[Record] = (),
    **kw: Any,
) -> dict:
    estimate = getattr(component, "estimate", None)
    if estimate is None:
        return {"calls": 0, "note": "local"}
    if "model" in kw and "model" not in inspect.signature(estimate).parameters:
        kw.pop("model")
    est = estimate(items, env.context(stage, train), **kw)
    note = f"{est.cached} cache hits" if getattr(est, "cached", 0) else ""
    return {"calls": est.calls, "prompt_tokens": est.prompt_tokens,
            "completion_tokens": est.completion_tokens, "cost": est.cost, "note": note}


def plan_experiment(
    manifest_path: Path, *, runs_dir: Path = Path("runs"), registry: Registry | None = None,
    limit: int | None = None,
) -> Plan:
    """The plan; nothing is written under ``runs_dir`` (local stages run in a temp dir)."""
    with tempfile.TemporaryDirectory(prefix="leasebench-plan-") as scratch:
        env = make_env(manifest_path, runs_dir=runs_dir, quiet=True, registry=registry,
                       scratch=Path(scratch), limit=limit)
        return _plan(env)


def _plan(env: RunEnv) -> Plan:
    m = env.loaded.manifest
    plan = Plan(m.name)
    splits, data_hash = prepare_data(env)
    train, holdout, holdout_hash = splits.real, splits.holdout, splits.holdout_hash
    plan.stages += [PlannedStage("load", "-", "cached"), PlannedStage("split", "-", "cached")]
    accepted: dict[int, list[Record] | None] = {}
    for k in range(1, m.max_batches + 1):
        stage, generator = generate_stage(env, k, data_hash)
        assert m.generator is not None  # the manifest requires one when there are batches
        tasks = make_tasks(train, k, m.generator.batch_size, env.seed)
        if stage.complete:
            plan.stages.append(PlannedStage(stage.name, generator.name, "cached", len(tasks)))
            survivors = read_jsonl(stage.path / "output.jsonl", Record)
            generated_hash: str | None = stage.content_hash
        else:
            plan.stages.append(PlannedStage(stage.name, generator.name, "to run", len(tasks),
                                            **_estimate(generator, tasks, env, stage)))
            survivors = [t.source.model_copy(update={"id": t.sample_id}) for t in tasks]
            generated_hash = None
        for position, spec in enumerate(m.judges):
            if generated_hash is not None:
                stage, judge = judge_stage(env, k, position, spec, generated_hash, survivors,
                                           data_hash)
            else:
                judge = env.component(Judge, spec)
                stage = env.store.stage(f"judge-b{k}-{position}{judge.name}", {"plan": 1})
            if stage.complete:
                passed = {v.record_id for v in read_jsonl(stage.path / "verdicts.jsonl", Verdict)
                          if v.passed}
                plan.stages.append(PlannedStage(stage.name, judge.name, "cached", len(survivors)))
                survivors = [r for r in survivors if r.id in passed]
            else:
                plan.stages.append(PlannedStage(stage.name, judge.name, "to run", len(survivors),
                                                **_estimate(judge, survivors, env, stage)))
                generated_hash = None
        accepted[k] = survivors if generated_hash is not None else None
    for round_spec in m.rounds:
        arm = m.arm_of(round_spec)
        if not round_spec.trained:
            arm_spec = m.extractor_arms[arm]
            model = ModelRef(extractor=arm_spec.name, params=arm_spec.params)
            stage, extractor = extract_stage(
                env, arm, model, stable_hash({"name": arm_spec.name, "params": arm_spec.params}),
                holdout_hash, splits.train_hash)
            if stage.complete:
                plan.stages.append(PlannedStage(stage.name, extractor.name, "cached",
                                                len(holdout)))
            elif not any(s.stage == stage.name for s in plan.stages):
                plan.stages.append(PlannedStage(
                    stage.name, extractor.name, "to run", len(holdout),
                    **_estimate(extractor, [r.unlabelled() for r in holdout], env, stage,
                                splits.train, model=model)))
        else:
            n = round_spec.synthetic_batches or 0
            known = [accepted[b] for b in range(1, n + 1)]
            label = f"{prefix(env, arm)}b{n}"
            if any(k is None for k in known):
                rows = [PlannedStage(f"train-{label}", m.trainer_arms[arm].name, "to run",
                                     note="after the batches"),
                        PlannedStage(f"extract-{label}", "?", "to run", len(holdout),
                                     note="needs the trained model")]
            else:
                data = TrainData(train, splits.dev,
                                 [r for batch in known if batch for r in batch])
                rows = _trained_round(env, arm, n, data, holdout, holdout_hash)
            plan.stages += [r for r in rows if all(s.stage != r.stage for s in plan.stages)]
    return plan


def _trained_round(
    env: RunEnv, arm: str, n: int, data: TrainData, holdout: Sequence[Record],
    holdout_hash: str,
) -> list[PlannedStage]:
    """Rows for a round whose training data is known: its trials and its first model's
    extraction (repeats and refits are listed once the sweep is done)."""
    spec = env.loaded.manifest.trainer_arms[arm]
    label = f"{prefix(env, arm)}b{n}"
    stages = trial_stages(env, arm, spec, n, data)
    rows = [PlannedStage(stage.name, trainer.name, "cached" if stage.complete else "to run",
                         len(data.train), note="" if stage.complete else "local training")
            for stage, trainer, _ in stages]
    later = spec.repeats - 1 + (1 if spec.select.refit else 0)
    if not all(stage.complete for stage, _, _ in stages) or later:
        rows.append(PlannedStage(f"extract-{label}", "?", "to run", len(holdout),
                                 note="needs the trained model" + (
                                     f"; then {spec.repeats} seed(s)" if later else "")))
        return rows
    trials = [TrialResult(index=i, params=t, metrics=load_model(s).metrics)
              for i, (s, _, t) in enumerate(stages)]
    best_stage, best_trainer, _ = stages[select_trial(trials, spec.select.metric,
                                                       spec.select.mode)]
    model, model_hash = load_model(best_stage), best_stage.content_hash
    if type(best_trainer).finalize is not Trainer.finalize:
        final = env.stage(f"finalize-{label}",
                          finalize_key(env, best_trainer, model_hash, env.seed))
        if not final.complete:
            rows += [PlannedStage(final.name, best_trainer.name, "to run", 1),
                     PlannedStage(f"extract-{label}", "?", "to run", len(holdout),
                                  note="needs the final model")]
            return rows
        rows.append(PlannedStage(final.name, best_trainer.name, "cached", 1))
        model, model_hash = load_model(final), final.content_hash
    stage, extractor = extract_stage(env, label, model, model_hash, holdout_hash)
    if stage.complete:
        rows.append(PlannedStage(stage.name, extractor.name, "cached", len(holdout)))
    else:
        rows.append(PlannedStage(
            stage.name, extractor.name, "to run", len(holdout),
            **_estimate(extractor, [r.unlabelled() for r in holdout], env, stage,
                        model=model)))
    return rows


__all__ = ["Plan", "PlannedStage", "plan_experiment"]
