"""A run's results in the terminal: headline, per-field tables, rounds, funnel, sweeps."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from ..results import RoundResult, RunResult
from ..scoring.stats import Difference, FieldMetrics
from .answers import parsed_cell, salvage_lines
from .costs import resent_line
from .decisions_render import decision_renderables
from .significance import Rule
from .summary import best_round, headline, in_currency, pct, round_cost, train_text
from .terminal import (
    Cell,
    Col,
    Group,
    delta_cell,
    fitted,
    interval_cell,
    number,
    p_cell,
    score_cell,
)


def _metrics(result: RunResult, r: RoundResult, field: str) -> FieldMetrics | None:
    s = r.scores.get(result.primary_scorer)
    if s is None:
        return None
    return s.micro if field == "micro" else s.fields.get(field)


def _diff(result: RunResult, r: RoundResult, field: str) -> Difference | None:
    comp = r.vs_reference.get(result.primary_scorer)
    if comp is None:
        return None
    return comp.micro if field == "micro" else comp.macro if field == "macro" \
        else comp.fields.get(field)


def _f1(result: RunResult, r: RoundResult, field: str, compact: bool) -> Cell:
    s = r.scores.get(result.primary_scorer)
    if field == "macro" and s is not None:
        return score_cell(s.macro_f1, s.macro_f1_low, s.macro_f1_high, compact)
    return interval_cell(_metrics(result, r, field), compact)


def _field_key(result: RunResult, rows: list[str]) -> Group:
    cells = [[Text(f, style="bold") if f in ("micro", "macro") else f] for f in rows]
    return Group([Col("field", justify="left")], cells)


def bullets(items: list[Text]) -> Table:
    """Bullet points whose wrapped lines hang under their text, not under the bullet."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for item in items:
        grid.add_row("•", item)
    return grid


def intro(result: RunResult) -> list[RenderableType]:
    rule = Rule.of_run(result)
    lines: list[RenderableType] = [
        Text(result.name, style="bold"),
        Text(f"Hold-out {result.n_holdout} documents, train {train_text(result)}; scorer "
             f"{result.primary_scorer}. Scores in %; Δ = paired difference to "
             f"{result.reference_round} in points. {rule.legend()}", style="dim"),
        Text(""),
    ]
    h = headline(result)
    best = best_round(result)
    micro = best.scores[result.primary_scorer].micro
    items = [Text(f"Best round: {best.name} (micro F1 {interval_cell(micro, False)})")]
    if h.best == h.reference:
        items.append(Text(f"No round beats the reference round {h.reference}."))
    else:
        if h.micro is not None:
            items.append(Text(f"Micro F1 vs {h.reference}: {rule.describe(h.micro)} "
                              f"({rule.verdict(h.micro)})"))
        for label, group, style in (("better", h.improved, "green"), ("worse", h.worse, "red")):
            if group:
                listed = ", ".join(f"{f} {pct(d.delta, True)}" for f, d in group.items())
                items.append(Text(f"Significantly {label} in {h.best}: ", style=style)
                             + Text(listed))
    return [*lines, bullets(items)]


def f1_tables(result: RunResult, width: int) -> Sequence[RenderableType]:
    rows = [*result.fields, "micro", "macro"]
    others = [r for r in result.rounds if r.name != result.reference_round]
    key = _field_key(result, rows)

    def groups(compact: bool) -> list[Group]:
        out = []
        for r in result.rounds:
            cols = [Col(r.name)]
            cells = [[_f1(result, r, f, compact)] for f in rows]
            if r in others:
                cols.append(Col(f"Δ {r.name}" if not compact else "Δ"))
                cells = [[*c, delta_cell(_diff(result, r, f))] for c, f in zip(cells, rows,
                                                                               strict=True)]
            out.append(Group(cols, cells))
        return out

    conf = round(100 * result.confidence)
    return fitted(key, [groups(False), groups(True)], width, [
        f"F1 per field ({conf}% bootstrap intervals)",
        f"F1 per field (± half the width of the {conf}% bootstrap interval)"])


def paired_tables(result: RunResult, width: int) -> Sequence[RenderableType]:
    others = [r for r in result.rounds if r.name != result.reference_round]
    if not others:
        return []
    rows = [*result.fields, "micro", "macro"]
    key = _field_key(result, rows)

    rule = Rule.of_run(result)

    def groups(wide: bool) -> list[Group]:
        out = []
        for r in others:
            diffs = [_diff(result, r, f) for f in rows]
            if wide:
                cells = [["" if d is None else
                          f"{pct(d.delta, True)} [{pct(d.low, True)}, {pct(d.high, True)}]",
                          p_cell(d, mark=not rule.corrected)] for d in diffs]
            else:
                cells = [[delta_cell(d, interval=True, mark=False),
                          p_cell(d, mark=not rule.corrected)] for d in diffs]
            cols = [Col(f"Δ {r.name}"), Col("p")]
            if rule.corrected:
                cols.append(Col(f"p {rule.name}"))
                cells = [[*c, p_cell(d, adjusted=True)] for c, d in zip(cells, diffs,
                                                                        strict=True)]
            out.append(Group(cols, cells))
        return out

    title = (f"Paired differences vs {result.reference_round} (points; raw "
             f"{round(100 * result.confidence)}% interval, two-sided p"
             + (f", {rule.name}-adjusted p)" if rule.corrected else ")"))
    return fitted(key, [groups(True), groups(False)], width, title)


