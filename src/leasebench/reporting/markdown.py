"""Reporter ``markdown``: per-field tables, paired differences, funnel, cost, sweeps."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from ..components import NoParams, Reporter
from ..io import atomic_write_text
from ..results import RoundResult, RunResult
from ..scoring.stats import Difference, FieldMetrics
from .answers import parsed_cell, salvage_lines
from .coverage_render import coverage_lines
from .decisions_render import decisions_markdown
from .markdown_sections import (
    cost_section,
    diversity_lines,
    honesty_lines,
    seeds_section,
    warnings_section,
)
from .significance import Rule
from .summary import best_round, headline, in_currency, pct, round_cost, train_text

UP, DOWN = "▲", "▼"


def _f1(m: FieldMetrics | None) -> str:
    if m is None:
        return "-"
    if m.f1_low is None or m.f1_high is None:
        return pct(m.f1)
    return f"{pct(m.f1)} [{pct(m.f1_low)}, {pct(m.f1_high)}]"


def _diff(d: Difference | None) -> str:
    """Compact paired difference: '+15.2 ▲' when significant, '+3.1' when not."""
    if d is None:
        return ""
    if not d.significant:
        return pct(d.delta, True)
    return f"**{pct(d.delta, True)} {UP if d.delta > 0 else DOWN}**"


def _row(result: RunResult, r: RoundResult, field: str) -> FieldMetrics | None:
    s = r.scores.get(result.primary_scorer)
    if s is None:
        return None
    return s.micro if field == "micro" else s.fields.get(field)


def _table(header: list[str], rows: list[list[str]], left: int = 1) -> list[str]:
    """A Markdown table; a ``|`` or line break inside a cell cannot break it."""
    align = ["---"] * left + ["--:"] * (len(header) - left)

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(_cell(c) for c in cells) + " |"

    return [line(header), "| " + " | ".join(align) + " |", *(line(row) for row in rows)]


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _headline(result: RunResult) -> list[str]:
    h = headline(result)
    best = best_round(result)
    lines = [f"- Best round: **{best.name}** (micro F1 "
             f"{_f1(best.scores[result.primary_scorer].micro)})."]
    if h.best == h.reference:
        return [*lines, f"- No round beats the reference round `{h.reference}`.",
                *honesty_lines(result), ""]
    if h.micro is not None:
        rule = Rule.of_run(result)
        lines.append(f"- Micro F1 vs `{h.reference}`: {rule.describe(h.micro)} "
                     f"({rule.verdict(h.micro)}).")
    for label, group in (("improved", h.improved), ("worse", h.worse)):
        items = ", ".join(f"{f} {pct(d.delta, True)}" for f, d in group.items()) or "none"
        lines.append(f"- Fields significantly {label} in `{h.best}` vs `{h.reference}`: {items}.")
    return [*lines, *honesty_lines(result), ""]


def _field_tables(result: RunResult) -> list[str]:
    rounds, ref = result.rounds, result.reference_round
    others = [r for r in rounds if r.name != ref]
    rows = []
    for field in [*result.fields, "micro", "macro"]:
        cells = [f"**{field}**" if field in ("micro", "macro") else field]
        for r in rounds:
            s = r.scores.get(result.primary_scorer)
            if field == "macro" and s is not None:
                extra = f" [{pct(s.macro_f1_low)}, {pct(s.macro_f1_high)}]" \
                    if s.macro_f1_low is not None else ""
                cells.append(pct(s.macro_f1) + extra)
            else:
                cells.append(_f1(_row(result, r, field)))
        for r in others:
            comp = r.vs_reference.get(result.primary_scorer)
            d = None if comp is None else comp.micro if field == "micro" else \
                comp.macro if field == "macro" else comp.fields.get(field)
            cells.append(_diff(d))
        rows.append(cells)
    header = ["field", *(f"{r.name} F1" for r in rounds), *(f"Δ {r.name}" for r in others)]
    lines = ["## F1 per field", "", *_table(header, rows), ""]
    pr_rows = [[field, *(_pr(_row(result, r, field)) for r in rounds)]
               for field in [*result.fields, "micro"]]
    lines += ["## Precision / recall per field", "",
              *_table(["field", *(f"{r.name} P / R" for r in rounds)], pr_rows), ""]
    if others:
        rule = Rule.of_run(result)
        d_rows = []
        for field in [*result.fields, "micro", "macro"]:
            cells = [field]
            for r in others:
                comp = r.vs_reference.get(result.primary_scorer)
                d = None if comp is None else comp.micro if field == "micro" else \
                    comp.macro if field == "macro" else comp.fields.get(field)
                cells.append("" if d is None else rule.describe(d)
                             + (f" {UP if d.delta > 0 else DOWN}" if d.significant else ""))
            d_rows.append(cells)
        lines += [f"## Paired differences vs `{ref}`", "",
                  f"Raw {round(100 * result.confidence)}% interval and two-sided p"
                  + (f", then the {rule.name}-adjusted p that sets ▲/▼." if rule.corrected
                     else "; ▲/▼ where the interval excludes zero."), "",
                  *_table(["field", *(f"{r.name} vs {ref}" for r in others)], d_rows), ""]
    return lines


def _pr(m: FieldMetrics | None) -> str:
    return "-" if m is None else f"{pct(m.precision)} / {pct(m.recall)}"


def _rounds(result: RunResult) -> list[str]:
    rows = []
    for r in result.rounds:
        m = r.scores[result.primary_scorer].micro
        c = round_cost(result, r)
        rows.append([r.name, r.kind, r.arm or "-", f"{r.n_train_real} + {r.n_train_synthetic}"
                     + (f" (dev {r.n_dev})" if r.n_dev else ""), pct(m.precision),
                     pct(m.recall), pct(m.f1), parsed_cell(r), str(r.parse_failures),
                     str(r.call_failures), f"{c.tokens:,}", f"{c.inference.cost:.4f}",
                     f"{c.data.cost:.4f}"])
    header = ["round", "kind", "arm", "train (real + synthetic)", "P", "R", "F1", "parsed %",
              "parse failures", "call failures", "tokens", in_currency(result, "inference cost"),
              in_currency(result, "data cost")]
    salvaged = salvage_lines(result)
    return ["## Rounds", "", *_table(header, rows, left=3),
            *(["", "Salvaged answers (their complete key/value pairs are scored):", "",
               *(f"- {line}" for line in salvaged)] if salvaged else [])]


def _number(value: float) -> str:
    if float(value).is_integer() and abs(value) >= 1:
        return f"{int(value):,}"
    return f"{value:.4g}"


def _sweeps(result: RunResult) -> list[str]:
    """One row per trial: its swept params, its metrics, whether it was selected."""
    trained = [r for r in result.rounds if r.trials]
    if not trained:
        return []
    params = list(dict.fromkeys(k for r in trained for t in r.trials for k in t.params))
    metrics = list(dict.fromkeys(k for r in trained for t in r.trials
                                 for k in sorted(t.metrics) if "/" not in k))
    rows = [[r.name, str(t.index), *(str(t.params[p]) if p in t.params else "" for p in params),
             *(_number(t.metrics[m]) if m in t.metrics else "-" for m in metrics),
             "**✓**" if t.selected else "tied" if t.tied else ""]
            for r in trained for t in r.trials]
    header = ["round", "trial", *params, *metrics, "selected"]
    return ["", "## Sweeps", "", "Per-field trial metrics are in report.json.", "",
            *_table(header, rows, left=1)]


def render_markdown(result: RunResult) -> str:
    """The whole report as Markdown text."""
    scorer, ref = result.primary_scorer, result.reference_round
    lines = [
        f"# {result.name}",
        "",
        f"Hold-out: {result.n_holdout} documents; train: {train_text(result)}. "
        f"Scorer: `{scorer}`. Scores in % with {round(100 * result.confidence)}% bootstrap "
        f"intervals; Δ = paired difference to `{ref}` in points. "
        + Rule.of_run(result).legend("**Bold ▲/▼**"),
        "",
        *_headline(result),
        *_field_tables(result),
        *_rounds(result),
        *coverage_lines(result),
        *cost_section(result),
        *seeds_section(result),
    ]
    for label in result.scorers:
        if label != scorer:
            lines += ["", f"Micro F1 with scorer `{label}`: " + ", ".join(
                f"{r.name} {_f1(r.scores[label].micro)}" for r in result.rounds)]
    if result.funnel:
        judges = list(dict.fromkeys(j for b in result.funnel for j in b.passed))
        rows = [[str(b.batch), str(b.generated), *(str(b.passed.get(j, 0)) for j in judges),
                 str(b.accepted), f"{b.usage.cost:.4f}"] for b in result.funnel]
        header = ["batch", "generated", *(f"passed {j}" for j in judges), "used",
                  in_currency(result, "cost")]
        lines += ["", "## Synthetic data", "", *_table(header, rows), *diversity_lines(result)]
    lines += _sweeps(result)
    lines += decisions_markdown(result)
    lines += warnings_section(result)
    return "\n".join(lines) + "\n"


class MarkdownReporter(Reporter[NoParams]):
    """Markdown report: per-field F1 per round with intervals and paired differences."""

    name: ClassVar[str] = "markdown"
    version: ClassVar[str] = "3"

    def report(self, result: RunResult, out_dir: Path) -> list[Path]:
        path = out_dir / "report.md"
        atomic_write_text(path, render_markdown(result))
        return [path]


__all__ = ["MarkdownReporter", "render_markdown"]
