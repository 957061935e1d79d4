"""``leasebench run --dry-run``: which stages would run, their calls, tokens and cost.

Nothing is called and nothing is written under the runs directory. Every row is named by
``stages``, as the run names it. ``load``, ``split`` and ``data-card`` are local: they
run for real when not cached (their outputs key everything downstream), in a temporary
directory removed afterwards, and are listed as cached only when the runs directory has
them. Model-calling stages that are not cached are estimated with their component's
``estimate(items, ctx)`` (upper bounds); stages whose inputs do not exist yet are
estimated on stand-ins (a synthetic sample is estimated as its source document; every
sample is assumed to pass the judges). A trained round's stages are listed by name; its
extraction depends on a model that does not exist yet, so it has no estimate until the
model is cached; the selected trial's seed stages are ``t?`` until the sweep is. Stages
that run only if something the dry run cannot know happens (a judge audit when an
earlier judge rejects a sample, a judge ablation's retraining) are marked ``maybe``.
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
from ..manifest.load import sweep_trials
from ..plugin_manager import Registry
from ..records import ModelRef, Record, Verdict
from ..results import TrialResult
from . import stages
from .ablation import put_back
from .card import card_stage
from .env import RunEnv
from .extraction import extract_stage
from .judge_audit import audit_stage, audited
from .rounds import Splits
from .run import make_env, prepare_data
from .stage_names import verdict_keys
from .store import Stage
from .synthetic import Batch, generate_stage, judge_stage, make_tasks
from .training import (
    TrainData,
    finalize_stage,
    finalizes,
    load_model,
    repeat_seed,
    seed_stages,
    select_trial,
    trial_stages,
)


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
    maybe: bool = False  # runs only if something the dry run cannot know happens (note)
    note: str = ""
    context_unread: bool = False  # long documents counted without the server's context


@dataclass
class Plan:
    name: str
    stages: list[PlannedStage] = field(default_factory=list)

    @property
    def total_cost(self) -> float:
        return sum(s.cost for s in self.stages)

    def context_note(self) -> str | None:
        """One line when some stage's calls were counted without the model's context."""
        unread = [s.stage for s in self.stages if s.context_unread]
        if not unread:
            return None
        return (f"Calls of {', '.join(unread)} are counted without the model's context "
                "(no context_tokens set): where the server reports one at /models, which a "
                "dry run does not ask, long documents may go out in more calls (windows), "
                "and a generator may show a long source as its beginning.")


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
            "completion_tokens": est.completion_tokens, "cost": est.cost, "note": note,
            "context_unread": bool(getattr(est, "context_unread", False))}


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
    plan.stages += [_local(t["stage"], t["cached"]) for t in env.timings]  # load, split
    plan.stages.append(_local(stages.DATA_CARD, card_stage(env, splits.train_hash).complete))
    batches = [_batch(env, plan, k, splits.real, data_hash)
               for k in range(1, m.max_batches + 1)]
    for round_spec in m.rounds:
        arm = m.arm_of(round_spec)
        if not round_spec.trained:
            rows = [_untrained(env, arm, splits, round_spec.serve)]
        else:
            n = round_spec.synthetic_batches or 0
            rows = _trained(env, arm, arm, n, _data(splits, batches[:n]), splits,
                            round_spec.serve)
        plan.stages += [r for r in rows if all(s.stage != r.stage for s in plan.stages)]
    plan.stages += _ablation(env, splits, batches)
    return plan


def _data(splits: Splits, batches: Sequence[Batch | None], extra: Sequence[Record] = (),
          ) -> TrainData | None:
    """A trained round's data, when its batches are known."""
    if any(b is None for b in batches):
        return None
    synthetic = [r for b in batches if b is not None for r in b.accepted]
    return TrainData(splits.real, splits.dev, [*synthetic, *extra])


def _local(name: str, cached: bool) -> PlannedStage:
    return PlannedStage(name, "-", "cached" if cached else "to run", calls=0,
                        note="" if cached else "local")


