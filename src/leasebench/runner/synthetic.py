"""Stages ``generate-b<k>`` and ``judge-b<k>-<judge>``: synthetic batches and their judging."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import partial

from ..components import GenerateTask, Generator, Judge
from ..errors import DataError
from ..hashing import stable_hash
from ..io import read_jsonl
from ..manifest.models import ComponentSpec
from ..records import Record, Usage, Verdict
from . import stages
from .accounting import read_results, write_results
from .env import RunEnv
from .store import Stage
from .streams import unlabelled


@dataclass
class Batch:
    """One synthetic batch after judging."""

    index: int
    generated: list[Record]
    verdicts: dict[str, list[Verdict]] = field(default_factory=dict)
    accepted: list[Record] = field(default_factory=list)
    generation_usage: Usage = field(default_factory=Usage)
    #: per judge, its verdicts on every generated sample where known (``judge_audit``)
    audit: dict[str, list[Verdict]] = field(default_factory=dict)


def derive_seed(*parts: object) -> int:
    return int(stable_hash(list(map(str, parts)), length=8), 16)


def make_tasks(train: list[Record], batch: int, size: int, seed: int) -> list[GenerateTask]:
    """``size`` tasks; sources cycle through a seeded permutation of the train records."""
    if not train:
        raise DataError("generator: no train records to generate from")
    order = list(train)
    random.Random(f"{seed}|sources|{batch}").shuffle(order)
    return [
        GenerateTask(
            sample_id=f"syn-b{batch}-{i:04d}", batch=batch, index=i,
            source=order[i % len(order)], seed=derive_seed(seed, "generate", batch, i),
        )
        for i in range(size)
    ]


def generate_stage(env: RunEnv, batch: int, train_hash: str) -> tuple[Stage, Generator]:
    """The stage directory of batch ``batch`` and the generator that fills it."""
    spec = env.loaded.manifest.generator
    assert spec is not None
    generator = env.component(Generator, spec)
    stage = env.stage(stages.generate(batch), stages.generate_key(
        train_hash, env.identity(generator), env.seed, batch, spec.batch_size))
    return stage, generator


def judge_stage(
    env: RunEnv, batch: int, position: int, spec: ComponentSpec, generated_hash: str,
    survivors: list[Record], data_hash: str,
) -> tuple[Stage, Judge]:
    """The stage directory of one judge on one batch, and the judge."""
    judge = env.component(Judge, spec)
    stage = env.stage(stages.judge(batch, position, judge.name), stages.judge_key(
        generated_hash, stable_hash([r.id for r in survivors]), data_hash,
        env.identity(judge), env.seed))
    return stage, judge


def generate_batch(
    env: RunEnv, batch: int, train: list[Record], holdout: Sequence[Record], train_hash: str
) -> tuple[list[Record], str]:
    spec = env.loaded.manifest.generator
    assert spec is not None
    stage, generator = generate_stage(env, batch, train_hash)
    if stage.complete:
        records, accounts = read_results(stage.path / "output.jsonl", Record)
        env.book(stage, accounts)
        env.record(stage, cached=True)
        return records, stage.content_hash
    tasks = make_tasks(train, batch, spec.batch_size, env.seed)
    work = env.map_work(stage, generator, env.context(stage, train, unlabelled(holdout)))
    env.run_map(stage, work, lambda: tasks, "output.jsonl")
    records, accounts = write_results(
        stage.path / "output.jsonl", read_jsonl(stage.path / "output.jsonl", Record)
    )
    env.book(stage, accounts)
    content = stage.finish(["output.jsonl"], {"items": len(records)})
    env.record(stage, cached=False, note=f"{len(records)} samples")
    return records, content


def judge_batch(
    env: RunEnv, batch: int, records: list[Record], generated_hash: str,
    train: list[Record], holdout: Sequence[Record], data_hash: str,
) -> Batch:
    """Judges run in manifest order, each on the samples every earlier judge passed."""
    result = Batch(batch, records)
    result.generation_usage = env.usage.get(stages.generate(batch), {}).get("recorded", Usage())
    survivors = records
    for position, spec in enumerate(env.loaded.manifest.judges):
        stage, judge = judge_stage(
            env, batch, position, spec, generated_hash, survivors, data_hash
        )
        label = stages.judge_label(position, judge.name)
        if stage.complete:
            verdicts, accounts = read_results(stage.path / "verdicts.jsonl", Verdict)
            env.book(stage, accounts)
            env.record(stage, cached=True)
        else:
            ctx = replace(env.context(stage, train, unlabelled(holdout)), batch=tuple(survivors))
            env.run_map(stage, env.map_work(stage, judge, ctx),
                        partial(list, survivors), "verdicts.jsonl")
            verdicts, accounts = write_results(
                stage.path / "verdicts.jsonl", read_jsonl(stage.path / "verdicts.jsonl", Verdict)
            )
            env.book(stage, accounts)
            stage.finish(["verdicts.jsonl"], {"items": len(verdicts)})
            passed_n = sum(v.passed for v in verdicts)
            env.record(stage, cached=False, note=f"{passed_n}/{len(verdicts)} passed")
        result.verdicts[spec.name if spec.name not in result.verdicts else label] = verdicts
        passed = {v.record_id for v in verdicts if v.passed}
        survivors = [r for r in survivors if r.id in passed]
    result.accepted = survivors
    return result


__all__ = [
    "Batch",
    "derive_seed",
    "generate_batch",
    "generate_stage",
    "judge_batch",
    "judge_stage",
    "make_tasks",
]
