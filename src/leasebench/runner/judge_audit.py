"""Stages ``judge-all-b<k>-<judge>``: a judge's verdict on every generated sample of a batch,
so judges that scored different survivors can be compared on the same samples.

Judges run in order, each on the samples every earlier judge passed; the first judge sees
them all. Judges that make no model calls (not ``io_bound``) are run once more on every
sample here, at no cost; with ``decisions.ablate_judges`` every judge is (its calls are
paid and booked like any stage)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import partial

from ..components import Judge
from ..io import read_jsonl
from ..records import Record, Verdict
from . import stages
from .accounting import read_results, write_results
from .env import RunEnv
from .store import Stage
from .streams import unlabelled
from .synthetic import Batch


def audited(judge: Judge, everyone: bool) -> bool:
    """Whether a judge that saw part of a batch runs again on all of it (``everyone``:
    a judge ablation needs every judge's verdicts)."""
    return everyone or not type(judge).io_bound


def audit_stage(
    env: RunEnv, batch: int, position: int, judge: Judge, generated_hash: str, data_hash: str,
) -> Stage:
    """The stage directory of one judge on every sample of one batch."""
    return env.stage(stages.judge_all(batch, position, judge.name), stages.judge_all_key(
        generated_hash, data_hash, env.identity(judge), env.seed))


def audit_verdicts(
    env: RunEnv, batch: Batch, generated_hash: str, train: list[Record],
    holdout: Sequence[Record], data_hash: str, everyone: bool,
) -> dict[str, list[Verdict]]:
    """Per judge (the batch's verdict keys), its verdicts on every generated sample, for
    the judges that have them."""
    out: dict[str, list[Verdict]] = {}
    specs = env.loaded.manifest.judges
    for position, (key, seq) in enumerate(batch.verdicts.items()):
        if len(seq) == len(batch.generated):  # it saw every sample already
            out[key] = seq
            continue
        judge = env.component(Judge, specs[position])
        if not audited(judge, everyone):
            continue
        stage = audit_stage(env, batch.index, position, judge, generated_hash, data_hash)
        if stage.complete:
            verdicts, accounts = read_results(stage.path / "verdicts.jsonl", Verdict)
            env.book(stage, accounts)
            env.record(stage, cached=True)
        else:
            records = batch.generated
            ctx = replace(env.context(stage, train, unlabelled(holdout)), batch=tuple(records))
            env.run_map(stage, env.map_work(stage, judge, ctx), partial(list, records),
                        "verdicts.jsonl")
            verdicts, accounts = write_results(
                stage.path / "verdicts.jsonl", read_jsonl(stage.path / "verdicts.jsonl", Verdict))
            env.book(stage, accounts)
            stage.finish(["verdicts.jsonl"], {"items": len(verdicts)})
            env.record(stage, cached=False,
                       note=f"{sum(v.passed for v in verdicts)}/{len(verdicts)} passed")
        out[key] = verdicts
    return out


__all__ = ["audit_stage", "audit_verdicts", "audited"]
