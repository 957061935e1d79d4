"""Past runs of an experiment and one metric across them.

A runs directory holds ``<experiment>/<run-id>/`` per run (the run id is the start of the
manifest hash, so every changed manifest is a new run and a re-run of the same manifest
updates its own). ``list_runs`` finds the finished ones (``run.json`` and
``report/report.json``) in time order with their headline numbers; ``metric_history``
follows one metric of one round across them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, Field

from ..errors import DataError
from ..results import RoundResult, RunResult
from .report_file import read_report
from .summary import best_round

RUN_FILE = "run.json"
REPORT = Path("report") / "report.json"


@dataclass(frozen=True)
class PastRun:
    """One finished run: where it is, when it ended, its results."""

    path: Path
    run_id: str
    finished: float  # seconds since the epoch: the end of its last stage
    result: RunResult

    @property
    def best(self) -> RoundResult:
        return best_round(self.result)


def _finished(run_dir: Path) -> float:
    try:
        meta = json.loads((run_dir / RUN_FILE).read_text(encoding="utf-8"))
        ends = [float(s["ended_at"]) for s in meta.get("stages", []) if "ended_at" in s]
    except (OSError, ValueError, TypeError, KeyError):
        ends = []
    return max(ends) if ends else (run_dir / REPORT).stat().st_mtime


def _experiment_dirs(root: Path) -> list[Path]:
    """``root`` itself when it holds runs, else its subdirectories that do."""
    if any((d / REPORT).is_file() for d in root.iterdir() if d.is_dir()):
        return [root]
    return sorted(d for d in root.iterdir() if d.is_dir()
                  and any((r / REPORT).is_file() for r in d.iterdir() if r.is_dir()))


def list_runs(root: Path, experiment: str | None = None) -> list[PastRun]:
    """Finished runs under ``root`` (a runs directory or one experiment's directory),
    oldest first; ``experiment`` keeps only runs of that name. A report that cannot be
    read is an error naming it."""
    root = Path(root)
    if not root.is_dir():
        raise DataError(f"{root}: not a directory of runs")
    out = []
    for exp in _experiment_dirs(root):
        for run_dir in sorted(d for d in exp.iterdir() if (d / REPORT).is_file()):
            result = read_report(run_dir / REPORT)
            if experiment is None or result.name == experiment:
                out.append(PastRun(run_dir, run_dir.name, _finished(run_dir), result))
    return sorted(out, key=lambda r: (r.finished, str(r.path)))


class HistoryPoint(BaseModel):
    """One run's value of the followed metric (F1 as a fraction, with its interval)."""

    run_id: str
    experiment: str
    finished: float
    round: str
    value: float
    low: float | None = None
    high: float | None = None


class History(BaseModel):
    """One metric of one round (or each run's best round) across past runs."""

    metric: str = Field(description="`micro`, `macro` or a field name.")
    round: str | None = Field(None, description="The round followed (None: each run's best).")
    points: list[HistoryPoint] = Field(default_factory=list)
    skipped: list[str] = Field(default_factory=list,
                               description="Runs without that round or metric, and why.")


def _value(result: RunResult, r: RoundResult, metric: str) -> tuple[float, float | None,
                                                                    float | None] | None:
    s = r.scores.get(result.primary_scorer)
    if s is None:
        return None
    if metric == "micro":
        return s.micro.f1, s.micro.f1_low, s.micro.f1_high
    if metric == "macro":
        return s.macro_f1, s.macro_f1_low, s.macro_f1_high
    m = s.fields.get(metric)
    return None if m is None else (m.f1, m.f1_low, m.f1_high)


def metric_history(runs: list[PastRun], metric: str = "micro",
                   round_name: str | None = None) -> History:
    """``metric`` of ``round_name`` (default: each run's best round) in every run."""
    h = History(metric=metric, round=round_name)
    for run in runs:
        try:
            r = run.result.round(round_name) if round_name else run.best
        except KeyError:
            h.skipped.append(f"{run.run_id}: no round {round_name!r}")
            continue
        v = _value(run.result, r, metric)
        if v is None:
            h.skipped.append(f"{run.run_id}: no {metric!r} in round {r.name}")
            continue
        h.points.append(HistoryPoint(run_id=run.run_id, experiment=run.result.name,
                                     finished=run.finished, round=r.name, value=v[0],
                                     low=v[1], high=v[2]))
    if runs and not h.points:
        fields = ", ".join(["micro", "macro", *runs[-1].result.fields])
        raise DataError(f"no run has {metric!r}" + (f" in round {round_name!r}" if round_name
                                                   else "") + f" (metrics: {fields})")
    return h


__all__ = ["History", "HistoryPoint", "PastRun", "list_runs", "metric_history"]
