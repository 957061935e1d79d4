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
from .accounting import read_results, write_results
from .env import RunEnv
from .streams import unlabelled
from .synthetic import Batch


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
        spec = specs[position]
        judge = env.component(Judge, spec)
        if type(judge).io_bound and not everyone:
            continue
        label = f"{position}{judge.name.replace('/', '_')}"
        stage = env.stage(f"judge-all-b{batch.index}-{label}", {
            "records": generated_hash, "data": data_hash, "component": env.identity(judge),
            "seed": env.seed,
        })
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


__all__ = ["audit_verdicts"]
