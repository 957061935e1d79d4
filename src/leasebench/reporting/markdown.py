"""Reporter ``markdown``: per-field tables, paired differences, funnel, cost, sweeps."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from ..components import Reporter
from ..io import atomic_write_text
from ..scoring.stats import Difference, FieldMetrics
from .results import RunResult


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}"


def _f1(m: FieldMetrics) -> str:
    if m.f1_low is None or m.f1_high is None:
        return _pct(m.f1)
    return f"{_pct(m.f1)} [{_pct(m.f1_low)}, {_pct(m.f1_high)}]"


def _diff(d: Difference | None) -> str:
    if d is None:
        return ""
    mark = " *" if d.significant else ""
    return f"{100 * d.delta:+.1f}{mark}"


def render_markdown(result: RunResult) -> str:
    """The whole report as Markdown text."""
    scorer = result.primary_scorer
    rounds = result.rounds
    ref = result.reference_round
    lines = [
        f"# {result.name}",
        "",
        f"Hold-out: {result.n_holdout} documents; train: {result.n_train} real. "
        f"Scorer: `{scorer}`. F1 in % with {round(100 * result.confidence)}% bootstrap "
        f"intervals; Δ = difference to `{ref}` (* = interval excludes zero).",
        "",
    ]
    header = ["field"] + [f"{r.name} F1" for r in rounds]
    header += [f"Δ {r.name}" for r in rounds if r.name != ref]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    rows = [*result.fields, "micro", "macro"]
    for field in rows:
        cells = [f"**{field}**" if field in ("micro", "macro") else field]
        for r in rounds:
            s = r.scores[scorer]
            if field == "micro":
                cells.append(_f1(s.micro))
            elif field == "macro":
                lo, hi = s.macro_f1_low, s.macro_f1_high
                extra = f" [{_pct(lo)}, {_pct(hi)}]" if lo is not None else ""
                cells.append(_pct(s.macro_f1) + extra)
            else:
                cells.append(_f1(s.fields[field]))
        for r in rounds:
            if r.name == ref:
                continue
            comp = r.vs_reference.get(scorer)
            if comp is None:
                cells.append("")
            elif field == "micro":
                cells.append(_diff(comp.micro))
            elif field == "macro":
                cells.append(_diff(comp.macro))
            else:
                cells.append(_diff(comp.fields.get(field)))
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "## Rounds", "", "| round | kind | train (real + synthetic) | P | R | F1 | "
              "parse failures | call failures | tokens | cost |", "|" + "---|" * 10]
    for r in rounds:
        m = r.scores[scorer].micro
        tokens = r.usage.prompt_tokens + r.usage.completion_tokens
        lines.append(
            f"| {r.name} | {r.kind} | {r.n_train_real} + {r.n_train_synthetic} | "
            f"{_pct(m.precision)} | {_pct(m.recall)} | {_pct(m.f1)} | {r.parse_failures} | "
            f"{r.call_failures} | {tokens} | {r.usage.cost:.4f} |"
        )
    for label in result.scorers:
        if label == scorer:
            continue
        lines += ["", f"Micro F1 with scorer `{label}`: " + ", ".join(
            f"{r.name} {_f1(r.scores[label].micro)}" for r in rounds)]
    if result.funnel:
        judges = sorted({j for b in result.funnel for j in b.passed})
        lines += ["", "## Synthetic data", "", "| batch | generated | "
                  + " | ".join(f"passed {j}" for j in judges) + " | accepted |",
                  "|" + "---|" * (3 + len(judges))]
        for b in result.funnel:
            lines.append(f"| {b.batch} | {b.generated} | "
                         + " | ".join(str(b.passed.get(j, 0)) for j in judges)
                         + f" | {b.accepted} |")
    trained = [r for r in rounds if r.trials]
    if trained:
        lines += ["", "## Sweeps", ""]
        for r in trained:
            lines.append(f"- **{r.name}**: " + "; ".join(
                ("**" if t.selected else "")
                + ", ".join(f"{k}={v}" for k, v in t.params.items()) + " → "
                + ", ".join(f"{k} {v:.4g}" for k, v in sorted(t.metrics.items()))
                + ("** (selected)" if t.selected else "")
                for t in r.trials))
    return "\n".join(lines) + "\n"


class MarkdownReporter(Reporter):
    """Markdown report: per-field F1 per round with intervals and paired differences."""

    name: ClassVar[str] = "markdown"
    version: ClassVar[str] = "1"

    def report(self, result: RunResult, out_dir: Path) -> list[Path]:
        path = out_dir / "report.md"
        atomic_write_text(path, render_markdown(result))
        return [path]


__all__ = ["MarkdownReporter", "render_markdown"]
