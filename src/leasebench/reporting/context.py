"""The text around a wrong (document, field) pair's gold and predicted values, for the
HTML error browser: where each value lies (``leasebench.spans``) and an excerpt of the
document that holds them, at most ``MAX_CHARS`` long."""

from __future__ import annotations

from collections.abc import Sequence

from ..records import Prediction, Span
from ..results import PairContext
from ..spans import Grounder

MARGIN = 120
MAX_CHARS = 600


def pair_context(
    grounder: Grounder, field: str, gold: Sequence[str], pred: Prediction | None,
) -> PairContext | None:
    """The excerpt around ``field``'s gold values and ``pred``'s values for it; ``None``
    when none of them is in the text."""
    text = grounder.text
    gold_spans = [s[:2] for v in gold if (s := grounder.find(v)) is not None]
    values = pred.fields.get(field, []) if pred is not None else []
    recorded: Sequence[Span | None] = pred.spans.get(field, []) if pred is not None else []
    if len(recorded) != len(values):
        recorded = [grounder.find(v) for v in values]
    pred_spans = [s[:2] for s in recorded if s is not None]
    spans = gold_spans + pred_spans
    if not spans:
        return None
    first = (gold_spans or pred_spans)[0][0]
    lo = max(0, min(a for a, _ in spans) - MARGIN)
    hi = min(len(text), max(b for _, b in spans) + MARGIN)
    if hi - lo > MAX_CHARS:  # centre on the first gold value (else the first prediction)
        lo = max(0, first - MARGIN)
        hi = min(len(text), lo + MAX_CHARS)

    def inside(found: list[tuple[int, int]]) -> list[tuple[int, int]]:
        return [(max(a, lo), min(b, hi)) for a, b in found if a < hi and b > lo]

    seen = pred.seen_chars if pred is not None and pred.truncated else None
    return PairContext(start=lo, text=text[lo:hi], gold=inside(gold_spans),
                       pred=inside(pred_spans), seen=seen)


__all__ = ["MARGIN", "MAX_CHARS", "pair_context"]
