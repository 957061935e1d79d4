"""What the HTML report's tables show, as plain data for ``templates/report.html.j2``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..results import PairDetail, RoundResult, RunResult
from ..scoring.stats import Difference, FieldMetrics
from .answers import parsed_cell
from .summary import WRONG, RoundCost, best_round, round_cost, wrong_documents


@dataclass
class RoundRow:
    """One round in the rounds table."""

    round: RoundResult
    best: bool
    micro: FieldMetrics
    diff: Difference | None
    better: int
    worse: int
    cost: RoundCost
    parsed: str = "-"  # % of answers that gave labels (and % salvaged)


def round_rows(result: RunResult) -> list[RoundRow]:
    scorer, best = result.primary_scorer, best_round(result).name
    rows = []
    for r in result.rounds:
        comp = r.vs_reference.get(scorer)
        fields = comp.fields.values() if comp else []
        rows.append(RoundRow(
            round=r, best=r.name == best, micro=r.scores[scorer].micro,
            diff=comp.micro if comp else None,
            better=sum(d.significant and d.delta > 0 for d in fields),
            worse=sum(d.significant and d.delta < 0 for d in fields),
            cost=round_cost(result, r), parsed=parsed_cell(r)))
    return rows


@dataclass
class FieldCell:
    metrics: FieldMetrics
    diff: Difference | None


def field_rows(result: RunResult) -> list[tuple[str, list[FieldCell]]]:
    """Per field (and micro): every round's P/R/F1 and paired difference."""
    scorer = result.primary_scorer
    rows = []
    for name in [*result.fields, "micro"]:
        cells = []
        for r in result.rounds:
            s = r.scores[scorer]
            comp = r.vs_reference.get(scorer)
            cells.append(FieldCell(
                metrics=s.micro if name == "micro" else s.fields[name],
                diff=None if comp is None else comp.micro if name == "micro"
                else comp.fields.get(name)))
        rows.append((name, cells))
    return rows


@dataclass
class Sweep:
    """A trained round's trials: swept params and metrics as columns."""

    round: str
    params: list[str]
    metrics: list[str]
    trials: list[Any] = field(default_factory=list)


def sweeps(result: RunResult) -> list[Sweep]:
    """One table per trained round (its params and metric names as columns)."""
    out = []
    for r in result.rounds:
        if not r.trials:
            continue
        params = list(dict.fromkeys(k for t in r.trials for k in t.params))
        metrics = list(dict.fromkeys(k for t in r.trials for k in sorted(t.metrics)
                                     if "/" not in k))
        out.append(Sweep(r.name, params, metrics, list(r.trials)))
    return out


@dataclass
class WrongDoc:
    id: str
    rows: list[tuple[PairDetail, PairDetail | None]]


def wrong_docs(result: RunResult, limit: int = 3) -> list[WrongDoc]:
    """Documents the best round still gets wrong, each wrong field with the reference's."""
    ref = result.round(result.reference_round)
    ref_by = {(d.id, d.field): d for d in ref.details}
    return [WrongDoc(doc, [(d, ref_by.get((d.id, d.field))) for d in details])
            for doc, details in wrong_documents(best_round(result), limit)]


def _context(d: PairDetail) -> list[Any] | None:
    c = d.context
    if c is None:
        return None
    return [c.start, c.text, [list(x) for x in c.gold], [list(x) for x in c.pred], c.seen]


def error_data(result: RunResult) -> dict[str, Any]:
    """The error browser's data: one row per (document, field) that is not TN in some round.

    Row: ``[doc, field, gold, [[outcome, predicted, context], ...one per round]]``; a
    wrong pair's context is ``[start, text, gold spans, predicted spans, seen]`` (the
    document text around its values, spans in document characters), else null.
    """
    names = [r.name for r in result.rounds]
    docs: dict[str, int] = {}
    cells: dict[tuple[str, str], dict[str, PairDetail]] = {}
    gold: dict[tuple[str, str], list[str]] = {}
    for r in result.rounds:
        for d in r.details:
            docs.setdefault(d.id, len(docs))
            cells.setdefault((d.id, d.field), {})[r.name] = d
            gold[(d.id, d.field)] = d.gold
    order = {f: i for i, f in enumerate(result.fields)}
    keys = sorted(cells, key=lambda k: (docs[k[0]], order.get(k[1], len(order)), k[1]))
    rows = []
    for key in keys:
        by_round = cells[key]
        row: list[list[Any]] = [
            [by_round[n].outcome, by_round[n].pred, _context(by_round[n])]
            if n in by_round else ["tn", [], None] for n in names]
        rows.append([key[0], key[1], gold[key], row])
    return {"rounds": names, "best": best_round(result).name,
            "reference": result.reference_round, "n_docs": len(docs), "rows": rows,
            "wrong": list(WRONG)}


__all__ = ["FieldCell", "RoundRow", "Sweep", "WrongDoc", "error_data", "field_rows",
           "round_rows", "sweeps", "wrong_docs"]
