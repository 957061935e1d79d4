"""A served round against the in-process round of the same model: how often they agree.

Greedy decoding of one model should give the same answers whether it runs in-process or
behind a server; where they differ (another decoding path, constrained decoding in one
of them, a server's defaults), the report says how much.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..records import Prediction
from ..results import Agreement, RoundResult

if TYPE_CHECKING:
    from .rounds import RoundRun


def _same_model(served: RoundResult, other: RoundResult) -> bool:
    return (other.served is None and other.kind == served.kind and other.arm == served.arm
            and other.synthetic_batches == served.synthetic_batches)


def _answers(p: Prediction, fields: Sequence[str]) -> list[list[str]]:
    if p.error or p.parse_error:
        return [["<no answer>"] for _ in fields]
    return [sorted(p.fields.get(f, [])) for f in fields]


def agreement(served: Sequence[Prediction], local: Sequence[Prediction],
              fields: Sequence[str], round_name: str) -> Agreement:
    """Share of equal (document, field) answers and of wholly equal documents; documents
    missing from either side count as disagreeing."""
    by_id = {p.id: p for p in local}
    equal = whole = 0
    for p in served:
        q = by_id.get(p.id)
        if q is None:
            continue
        pairs = list(zip(_answers(p, fields), _answers(q, fields), strict=True))
        same = sum(a == b for a, b in pairs)
        equal += same
        whole += same == len(pairs)
    n = max(len(served), len(local))
    return Agreement(round=round_name, answers=round(equal / (n * len(fields)), 4) if n and
                     fields else 0.0, documents=round(whole / n, 4) if n else 0.0,
                     n_documents=n)


def add_agreement(rounds: Sequence[RoundRun], fields: Sequence[str]) -> None:
    """Set ``agreement`` on every served round that has an in-process twin (first seeds)."""
    for run in rounds:
        r = run.result
        if r.served is None:
            continue
        twin = next((o for o in rounds if _same_model(r, o.result)), None)
        if twin is not None:
            r.agreement = agreement(run.first, twin.first, fields, twin.result.name)


__all__ = ["add_agreement", "agreement"]
