"""The "Long documents" part of a report: per round, the windows, the truncated documents,
the share of the hold-out's text the model saw and the gold values it never saw."""

from __future__ import annotations

from ..results import RoundResult, RunResult

HEADER = ["round", "documents in windows", "windows", "truncated", "text seen %",
          "gold values never seen"]


def coverage_rows(result: RunResult) -> list[list[str]]:
    """One row per round whose extractor records what it saw, when any was long."""
    rounds = [r for r in result.rounds if r.coverage is not None]
    if not any(r.coverage.chunked or r.coverage.truncated for r in rounds if r.coverage):
        return []
    return [_row(r) for r in rounds]


def _row(r: RoundResult) -> list[str]:
    c = r.coverage
    assert c is not None
    return [r.name, f"{c.chunked} of {c.documents}", str(c.windows), str(c.truncated),
            f"{100 * c.seen_share:.1f}", str(c.unseen_gold)]


def coverage_lines(result: RunResult) -> list[str]:
    """The Markdown section (nothing when no document was long)."""
    rows = coverage_rows(result)
    if not rows:
        return []
    out = ["", "## Long documents", "",
           "Documents longer than a model's context go in overlapping windows whose answers "
           "are merged per field; a truncated document was seen only up to its cut.", "",
           "| " + " | ".join(HEADER) + " |",
           "|" + "|".join([" --- "] + [" ---: "] * (len(HEADER) - 1)) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


__all__ = ["HEADER", "coverage_lines", "coverage_rows"]
