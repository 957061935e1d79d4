"""The run's results: scores, intervals, paired comparisons, funnel and usage."""

from __future__ import annotations

from collections.abc import Sequence

from ..components import Scorer
from ..data.columns import DEFAULT_ABSENT
from ..records import Prediction, Record, Usage
from ..reporting.results import FunnelBatch, PairDetail, RoundResult, RunResult
from ..scoring.files import without_absent
from ..scoring.outcomes import Outcomes
from ..scoring.stats import compare, summarize
from .env import RunEnv
from .synthetic import Batch


def generation_usage(batch: Batch) -> Usage:
    """Tokens and cost the generator recorded for a batch, and how many samples failed."""
    failed = sum(1 for r in batch.generated if r.meta.get("error"))
    return batch.generation_usage + Usage(failed=failed)


def judging_usage(batch: Batch) -> Usage:
    """Tokens and cost of every judge call on a batch, and how many calls failed."""
    total = Usage()
    for verdicts in batch.verdicts.values():
        for v in verdicts:
            total = total + v.usage + Usage(failed=int(v.error is not None))
    return total


def prediction_usage(preds: list[Prediction]) -> Usage:
    return sum((p.usage + Usage(failed=int(p.error is not None)) for p in preds), Usage())


def funnel_batch(b: Batch) -> FunnelBatch:
    passed = {judge: sum(v.passed for v in vs) for judge, vs in b.verdicts.items()}
    reasons = {
        judge: sorted({v.reason for v in vs if not v.passed})[:5]
        for judge, vs in b.verdicts.items()
    }
    return FunnelBatch(
        batch=b.index, generated=len(b.generated), passed=passed, accepted=len(b.accepted),
        reasons=reasons, usage=generation_usage(b) + judging_usage(b),
    )


def build_result(
    env: RunEnv, train: list[Record], holdout: Sequence[Record],
    rounds: list[tuple[RoundResult, list[Prediction]]], batches: list[Batch],
) -> RunResult:
    m = env.loaded.manifest
    stats = m.stats
    labels = [s.display_label for s in m.scorers]
    absent = getattr(m.data, "absent", DEFAULT_ABSENT)
    rounds = [(result, without_absent(preds, absent)) for result, preds in rounds]
    outcomes: dict[str, dict[str, Outcomes]] = {}
    for spec, label in zip(m.scorers, labels, strict=True):
        scorer = env.component(Scorer, spec)
        for result, preds in rounds:
            o = scorer.score(holdout, preds, env.schema)
            outcomes.setdefault(result.name, {})[label] = o
            result.scores[label] = summarize(
                o, iterations=stats.bootstrap, seed=m.seed, confidence=stats.confidence
            )
    primary = labels[0]
    for result, preds in rounds:
        result.details = pair_details(
            outcomes[result.name][primary], holdout, preds, stats.details_docs
        )
    ref = m.reference_round
    for result, _ in rounds:
        if result.name == ref:
            continue
        for label in labels:
            result.vs_reference[label] = compare(
                outcomes[ref][label], outcomes[result.name][label],
                iterations=stats.bootstrap, seed=m.seed, confidence=stats.confidence,
            )
    funnel = [funnel_batch(b) for b in batches]
    usage = {
        "generate": sum((generation_usage(b) for b in batches), Usage()),
        "judge": sum((judging_usage(b) for b in batches), Usage()),
        "extract": sum((r.usage for r, _ in rounds), Usage()),
    }
    return RunResult(
        name=m.name, manifest_hash=env.loaded.hash, seed=m.seed, schema_name=env.schema.name,
        fields=env.schema.fields, n_train=len(train), n_holdout=len(holdout), scorers=labels,
        primary_scorer=labels[0], reference_round=ref, confidence=stats.confidence,
        rounds=[r for r, _ in rounds], funnel=funnel, usage=usage, outcomes=outcomes,
    )


def pair_details(
    outcomes: Outcomes, gold: Sequence[Record], preds: list[Prediction], limit: int
) -> list[PairDetail]:
    """Gold vs predicted values of every non-TN pair of the first ``limit`` documents."""
    by_id = {p.id: p for p in preds}
    wanted = set(outcomes.doc_ids[:limit])
    gold_by_id = {r.id: r for r in gold if r.id in wanted}
    details = []
    for d, doc in enumerate(outcomes.doc_ids[:limit]):
        for f, field in enumerate(outcomes.fields):
            tp, fp, fn, _ = (int(x) for x in outcomes.counts[d, f])
            if tp == fp == fn == 0:
                continue
            outcome = "mismatch" if fp and fn else "fp" if fp else "fn" if fn else "tp"
            pred = by_id.get(doc)
            details.append(PairDetail(
                id=doc, field=field, outcome=outcome, gold=gold_by_id[doc].labels.get(field, []),
                pred=pred.fields.get(field, []) if pred else [],
            ))
    return details


__all__ = ["build_result", "funnel_batch", "pair_details", "prediction_usage"]
