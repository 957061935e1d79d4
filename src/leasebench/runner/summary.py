"""Usage of the synthetic data and the predictions, the funnel, per-pair details."""

from __future__ import annotations

from collections.abc import Sequence

from ..outcomes import Outcomes
from ..records import Prediction, Record, Usage
from ..reporting.context import pair_context
from ..results import FunnelBatch, PairDetail
from ..spans import Grounder
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


def pair_details(
    outcomes: Outcomes, gold: Sequence[Record], preds: list[Prediction], limit: int
) -> list[PairDetail]:
    """Gold vs predicted values of every non-TN pair of the first ``limit`` documents; a
    wrong pair also gets the text around its values."""
    by_id = {p.id: p for p in preds}
    wanted = set(outcomes.doc_ids[:limit])
    gold_by_id = {r.id: r for r in gold if r.id in wanted}
    details = []
    grounders: dict[str, Grounder] = {}
    for d, doc in enumerate(outcomes.doc_ids[:limit]):
        for f, field in enumerate(outcomes.fields):
            tp, fp, fn, _ = (int(x) for x in outcomes.counts[d, f])
            if tp == fp == fn == 0:
                continue
            outcome = "mismatch" if fp and fn else "fp" if fp else "fn" if fn else "tp"
            pred = by_id.get(doc)
            gold_values = gold_by_id[doc].labels.get(field, [])
            context = None
            if outcome != "tp":
                grounder = grounders.setdefault(doc, Grounder(gold_by_id[doc].text))
                context = pair_context(grounder, field, gold_values, pred)
            details.append(PairDetail(
                id=doc, field=field, outcome=outcome, gold=gold_values,
                pred=pred.fields.get(field, []) if pred else [], context=context,
            ))
    return details


__all__ = ["funnel_batch", "generation_usage", "judging_usage", "pair_details",
           "prediction_usage"]
