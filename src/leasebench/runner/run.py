"""``run_experiment``: execute a manifest as cached, resumable stages, then report."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..components import Executor, Reporter
from ..errors import LeasebenchError
from ..executors.reaper import interrupt_in
from ..hashing import stable_hash
from ..io import atomic_write_text, write_jsonl
from ..locks import run_lock
from ..manifest.load import load_manifest
from ..manifest.models import DatasetData, Manifest
from ..names import child, inside
from ..pause import pause_point
from ..plugin_manager import Registry, build_registry
from ..reach import tracking_problem
from ..results import RunResult
from ..results.decisions import StoppedRound
from ..storage import StorageError, storage_error
from . import stages
from .ablation import run_ablation
from .accounting import describe_usage, stage_usage
from .agreement import add_agreement
from .build_result import build_result
from .card import data_card_stage, publish_card
from .data import dataset_load, dev_split, load_key, run_load, run_split, split_records
from .env import RunEnv
from .guards import leaked_pairs
from .judge_audit import audit_verdicts
from .metadata import git_sha, write_run_json
from .notices import tagger_notice
from .preflight import preflight
from .progress import StageLog
from .rounds import Splits, run_rounds
from .smoke import limited
from .stage_names import check_force
from .stopping import run_rounds_stopping
from .store import Stage, StageStore
from .streams import records_hash
from .synthetic import Batch, generate_batch, judge_batch


@dataclass
class RunOutcome:
    run_dir: Path
    result: RunResult
    report_files: list[Path]
    stages_run: int
    stages_cached: int
    seconds: float
    usage: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: how to see the run in MLflow: the runs table's URL, or the command serving a
    #: local store and then that URL (empty without tracking)
    mlflow_open: list[str] = field(default_factory=list)


def make_env(
    manifest_path: Path, *, runs_dir: Path, force: tuple[str, ...] = (), quiet: bool = False,
    registry: Registry | None = None, log: StageLog | None = None,
    max_cost: float | None = None, scratch: Path | None = None, limit: int | None = None,
) -> RunEnv:
    """Load and validate the manifest; the environment every stage function shares.

    With ``scratch`` (a dry run) nothing is written under ``runs_dir``: stages that would
    be written go under ``scratch`` (see ``StageStore``).
    """
    from ..llm.usage import Budget

    registry = registry if registry is not None else build_registry()
    loaded = load_manifest(Path(manifest_path), registry)
    if limit is not None:  # a smoke run, apart from the full run (`smoke`)
        loaded = limited(loaded, limit)
    m = loaded.manifest
    check_force(m, force)
    root = child(runs_dir, m.name)
    return RunEnv(
        loaded=loaded, registry=registry, store=StageStore(root, scratch),
        schema=preflight(loaded, read_data=False), log=log or StageLog(quiet),
        cache_dir=root / "cache", force=frozenset(force), budget=Budget(max_cost),
        executor=registry.get_as(Executor, m.executor.name).from_dict(m.executor.params),
    )


def prepare_data(env: RunEnv) -> tuple[Splits, str]:
    """Stages ``load`` and ``split`` (local, no model calls), the dev split and the leakage
    guard: the record splits and the hash of the records synthetic data is made from."""
    m, base = env.loaded.manifest, env.loaded.base_dir
    data = m.data
    if isinstance(data, DatasetData):
        key, write = dataset_load(env, data)
    else:
        key = load_key(data, m.seed, base, env.schema.fields)

        def write(stage: Stage) -> None:
            run_load(stage, data, m.seed, base, env.schema.fields, env.executor)

    load = env.stage(stages.LOAD, key)
    cached = load.complete
    if not cached:
        with env.log.status(stages.LOAD):
            write(load)
    env.record(load, cached=cached)
    split = env.stage(stages.SPLIT, stages.split_key(
        load.content_hash, m.seed, env.schema.document,
        getattr(m.data, "holdout_fraction", None)))
    cached = split.complete
    if not cached:
        run_split(split, load, m.data, m.seed, env.schema)
    env.record(split, cached=cached)
    train, holdout = split_records(split)
    holdout_hash = records_hash(holdout)
    env.leaks = leaked_pairs(train, holdout, m.guards, m.seed)
    if any(r.trained for r in m.rounds):
        real, dev = dev_split(train, m.dev_fraction, m.seed)
        source_hash = stable_hash([split.content_hash, [r.id for r in real]])
    else:
        real, dev, source_hash = train, [], split.content_hash
    splits = Splits(train, real, dev, holdout, holdout_hash, split.content_hash)
    return splits, source_hash


def _tracking_uri(m: Manifest, given: str | None) -> str:
    """The tracking URI a run logs to: given, the manifest's, else the default."""
    from ..tracking import default_tracking_uri

    return given or m.tracking.tracking_uri or default_tracking_uri()