def pr_tables(result: RunResult, width: int) -> Sequence[RenderableType]:
    rows = [*result.fields, "micro"]
    key = _field_key(result, rows)
    groups = []
    for r in result.rounds:
        cells = []
        for f in rows:
            m = _metrics(result, r, f)
            cells.append(["-" if m is None else f"{pct(m.precision)} / {pct(m.recall)}"])
        groups.append(Group([Col(r.name)], cells))
    return fitted(key, [groups], width, "Precision / recall per field")


def rounds_tables(result: RunResult, width: int) -> Sequence[RenderableType]:
    key_cells, wide, compact = [], [], []
    for r in result.rounds:
        s = r.scores[result.primary_scorer].micro
        c = round_cost(result, r)
        key_cells.append([r.name])
        wide.append([r.kind, f"{r.n_train_real} + {r.n_train_synthetic}", pct(s.precision),
                     pct(s.recall), pct(s.f1), parsed_cell(r), str(r.parse_failures),
                     str(r.call_failures), f"{c.tokens:,}", f"{c.inference.cost:.4f}",
                     f"{c.data.cost:.4f}"])
        compact.append([f"{r.n_train_real}+{r.n_train_synthetic}", pct(s.precision),
                        pct(s.recall), pct(s.f1), parsed_cell(r, partial=False),
                        f"{r.parse_failures}/{r.call_failures}", f"{c.tokens:,}",
                        f"{c.cost:.4f}"])
    key = Group([Col("round", justify="left")], key_cells)
    wide_cols = [Col("kind", justify="left"), Col("train real + synthetic"), Col("P"),
                 Col("R"), Col("F1"), Col("parsed %"), Col("parse failures"),
                 Col("call failures"),
                 Col("tokens"), Col(in_currency(result, "inference cost")),
                 Col(in_currency(result, "data cost"))]
    compact_cols = [Col("train"), Col("P"), Col("R"), Col("F1"), Col("parsed %"),
                    Col("failed parse/call"),
                    Col("tokens"), Col(in_currency(result, "cost"))]
    tables = fitted(key, [[Group(wide_cols, wide)], [Group(compact_cols, compact)]], width,
                    "Rounds (micro-averaged)")
    extra: list[RenderableType] = []
    salvaged = salvage_lines(result)
    if salvaged:
        extra.append(Text("Salvaged answers (their complete key/value pairs are scored): "
                          + " ".join(salvaged)))
    resent = resent_line(result)
    if resent:
        extra.append(Text(resent))
    return [*tables, *extra]


def other_scorers(result: RunResult) -> list[RenderableType]:
    out: list[RenderableType] = []
    for label in result.scorers:
        if label == result.primary_scorer:
            continue
        values = ", ".join(f"{r.name} {interval_cell(r.scores[label].micro, True)}"
                           for r in result.rounds if label in r.scores)
        out.append(Text(f"Micro F1 with scorer {label}: {values}"))
    return out


def funnel_tables(result: RunResult, width: int) -> Sequence[RenderableType]:
    if not result.funnel:
        return []
    judges = list(dict.fromkeys(j for b in result.funnel for j in b.passed))
    key = Group([Col("batch"), Col("generated")],
                [[str(b.batch), str(b.generated)] for b in result.funnel])
    groups = [Group([Col(f"passed {j}")], [[str(b.passed.get(j, 0))] for b in result.funnel])
              for j in judges]
    groups.append(Group([Col("used"), Col(in_currency(result, "cost"))],
                        [[str(b.accepted), f"{b.usage.cost:.4f}"] for b in result.funnel]))
    return fitted(key, [groups], width, "Synthetic data (judges in order)")


def sweep_tables(result: RunResult, width: int) -> Sequence[RenderableType]:
    trained = [r for r in result.rounds if r.trials]
    if not trained:
        return []
    params = list(dict.fromkeys(k for r in trained for t in r.trials for k in t.params))
    metrics = list(dict.fromkeys(k for r in trained for t in r.trials for k in sorted(t.metrics)
                                 if "/" not in k))
    trials = [(r, t) for r in trained for t in r.trials]
    key_cols = [Col("round", justify="left"), Col("trial"),
                *(Col(p) for p in params), Col("selected", justify="center")]
    key_cells = [[r.name, str(t.index), *(str(t.params.get(p, "")) for p in params),
                  Text("✓", style="bold green") if t.selected else ""] for r, t in trials]
    groups = [Group([Col(m)], [[number(t.metrics[m]) if m in t.metrics else "-"]
                               for _, t in trials]) for m in metrics]
    return fitted(Group(key_cols, key_cells), [groups], width,
                  "Sweeps (per-field trial metrics are in report.json)")


def run_renderables(result: RunResult, width: int) -> list[RenderableType]:
    """Everything ``leasebench run`` prints about a run's results, fitted to ``width``."""
    out: list[RenderableType] = [*intro(result)]
    for part in (f1_tables, paired_tables, pr_tables, rounds_tables, funnel_tables,
                 sweep_tables):
        for renderable in part(result, width):
            out += [Text(""), renderable]
    scorers = other_scorers(result)
    if scorers:
        out += [Text(""), *scorers]
    out += decision_renderables(result, width)
    return out


__all__ = ["bullets", "intro", "run_renderables"]
