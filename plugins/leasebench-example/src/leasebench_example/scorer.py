"""Scorer ``example/strict-dates``: a date matches only the same calendar day.

Date fields compare as parsed calendar days ("March 3, 2021" == "2021-03-03"); a value
that is not a readable date compares as text. Other fields compare as whitespace-folded
text. Per (document, field) the value sets are compared whole: equal is a TP, both empty a
TN, gold only a FN, prediction only a FP, and different non-empty sets one FP and one FN.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import numpy as np

from leasebench.components import NoParams, Scorer
from leasebench.errors import DataError
from leasebench.outcomes import Outcomes
from leasebench.records import Prediction, Record
from leasebench.schema import FieldSchema

from .dates import parse_date


def _key(value: str, is_date: bool) -> str:
    day = parse_date(value) if is_date else None
    return day.isoformat() if day is not None else " ".join(value.split())


def counts(gold: Sequence[str], pred: Sequence[str], is_date: bool) -> tuple[int, int, int, int]:
    """TP, FP, FN, TN of one (document, field) pair."""
    g = {_key(v, is_date) for v in gold if v.strip()}
    p = {_key(v, is_date) for v in pred if v.strip()}
    if not g and not p:
        return (0, 0, 0, 1)
    if g == p:
        return (1, 0, 0, 0)
    return (0, int(bool(p)), int(bool(g)), 0)


class StrictDatesScorer(Scorer[NoParams]):
    """Dates match only on the same calendar day; other fields on exact (whitespace-folded) text."""

    name: ClassVar[str] = "example/strict-dates"
    version: ClassVar[str] = "1"

    def score(
        self, gold: Sequence[Record], predictions: Sequence[Prediction], schema: FieldSchema
    ) -> Outcomes:
        ids = [r.id for r in gold]
        known = set(ids)
        by_id: dict[str, Prediction] = {}
        for p in predictions:
            if p.id not in known:
                raise DataError(f"example/strict-dates: prediction for id {p.id!r} not in gold")
            if p.id in by_id:
                raise DataError(f"example/strict-dates: more than one prediction for {p.id!r}")
            by_id[p.id] = p
        table = np.zeros((len(gold), len(schema.fields), 4), dtype=np.int64)
        failed = missing = 0
        for d, record in enumerate(gold):
            pred = by_id.get(record.id)
            missing += pred is None
            broken = pred is not None and bool(pred.error or pred.parse_error)
            failed += broken
            values = {} if pred is None or broken else pred.fields
            for f, field in enumerate(schema.fields):
                is_date = schema.kind(field) == "date"
                table[d, f] = counts(record.labels.get(field, []), values.get(field, []), is_date)
        calls = sum(1 for p in by_id.values() if p.error)
        return Outcomes(tuple(ids), tuple(schema.fields), table, parse_failures=failed - calls,
                        call_failures=calls, missing=missing)


__all__ = ["StrictDatesScorer", "counts"]
