"""A document's prediction from its windows' answers: merged fields, text seen, spans.

Extractors that cut long documents into windows (``leasebench.chunking``) read each
window's answer with ``parse_answer``; ``merge_window_answers`` makes the document's
``fields``, ``parse_error`` and ``partial`` from them (answers that do not parse count as
giving nothing; all of them failing is the document's parse error, the first window's;
an answer salvaged from a cut-off one makes the document partial). ``with_spans`` adds
what the model saw and where each value lies in the document; ``seen_prefix`` how much
of it the model saw when some window had to be cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .chunking import MergeRule, Window, merge_answers
from .parsing import parse_answer
from .records import Labels, Prediction
from .schema import FieldSchema
from .spans import Grounder

CUT = "truncated (finish_reason=length)"


def merge_window_answers(
    windows: Sequence[Window], answers: Sequence[str], schema: FieldSchema, document: str,
    rule: MergeRule = "first", cut: Sequence[bool] | None = None,
) -> dict[str, Any]:
    """``fields``, ``parse_error`` and ``partial`` of the document's prediction; ``cut``
    marks answers the model stopped at its token bound (named in a parse error)."""
    labels: list[Labels | None] = []
    errors: list[str] = []
    partial = False
    for n, text in enumerate(answers):
        parsed = parse_answer(text, schema)
        labels.append(parsed.labels)
        partial = partial or parsed.partial
        if parsed.error is not None:
            errors.append(f"{CUT}: {parsed.error}" if cut is not None and cut[n]
                          else parsed.error)
    if len(windows) == 1:
        return {"fields": labels[0] or {}, "parse_error": errors[0] if errors else None,
                "partial": partial}
    if len(errors) == len(answers):
        return {"fields": {}, "parse_error": errors[0], "partial": False}
    return {"fields": merge_answers(windows, labels, schema.fields, document, rule),
            "parse_error": None, "partial": partial}


def seen_prefix(windows: Sequence[Window], kept: Sequence[int | None], length: int) -> int:
    """Characters from a document's start (of ``length``) that the model saw with no gap:
    a window whose text had to be cut showed only its first ``kept`` characters (None:
    all of them). Text a cut left out is seen when another window holds it (the overlap);
    past the first gap nothing counts, so ``seen_chars`` stays a prefix the model saw."""
    end = 0
    for w, k in sorted(zip(windows, kept, strict=True), key=lambda pair: pair[0].start):
        if w.start > end:
            break
        end = max(end, w.end if k is None else w.start + min(k, w.end - w.start))
    return min(end, length)


def with_spans(
    pred: Prediction, document: str, *, chunks: int = 1, seen_chars: int | None = None,
    truncated: bool = False,
) -> Prediction:
    """``pred`` with its window count, the characters seen (default: all of them) and,
    per value, its span in ``document`` (searched in the text seen first)."""
    seen = len(document) if seen_chars is None else seen_chars
    grounder = Grounder(document)
    spans = {f: [grounder.find(v, 0, seen) for v in values]
             for f, values in pred.fields.items() if values}
    return pred.model_copy(update={"chunks": chunks, "seen_chars": seen,
                                   "truncated": truncated, "spans": spans})


__all__ = ["merge_window_answers", "seen_prefix", "with_spans"]