def _row(stage: Stage, component: str, items: int, estimate: dict | None = None,
         note: str = "") -> PlannedStage:
    """A stage's row: cached, or to run (with its estimate, else ``note``: no calls)."""
    if stage.complete:
        return PlannedStage(stage.name, component, "cached", items)
    return PlannedStage(stage.name, component, "to run", items,
                        **(estimate if estimate is not None else {"calls": 0, "note": note}))


def _batch(
    env: RunEnv, plan: Plan, k: int, train: list[Record], data_hash: str,
) -> Batch | None:
    """Rows of batch ``k``'s generation, judges and audits; the judged batch when every
    one of its stages is cached (else None)."""
    m = env.loaded.manifest
    assert m.generator is not None  # the manifest requires one when there are batches
    stage, generator = generate_stage(env, k, data_hash)
    tasks = make_tasks(train, k, m.generator.batch_size, env.seed)
    plan.stages.append(_row(stage, generator.name, len(tasks), None if stage.complete else
                            _estimate(generator, tasks, env, stage)))
    if stage.complete:
        generated = read_jsonl(stage.path / "output.jsonl", Record)
        generated_hash: str | None = stage.content_hash
    else:  # stand-ins: each sample estimated as its source document
        generated = [t.source.model_copy(update={"id": t.sample_id}) for t in tasks]
        generated_hash = None
    batch, audits = Batch(k, generated), []
    survivors, everyone = generated, m.decisions.ablate_judges is not None
    for position, (spec, key) in enumerate(zip(m.judges, verdict_keys(m), strict=True)):
        judge = env.component(Judge, spec)
        if generated_hash is not None:
            stage, _ = judge_stage(env, k, position, spec, generated_hash, survivors, data_hash)
        else:  # a stand-in stage (never written) for the estimate's context
            stage = env.store.stage(stages.judge(k, position, judge.name), {"plan": 1})
        plan.stages.append(_row(stage, judge.name, len(survivors), None if stage.complete else
                                _estimate(judge, survivors, env, stage)))
        if position and audited(judge, everyone) and (
                generated_hash is None or len(survivors) < len(generated)):
            audit = (audit_stage(env, k, position, judge, generated_hash, data_hash)
                     if generated_hash is not None else
                     env.store.stage(stages.judge_all(k, position, judge.name), {"plan": 1}))
            row = _row(audit, judge.name, len(generated), None if audit.complete else
                       _estimate(judge, generated, env, audit))
            if generated_hash is None:
                row.maybe, row.note = True, "if an earlier judge rejects a sample"
            audits.append(row)
            if audit.complete:
                batch.audit[key] = read_jsonl(audit.path / "verdicts.jsonl", Verdict)
        if not stage.complete:  # every sample is assumed to pass
            generated_hash = None
            continue
        batch.verdicts[key] = read_jsonl(stage.path / "verdicts.jsonl", Verdict)
        passed = {v.record_id for v in batch.verdicts[key] if v.passed}
        survivors = [r for r in survivors if r.id in passed]
    plan.stages += audits
    batch.accepted = survivors
    return batch if generated_hash is not None else None


def _untrained(env: RunEnv, arm: str, splits: Splits, serve: str | None) -> PlannedStage:
    arm_spec = env.loaded.manifest.extractor_arms[arm]
    model = ModelRef(extractor=arm_spec.name, params=arm_spec.params)
    stage, extractor = extract_stage(
        env, arm, model, stable_hash({"name": arm_spec.name, "params": arm_spec.params}),
        splits.holdout_hash, splits.train_hash, serve=serve)
    return _row(stage, extractor.name, len(splits.holdout), None if stage.complete else
                _estimate(extractor, [r.unlabelled() for r in splits.holdout], env, stage,
                          splits.train, model=model))


