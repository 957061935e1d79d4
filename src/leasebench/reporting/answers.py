"""How a round's answers parsed, as report cells and lines: the parse rate with the
share salvaged from cut-off or malformed answers, and what salvage changed."""

from __future__ import annotations

from ..results import RoundResult, RunResult
from .summary import pct


def parsed_cell(r: RoundResult, partial: bool = True) -> str:
    """'87.5 (62.5 partial)': % of answers that gave labels and, of all answers, the %
    salvaged; '-' where the round has no model answers (e.g. a CRF)."""
    if r.parse_rate is None:
        return "-"
    if partial and r.partial_rate:
        return f"{pct(r.parse_rate)} ({pct(r.partial_rate)} partial)"
    return pct(r.parse_rate)


def salvage_lines(result: RunResult) -> list[str]:
    """One sentence per round with salvaged answers: how many, and F1 with and without."""
    out = []
    for r in result.rounds:
        if not r.partial_answers:
            continue
        score = r.scores.get(result.primary_scorer)
        f1 = "" if score is None or r.micro_f1_without_salvage is None else (
            f"; micro F1 {pct(score.micro.f1)}, without salvage "
            f"{pct(r.micro_f1_without_salvage)}")
        answered = r.n_predictions - r.call_failures
        out.append(f"{r.name}: {r.partial_answers} of {answered} answers cut off or malformed, "
                   f"{r.salvaged_values} field values salvaged from them{f1}.")
    return out


__all__ = ["parsed_cell", "salvage_lines"]