def run_experiment(
    manifest_path: Path,
    *,
    runs_dir: Path = Path("runs"),
    force: tuple[str, ...] = (),
    quiet: bool = False,
    registry: Registry | None = None,
    log: StageLog | None = None,
    mlflow: bool | None = None,
    tracking_uri: str | None = None,
    max_cost: float | None = None,
    wait: bool = False,
    limit: int | None = None,
) -> RunOutcome:
    """Run every stage (cached ones are skipped), score, report and track.

    With ``max_cost``, LLM calls stop before the run would spend more than that on new
    calls (cache hits are free); ``BudgetExceeded`` is raised after every completed item
    is checkpointed, so a re-run with a larger budget continues where this one stopped.
    One run at a time per experiment directory: another run's lock is ``RunLocked``
    (exit code 2), or with ``wait`` this run waits for it.
    """
    started = time.perf_counter()
    env = make_env(manifest_path, runs_dir=runs_dir, force=force, quiet=quiet,
                   registry=registry, log=log, max_cost=max_cost, limit=limit)
    m = env.loaded.manifest
    if m.tracking.mlflow if mlflow is None else mlflow:  # before any stage, not after all
        unreachable = tracking_problem(_tracking_uri(m, tracking_uri))
        if unreachable is not None:
            env.executor.close()
            raise LeasebenchError(unreachable)
    try:
        with run_lock(env.store.root, wait=wait, say=env.log.warn):
            pause_point("locked")
            return _run_locked(env, started, mlflow, tracking_uri)
    except (OSError, sqlite3.Error) as exc:
        problem = storage_error(exc, env.store.root)
        if problem is None:
            raise
        raise problem from exc
    except BaseException as exc:  # Ctrl-C, SIGTERM: say what is kept
        interrupt = interrupt_in(exc)
        if interrupt is not None:
            interrupt.kept = kept(env)  # type: ignore[attr-defined]
        raise
    finally:
        env.executor.close()


def kept(env: RunEnv) -> str:
    """What an interrupted run leaves for the next one to resume from."""
    done = len(env.timings)
    now = sum(1 for t in env.timings if not t["cached"])
    return (f"{done} finished stage(s) ({now} run now) and every finished item of the stage "
            f"in progress are kept in {env.store.root}")


