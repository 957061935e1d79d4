"""Training the sweep's trials: one after another, or at once where the executor can.

Each trial is a whole, independent stage; ``Executor.call_each`` runs them (``processes``:
one process per trial, up to its workers; every round's trials at once, see
``training.pretrain_sweeps``). The caller writes each trial's stage and
prints its line as it completes. LLM-backed trainers (``io_bound``) and trainers that
drive a cluster (``driver_only``) train in the run's process, one after another.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ..components import Context, Executor, Extractor, Scorer, Trainer
from ..executors.memory import available_bytes, fits_at_once, gib, running_at_once
from ..executors.relay import ProgressRelay, reported
from ..manifest.models import TrainerSpec
from ..outcomes import Outcomes
from ..records import ModelRef, Record
from ..reporting.outcomes_io import outcomes_from_dict, outcomes_to_dict
from ..scoring.stats import summarize
from .answers import PARSE_RATE, parse_rate
from .env import RunEnv
from .store import Stage

#: ModelRef.metadata key carrying a trial's dev outcomes from training to its stage
DEV_OUTCOMES = "_dev_outcomes"
#: a trial stage's dev outcomes (per document and field; not part of its content hash)
DEV_FILE = "dev_outcomes.json"


def fit_trial(trainer: Trainer[Any], train: Sequence[Record], evals: Sequence[Record],
              ctx: Context, metric: str, extractors: Mapping[str, type[Extractor[Any]]],
              scorer: Scorer[Any] | None, audit: bool = False) -> tuple[ModelRef, float]:
    """Train one trial; with ``eval_f1`` (or ``audit``), score its model on the eval split
    (picklable). The per-document eval outcomes travel in ``metadata[DEV_OUTCOMES]`` until
    the trial's stage is written (``runner.training``), for the proxy audit.

    Returns the model and the trial's own seconds.
    """
    started = time.perf_counter()
    model = trainer.train(train, evals, ctx)
    if (metric == "eval_f1" or audit) and scorer is not None:
        cls = extractors[model.extractor]
        extractor = cls(cls.Params.model_validate(model.params))
        preds = list(extractor.extract(model, [r.unlabelled() for r in evals], ctx))
        outcomes = scorer.score(evals, preds, ctx.schema)
        model.metrics["eval_f1"] = summarize(outcomes, iterations=0).micro.f1
        rate = parse_rate(preds)
        if rate is not None:
            model.metrics[PARSE_RATE] = rate
        if outcomes.n_docs:
            model.metadata[DEV_OUTCOMES] = outcomes_to_dict(outcomes)
    return model, time.perf_counter() - started


@dataclasses.dataclass(frozen=True)
class TrialJob:
    """One trial to train: its stage, trainer, data, seed and selection metric."""

    stage: Stage
    trainer: Trainer[Any]
    train: list[Record]
    evals: list[Record]
    seed: int
    metric: str
    trial: dict[str, Any] = dataclasses.field(default_factory=dict)  # its sweep values
    audit: bool = False  # score on the eval split whatever the metric (proxy audit)


def spreads(env: RunEnv, trainers: Sequence[Trainer[Any]]) -> bool:
    """Whether the executor runs these trainers' trials at once (CPU-bound trainers on an
    executor with its own ``call_each``)."""
    if any(type(t).io_bound or type(t).driver_only for t in trainers):
        return False
    return type(env.executor).call_each is not Executor.call_each


def train_jobs(env: RunEnv, jobs: Sequence[TrialJob]) -> Iterator[tuple[int, ModelRef, float]]:
    """Train every incomplete job; yield ``(job index, model, seconds)`` as each ends."""
    pending = [(i, job) for i, job in enumerate(jobs) if not job.stage.complete]
    if not pending:
        return
    extractors = {n: env.registry.get_as(Extractor, n) for n in env.registry.names("extractor")}
    scorer = env.component(Scorer, env.loaded.manifest.scorers[0])
    if (len(pending) < 2 or not spreads(env, [job.trainer for _, job in pending])
            or not memory_allows(env, [job for _, job in pending])):
        for i, job in pending:  # in this process, with a progress bar
            with env.log.progress(job.stage.name) as report:
                ctx = env.context(job.stage, job.train, on_progress=report, seed=job.seed)
                model, seconds = fit_trial(job.trainer, job.train, job.evals, ctx, job.metric,
                                           extractors, scorer, job.audit)
            yield i, model, seconds
        return
    with env.log.board() as board:  # on a terminal: a bar per trial, moved by its worker
        relay = ProgressRelay(board.event) if board is not None else None
        try:
            calls = []
            for _, job in pending:
                reporter = relay.reporter(job.stage.name) if relay is not None else None
                ctx = dataclasses.replace(env.context(job.stage, job.train, seed=job.seed),
                                          budget=None, note=None, on_progress=reporter,
                                          threads=env.executor.threads(len(pending)))
                call = functools.partial(fit_trial, job.trainer, job.train, job.evals, ctx,
                                         job.metric, extractors, scorer, job.audit)
                calls.append(functools.partial(reported, reporter, call)
                             if reporter is not None else call)
                if board is not None:
                    board.add(job.stage.name)
            for k, (model, seconds) in env.executor.call_each(calls):
                if board is not None:
                    board.remove(pending[k][1].stage.name)
                yield pending[k][0], model, seconds
        finally:
            if relay is not None:
                relay.close()


def memory_allows(env: RunEnv, jobs: Sequence[TrialJob]) -> bool:
    """Whether the trials' memory estimates fit the machine when the executor runs them
    at once; when they do not, say so once in the run (they then train one at a time)."""
    estimates = [job.trainer.memory_bytes(job.train) for job in jobs]
    parallel = running_at_once(env.executor, len(jobs))
    if fits_at_once(estimates, parallel):
        return True
    if "memory" not in env.said:
        env.said.add("memory")
        need = sorted((e for e in estimates if e), reverse=True)[:parallel]
        free = available_bytes() or 0
        env.log.warn(f"trials train one at a time: {len(need)} at once would need about "
                     f"{gib(sum(need))} and {gib(free)} is available")
    return False


def train_pending(
    env: RunEnv, stages: Sequence[tuple[Stage, Trainer, dict[str, Any]]],
    train: list[Record], evals: list[Record], metric: str,
    seeds: Sequence[int] | None = None, audit: bool = False,
) -> Iterator[tuple[int, ModelRef, float]]:
    """Train every incomplete trial on one data set; yield ``(trial index, model,
    seconds)`` as each ends. ``seeds``: each stage's training seed (default the run's)."""
    seeds = list(seeds) if seeds is not None else [env.seed] * len(stages)
    yield from train_jobs(env, [TrialJob(stage, trainer, train, evals, seeds[i], metric,
                                         audit=audit)
                                for i, (stage, trainer, _) in enumerate(stages)])


def audits(env: RunEnv, spec: TrainerSpec) -> bool:
    """Whether the trials are scored on the dev split for the proxy audit although they are
    selected by a proxy (``decisions.audit_proxies``)."""
    return env.loaded.manifest.decisions.audit_proxies and spec.select.metric != "eval_f1"


def dev_outcomes(stage: Stage) -> Outcomes | None:
    """A trial's per-document dev outcomes, when its training scored the dev split."""
    path = stage.path / DEV_FILE
    if not path.exists():
        return None
    try:
        return outcomes_from_dict(json.loads(path.read_text("utf-8")))
    except (ValueError, KeyError, TypeError):  # a damaged file only costs the audit
        return None


__all__ = ["DEV_FILE", "DEV_OUTCOMES", "TrialJob", "audits", "dev_outcomes", "fit_trial",
           "spreads", "train_jobs", "train_pending"]
