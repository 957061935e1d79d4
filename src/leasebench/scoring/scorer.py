"""``field-match``: the built-in scorer (exact, normalized, fuzzy or reference matching)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from ..components import Scorer
from ..errors import DataError
from ..outcomes import Outcomes
from ..records import Prediction, Record
from ..schema import FieldSchema
from .matching import FieldMatcher, ListMatch, Mismatch, Mode


class FieldOverride(BaseModel):
    """Per-field overrides of the scorer-wide matching params (unset: inherit)."""

    model_config = ConfigDict(extra="forbid")

    mode: Literal["exact", "normalized", "fuzzy"] | None = None
    threshold: float | None = Field(default=None, ge=0.0, le=1.0)
    list_match: ListMatch | None = None
    mismatch: Mismatch | None = None


class FieldMatchParams(BaseModel):
    """Params of ``field-match``. ``reference`` mode ignores every other param."""

    model_config = ConfigDict(extra="forbid")

    mode: Mode = "normalized"
    mismatch: Mismatch = "fp_fn"
    list_match: ListMatch = "joined"
    threshold: float = Field(default=0.8, ge=0.0, le=1.0)
    day_first: bool = False
    fields: dict[str, FieldOverride] = Field(default_factory=dict)


def failure_counts(predictions: Sequence[Prediction]) -> dict[str, int]:
    """How many predictions failed to parse, how many calls failed, and the total.

    A prediction with both ``error`` and ``parse_error`` counts as a call failure.
    """
    call = sum(1 for p in predictions if p.error)
    parse = sum(1 for p in predictions if p.parse_error and not p.error)
    return {"parse_failures": parse, "call_failures": call, "predictions": len(predictions)}


def _index_predictions(
    gold_ids: Sequence[str], predictions: Sequence[Prediction]
) -> dict[str, Prediction]:
    known = set(gold_ids)
    dupes = [i for i, n in Counter(gold_ids).items() if n > 1]
    if dupes:
        raise DataError(f"gold has duplicate document ids: {_names(dupes)}")
    by_id: dict[str, Prediction] = {}
    unknown, repeated = [], []
    for p in predictions:
        if p.id not in known:
            unknown.append(p.id)
        elif p.id in by_id:
            repeated.append(p.id)
        by_id[p.id] = p
    if unknown:
        raise DataError(f"predictions for ids not in gold: {_names(unknown)}")
    if repeated:
        raise DataError(f"more than one prediction for ids: {_names(repeated)}")
    return by_id


def _names(ids: Sequence[str], limit: int = 10) -> str:
    shown = ", ".join(repr(i) for i in ids[:limit])
    return shown + (f" (and {len(ids) - limit} more)" if len(ids) > limit else "")


class FieldMatchScorer(Scorer[FieldMatchParams]):
    """Counts TP/FP/FN/TN per (document, field) under a matching mode (docs/metrics.md).

    Documents in gold without a prediction, and predictions that failed (``parse_error``
    or ``error`` set), are all-absent; predictions for ids not in gold are an error.
    """

    name: ClassVar[str] = "field-match"
    version: ClassVar[str] = "1"

    def matcher(self, field: str, schema: FieldSchema) -> FieldMatcher:
        """The matching rule of ``field`` after per-field overrides."""
        p = self.params
        if p.mode == "reference":
            return FieldMatcher(mode="reference", list_match="joined", mismatch="fp",
                                threshold=0.8, kind=schema.kind(field))
        o = p.fields.get(field, FieldOverride())
        return FieldMatcher(
            mode=o.mode or p.mode,
            list_match=o.list_match or p.list_match,
            mismatch=o.mismatch or p.mismatch,
            threshold=p.threshold if o.threshold is None else o.threshold,
            kind=schema.kind(field),
            day_first=p.day_first,
            contains=schema.contains(field),
        )

    def score(
        self, gold: Sequence[Record], predictions: Sequence[Prediction], schema: FieldSchema
    ) -> Outcomes:
        unknown = sorted(set(self.params.fields) - set(schema.fields))
        if unknown:
            raise DataError(f"field-match: overrides for fields not in schema: {unknown}")
        doc_ids: list[str] = []
        gold_labels: list[dict[str, list[str]]] = []
        for r in gold:  # one pass: a file-backed hold-out is parsed once, texts not kept
            doc_ids.append(r.id)
            gold_labels.append(r.labels)
        by_id = _index_predictions(doc_ids, predictions)
        empty: dict[str, list[str]] = {}
        pred_fields = []
        parse_failures = call_failures = missing = 0
        for doc in doc_ids:
            p = by_id.get(doc)
            if p is None:
                missing += 1
                pred_fields.append(empty)
            elif p.error or p.parse_error:
                call_failures += bool(p.error)
                parse_failures += not p.error
                pred_fields.append(empty)
            else:
                pred_fields.append(p.fields)
        n_docs, fields = len(doc_ids), schema.fields
        counts = np.zeros((n_docs, len(fields), 4), dtype=np.int64)
        no_values: list[str] = []
        for f, field in enumerate(fields):
            fn = self.matcher(field, schema).counts_fn()
            column = [
                fn(labels.get(field, no_values), pf.get(field, no_values))
                for labels, pf in zip(gold_labels, pred_fields, strict=True)
            ]
            if column:
                counts[:, f, :] = np.array(column, dtype=np.int64)
        return Outcomes(tuple(doc_ids), tuple(fields), counts,
                        parse_failures=parse_failures, call_failures=call_failures,
                        missing=missing)


__all__ = ["FieldMatchParams", "FieldMatchScorer", "FieldOverride", "failure_counts"]