def _run_locked(
    env: RunEnv, started: float, mlflow: bool | None, tracking_uri: str | None
) -> RunOutcome:
    loaded, m, registry = env.loaded, env.loaded.manifest, env.registry
    run_dir = child(env.store.root, loaded.hash[:12])
    env.log.info(f"[bold]{m.name}[/bold] → {run_dir}", soft_wrap=True)
    tagger_notice(env)
    splits, data_hash = prepare_data(env)
    publish_card(env, data_card_stage(env, splits.train_hash, splits.train, splits.holdout),
                 run_dir)
    train, holdout = splits.real, splits.holdout

    def make_batch(k: int) -> Batch:
        generated, gen_hash = generate_batch(env, k, train, holdout, data_hash)
        batch = judge_batch(env, k, generated, gen_hash, train, holdout, data_hash)
        batch.audit = audit_verdicts(env, batch, gen_hash, train, holdout, data_hash,
                                     everyone=m.decisions.ablate_judges is not None)
        return batch

    stopped: list[StoppedRound] = []
    if m.decisions.stop_rounds:
        rounds, batches, stopped = run_rounds_stopping(env, splits, make_batch)
    else:
        batches = [make_batch(k) for k in range(1, m.max_batches + 1)]
        rounds = run_rounds(env, splits, batches)
    add_agreement(rounds, list(env.schema.fields))
    ablation = run_ablation(env, splits, rounds, batches)
    with env.log.status("scoring (bootstrap intervals, paired tests) and writing reports"):
        result = build_result(env, splits, rounds, batches)
        result.decisions.stopped, result.decisions.ablation = stopped, ablation
        run_dir.mkdir(parents=True, exist_ok=True)
        files = _report(env, result, run_dir)
    atomic_write_text(run_dir / "manifest.yaml", yaml.safe_dump(loaded.resolved, sort_keys=False))
    predictions = {}
    for run in rounds:
        name = run.result.name
        predictions[name] = child(run_dir, "predictions", f"{name}.jsonl")
        write_jsonl(predictions[name], run.first)
        for j, preds in enumerate(run.predictions[1:], start=1):
            write_jsonl(child(run_dir, "predictions", "repeats", name, f"s{j}.jsonl"), preds)
    mlflow_run: str | None = None
    mlflow_open: list[str] = []
    if m.tracking.mlflow if mlflow is None else mlflow:
        with env.log.status("logging to MLflow"):
            mlflow_run, mlflow_open = _track(env, result, run_dir, predictions, tracking_uri)
    ran = sum(1 for t in env.timings if not t["cached"])
    cached = len(env.timings) - ran
    seconds = time.perf_counter() - started
    usage = stage_usage(env.usage, result.resent_calls)
    if usage:
        env.log.info(f"  {describe_usage(usage)}")
    write_run_json(
        run_dir / "run.json", name=m.name, manifest=str(loaded.path),
        manifest_hash=loaded.hash, resolved_manifest=loaded.resolved, seed=m.seed,
        plugins=registry.describe(), git_sha=git_sha(loaded.base_dir), stages=env.timings,
        stages_run=ran, stages_cached=cached, seconds=round(seconds, 3),
        mlflow_run_id=mlflow_run,
        new_calls={k: v.as_dict() for k, v in env.budget.ledger.stages().items()},
        usage=usage,
    )
    return RunOutcome(run_dir, result, files, ran, cached, seconds, usage, mlflow_open)


def _track(
    env: RunEnv, result: RunResult, run_dir: Path, predictions: dict[str, Path],
    tracking_uri: str | None,
) -> tuple[str, list[str]]:
    from ..tracking import default_tracking_uri, log_run, open_hint

    m = env.loaded.manifest
    uri = tracking_uri or m.tracking.tracking_uri or default_tracking_uri()
    try:
        run_id, reused = log_run(
            result, run_dir, env.loaded.resolved, env.registry.describe(), predictions,
            tracking_uri=uri, experiment=m.tracking.experiment, timings=env.timings,
            started_at=env.started_at, stages=stages.of_rounds(m, result.rounds),
        )
        hint = open_hint(uri, run_id)
    except Exception as exc:  # the results are safe on disk; say where
        problem = storage_error(exc, uri)
        if problem is not None:
            raise StorageError(f"MLflow logging: {problem} The results are complete in "
                               f"{run_dir} (--no-mlflow skips tracking).") from exc
        raise LeasebenchError(
            f"MLflow logging to {uri} failed ({type(exc).__name__}: {exc}); the results "
            f"are complete in {run_dir}; re-run with --no-mlflow or fix the tracking URI"
        ) from exc
    env.log.info(f"  MLflow: {'reused' if reused else 'logged'} run {run_id} in {uri}")
    return run_id, hint


def _report(env: RunEnv, result: RunResult, run_dir: Path) -> list[Path]:
    out_dir = child(run_dir, "report")
    out_dir.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    for spec in env.loaded.manifest.reporters:
        files += [inside(out_dir, Path(f)) for f in env.component(Reporter, spec).report(
            result, out_dir)]
    return files


__all__ = ["RunOutcome", "run_experiment"]