def _trained(
    env: RunEnv, arm: str, name_arm: str, n: int, data: TrainData | None, splits: Splits,
    serve: str | None = None,
) -> list[PlannedStage]:
    """Rows of a trained round (``name_arm``: the arm its stages are named after): its
    trials, the selected settings' seeds or refits, finalize and extraction per seed.
    Stages whose inputs are not known yet are named without a key."""
    spec = env.loaded.manifest.trainer_arms[arm]
    label = stages.label_of(env.loaded.manifest, name_arm, n)
    trials = sweep_trials(spec.sweep)
    trainer = env.component(Trainer, spec, {**spec.params, **trials[0]})
    seeds = [repeat_seed(env.seed, j) for j in range(spec.repeats)]
    waiting = "after the batches"
    if data is None:
        rows = [PlannedStage(stages.trial(label, i), trainer.name, "to run", note=waiting)
                for i in range(len(trials))]
        sweep = []
    else:
        sweep = trial_stages(env, name_arm, spec, n, data)
        rows = [_row(stage, t.name, len(data.train), note="local training")
                for stage, t, _ in sweep]
        waiting = "after the sweep"
    models: list[tuple[ModelRef, str] | None] = [None] * len(seeds)
    if data is not None and all(stage.complete for stage, _, _ in sweep):
        results = [TrialResult(index=i, params=t, metrics=load_model(s).metrics)
                   for i, (s, _, t) in enumerate(sweep)]
        best = select_trial(results, spec.select.metric, spec.select.mode)
        trainer = sweep[best][1]
        more, train = seed_stages(env, name_arm, spec, n, data, best)
        rows += [_row(stage, trainer.name, len(train), note="local training")
                 for stage, _, _ in more]
        chosen = more if spec.select.refit else [sweep[best], *more]
        models = [(load_model(s), s.content_hash) if s.complete else None
                  for s, _, _ in chosen]
    else:
        rows += [PlannedStage(stages.refit(label, j) if spec.select.refit else
                              stages.trial(label, "?", j), trainer.name, "to run", note=waiting)
                 for j in range(len(seeds)) if spec.select.refit or j]
    for j, (seed, known) in enumerate(zip(seeds, models, strict=True)):
        if finalizes(trainer):
            if known is None:
                rows.append(PlannedStage(stages.finalize(label, j), trainer.name, "to run", 1,
                                         note="needs the trained model"))
            else:
                final = finalize_stage(env, label, trainer, known[1], seed, j)
                rows.append(_row(final, trainer.name, 1, note="local"))
                known = (load_model(final), final.content_hash) if final.complete else None
        if known is None:
            rows.append(PlannedStage(stages.extract(label, j, served=serve is not None), "?",
                                     "to run", len(splits.holdout),
                                     note="needs the trained model"))
            continue
        stage, extractor = extract_stage(env, label + stages.seed_suffix(j), known[0],
                                         known[1], splits.holdout_hash, seed=seed, serve=serve)
        rows.append(_row(stage, extractor.name, len(splits.holdout), None if stage.complete
                         else _estimate(extractor, [r.unlabelled() for r in splits.holdout],
                                        env, stage, model=known[0])))
    return rows


def _ablation(env: RunEnv, splits: Splits, batches: list[Batch | None]) -> list[PlannedStage]:
    """Rows of the judge ablation: each judge's retrained copy of the round, which runs
    only when that judge alone rejected samples (known once the batches are)."""
    m = env.loaded.manifest
    ablated = next((r for r in m.rounds if r.name == m.decisions.ablate_judges), None)
    if ablated is None or not ablated.trained:
        return []
    arm, n, rows = m.arm_of(ablated), ablated.synthetic_batches or 0, []
    used = batches[:n]
    for key in verdict_keys(m):
        known = [b for b in used if b is not None]
        back = put_back(known, key) if len(known) == len(used) else None
        if back == []:
            continue
        for row in _trained(env, arm, stages.ablation_arm(arm, key), n,
                            None if back is None else _data(splits, used, back), splits):
            if back is None:
                row.maybe, row.note = True, f"if {key} alone rejected samples"
            rows.append(row)
    return rows


__all__ = ["Plan", "PlannedStage", "plan_experiment"]
