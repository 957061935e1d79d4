"""How a set of predictions' answers parsed: whole, salvaged from a cut-off or malformed
object (``partial``), or not at all. ``leasebench run`` (per round) and ``leasebench
score`` count them the same way."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field

from ..records import Prediction


class AnswerCounts(BaseModel):
    """Answer counts of one set of predictions; the rates only where they hold model
    answers (``raw`` text: a CRF's predictions have none)."""

    predictions: int = 0
    call_failures: int = Field(0, description="Calls that finally failed (no answer).")
    parse_failures: int = Field(0, description="Answers that gave no labels.")
    partial: int = Field(0, description="Answers cut off or malformed whose complete "
                         "key/value pairs were salvaged (counted apart from failures).")
    salvaged_values: int = Field(0, description="Values in the salvaged answers.")
    parse_rate: float | None = Field(
        None, description="Share of the answers (call failures left out) that gave labels, "
        "whole or salvaged.")
    partial_rate: float | None = Field(None, description="Share of the answers salvaged.")
    micro_f1_without_salvage: float | None = Field(
        None, description="Micro F1 with the salvaged answers counted as parse failures "
        "(set by the caller, where any answer was salvaged).")


def salvaged(p: Prediction) -> bool:
    return p.partial and not p.error and not p.parse_error


def count_answers(preds: Sequence[Prediction]) -> AnswerCounts:
    calls = sum(1 for p in preds if p.error)
    failed = sum(1 for p in preds if p.parse_error and not p.error)
    partial = [p for p in preds if salvaged(p)]
    answered = len(preds) - calls
    counts = AnswerCounts(
        predictions=len(preds), call_failures=calls, parse_failures=failed,
        partial=len(partial), salvaged_values=sum(len(v) for p in partial
                                                  for v in p.fields.values()),
    )
    if answered and any(p.raw is not None for p in preds if not p.error):
        counts.parse_rate = round((answered - failed) / answered, 4)
        counts.partial_rate = round(len(partial) / answered, 4)
    return counts


def without_salvage(preds: Sequence[Prediction]) -> list[Prediction]:
    """The predictions with every salvaged answer a parse failure (as before salvage)."""
    return [p.model_copy(update={"fields": {}, "partial": False,
                                 "parse_error": "cut off or malformed (not salvaged)"})
            if salvaged(p) else p for p in preds]


def describe_answers(counts: AnswerCounts, micro_f1: float | None = None) -> str | None:
    """One sentence on how the answers parsed (None: they hold no model answers)."""
    if counts.parse_rate is None:
        return None
    answered = counts.predictions - counts.call_failures
    line = (f"{answered - counts.parse_failures} of {answered} answers parsed "
            f"({counts.parse_rate:.1%})")
    if counts.partial:
        line += (f"; {counts.partial} ({(counts.partial_rate or 0):.1%}) were cut off or "
                 f"malformed and {counts.salvaged_values} complete values were salvaged "
                 "from them")
        if micro_f1 is not None and counts.micro_f1_without_salvage is not None:
            line += (f" (micro F1 {micro_f1:.3f}; {counts.micro_f1_without_salvage:.3f} "
                     "without salvage)")
    return line + "."


__all__ = ["AnswerCounts", "count_answers", "describe_answers", "salvaged", "without_salvage"]
