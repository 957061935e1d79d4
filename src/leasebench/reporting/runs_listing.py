"""``leasebench runs``: past runs of the experiments under a runs directory, one row each
with its headline numbers (best round, its micro F1, its difference to the reference).

``listing(root, experiment)`` gives the rows; the terminal, Markdown and JSON renderings
below are what the command prints.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from pydantic import BaseModel
from rich.console import RenderableType
from rich.text import Text

from .history import PastRun, list_runs
from .significance import Rule
from .summary import pct
from .terminal import Col, Group, fitted, half_width, score_cell


class RunRow(BaseModel):
    """One past run's headline."""

    experiment: str
    run_id: str
    finished: str  # local time, minutes
    rounds: int
    holdout: int
    best_round: str
    best_micro_f1: float
    best_micro_low: float | None = None
    best_micro_high: float | None = None
    reference_round: str
    delta_micro_f1: float | None = None
    delta_low: float | None = None
    delta_high: float | None = None
    significant: bool | None = None
    verdict: str = ""
    path: str


def row_of(run: PastRun) -> RunRow:
    result, best = run.result, run.best
    scorer = result.primary_scorer
    micro = best.scores[scorer].micro
    row = RunRow(
        experiment=result.name, run_id=run.run_id,
        finished=time.strftime("%Y-%m-%d %H:%M", time.localtime(run.finished)),
        rounds=len(result.rounds), holdout=result.n_holdout, best_round=best.name,
        best_micro_f1=micro.f1, best_micro_low=micro.f1_low, best_micro_high=micro.f1_high,
        reference_round=result.reference_round, path=str(run.path),
    )
    comp = best.vs_reference.get(scorer)
    if comp is not None:
        d = comp.micro
        row.delta_micro_f1, row.delta_low, row.delta_high = d.delta, d.low, d.high
        row.significant, row.verdict = d.significant, Rule.of_run(result).verdict(d)
    return row


def listing(root: Path, experiment: str | None = None) -> list[RunRow]:
    """The finished runs under ``root`` (a runs directory or one experiment's), oldest
    first, each with its headline; ``experiment`` keeps one experiment's runs."""
    return [row_of(run) for run in list_runs(root, experiment)]


def _f1(row: RunRow) -> str:
    if row.best_micro_low is None or row.best_micro_high is None:
        return pct(row.best_micro_f1)
    return f"{pct(row.best_micro_f1)} [{pct(row.best_micro_low)}, {pct(row.best_micro_high)}]"


def _delta(row: RunRow, mark: bool = True) -> str:
    if row.delta_micro_f1 is None:
        return "reference is best" if row.best_round == row.reference_round else "-"
    sign = ("▲" if row.delta_micro_f1 > 0 else "▼") if row.significant and mark else ""
    return (f"{pct(row.delta_micro_f1, True)} [{pct(row.delta_low, True)}, "
            f"{pct(row.delta_high, True)}]{' ' + sign if sign else ''}")


def _compact_f1(row: RunRow) -> str:
    return score_cell(row.best_micro_f1, row.best_micro_low, row.best_micro_high, True)


def _compact_delta(row: RunRow) -> str:
    if row.delta_micro_f1 is None or row.delta_low is None or row.delta_high is None:
        return _delta(row)
    sign = ("▲" if row.delta_micro_f1 > 0 else "▼") if row.significant else ""
    return (f"{pct(row.delta_micro_f1, True)} ±{half_width(row.delta_low, row.delta_high)}"
            f"{sign}")


HEADER = ["experiment", "run", "finished", "rounds", "best round", "micro F1",
          "Δ vs reference", "directory"]


def _cells(row: RunRow) -> list[str]:
    return [row.experiment, row.run_id, row.finished, str(row.rounds), row.best_round,
            _f1(row), f"{_delta(row)} vs {row.reference_round}", row.path]


def runs_markdown(rows: list[RunRow]) -> str:
    if not rows:
        return "No finished runs.\n"
    lines = ["| " + " | ".join(HEADER) + " |", "|" + " --- |" * len(HEADER)]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in _cells(r)) + " |"
              for r in rows]
    return "\n".join(lines) + "\n\n▲/▼: significant by the run's own rule (its report says " \
        "which correction).\n"


def runs_json(rows: list[RunRow]) -> str:
    return json.dumps([r.model_dump(mode="json") for r in rows], indent=2) + "\n"


def runs_renderables(rows: list[RunRow], width: int) -> list[RenderableType]:
    """The rows as a table fitted to ``width`` (the directory column dropped first)."""
    if not rows:
        return [Text("No finished runs.")]
    key = Group([Col("experiment / run", justify="left")],
                [[f"{r.experiment}/{r.run_id}"] for r in rows])

    def groups(wide: bool) -> list[Group]:
        cols = [Col("finished", justify="left"), Col("rounds"), Col("best round",
                                                                   justify="left"),
                Col("micro F1"), Col("Δ vs reference")]
        if wide:
            cells = [[r.finished, str(r.rounds), r.best_round, _f1(r),
                      f"{_delta(r)} vs {r.reference_round}", r.path] for r in rows]
            cols.append(Col("directory", justify="left"))
        else:  # month-day time, no round count: fits 80 columns
            cols = [c for c in cols if c.header != "rounds"]
            cells = [[r.finished[5:], r.best_round, _compact_f1(r), _compact_delta(r)]
                     for r in rows]
        return [Group([col], [[c[i]] for c in cells]) for i, col in enumerate(cols)]

    return [*fitted(key, [groups(True), groups(False)], width, "Past runs (oldest first)"),
            Text("▲/▼: significant by each run's own rule (its report says which "
                 "correction).", style="dim")]


__all__ = ["RunRow", "listing", "row_of", "runs_json", "runs_markdown", "runs_renderables"]
