"""Reporter ``csv``: fields.csv, one row per (round, scorer, field) with counts and metrics."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import ClassVar

from ..cells import safe_row
from ..components import NoParams, Reporter
from ..io import atomic_write_text
from ..results import RunResult
from ..scoring.stats import Difference, FieldMetrics

COLUMNS = (
    "round", "kind", "scorer", "field", "n_train_synthetic", "tp", "fp", "fn", "tn", "support",
    "precision", "recall", "f1", "f1_low", "f1_high", "reference", "delta", "delta_low",
    "delta_high", "p_value", "mcnemar_p", "significant",
)


def _num(x: float | None) -> str:
    return "" if x is None else repr(float(x))


def _metric_cells(m: FieldMetrics | None, f1: float | None = None,
                  low: float | None = None, high: float | None = None) -> list[str]:
    if m is None:
        return ["", "", "", "", "", "", "", _num(f1), _num(low), _num(high)]
    return [str(m.tp), str(m.fp), str(m.fn), str(m.tn), str(m.support), _num(m.precision),
            _num(m.recall), _num(m.f1), _num(m.f1_low), _num(m.f1_high)]


def _diff_cells(d: Difference | None) -> list[str]:
    if d is None:
        return ["", "", "", "", "", ""]
    return [_num(d.delta), _num(d.low), _num(d.high), _num(d.p_value), _num(d.mcnemar_p),
            "true" if d.significant else "false"]


def render_csv(result: RunResult) -> str:
    """fields.csv text: per-field rows, then ``micro`` and ``macro`` rows, per round and scorer.

    Metrics are fractions (0..1); delta columns are the paired difference to the reference
    round (empty on the reference round itself).
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in result.rounds:
        for label in result.scorers:
            s = r.scores.get(label)
            if s is None:
                continue
            comp = r.vs_reference.get(label)
            ref = "" if r.name == result.reference_round else result.reference_round
            head = [r.name, r.kind, label]
            for field in [*result.fields, "micro", "macro"]:
                if field == "macro":
                    cells = _metric_cells(None, s.macro_f1, s.macro_f1_low, s.macro_f1_high)
                    d = comp.macro if comp else None
                elif field == "micro":
                    cells, d = _metric_cells(s.micro), comp.micro if comp else None
                else:
                    cells = _metric_cells(s.fields.get(field))
                    d = comp.fields.get(field) if comp else None
                writer.writerow(safe_row([*head, field, r.n_train_synthetic, *cells, ref,
                                          *_diff_cells(d)]))
    return buf.getvalue()


class CsvReporter(Reporter[NoParams]):
    """fields.csv: one row per (round, scorer, field) incl. micro and macro."""

    name: ClassVar[str] = "csv"
    version: ClassVar[str] = "1"

    def report(self, result: RunResult, out_dir: Path) -> list[Path]:
        path = out_dir / "fields.csv"
        atomic_write_text(path, render_csv(result))
        return [path]


__all__ = ["COLUMNS", "CsvReporter", "render_csv"]
