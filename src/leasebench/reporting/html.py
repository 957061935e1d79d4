"""Reporter ``html``: one self-contained report.html (inline SVG charts, CSS and script).

Rendered from ``templates/report.html.j2`` by ``html_env.render_page``: every value is
escaped by construction and a Content-Security-Policy forbids any load and any script but
the page's own. Open the file from disk, offline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from ..components import NoParams, Reporter
from ..io import atomic_write_text
from ..results import RunResult
from . import html_tables as tables
from .answers import salvage_lines
from .costs import cost_view, resent_line
from .coverage_render import HEADER as COVERAGE_HEADER
from .coverage_render import coverage_rows
from .decisions_view import decision_sections
from .html_assets import CSS, JS
from .html_charts import cost_scatter, field_bars, funnel_chart, learning_curve
from .html_env import render_page
from .html_sections import cost_rows, diversity_rows, seed_rows
from .significance import Rule
from .summary import best_round, headline, in_currency, round_cost, train_text


def _outcomes() -> list[tuple[str, str]]:
    return [("wrong", "wrong (fp, fn, mismatch)"), ("all", "any"),
            ("correct", "correct (tp, tn)"), ("mismatch", "mismatch"), ("fn", "fn (missed)"),
            ("fp", "fp (spurious)"), ("tp", "tp")]


def report_context(result: RunResult) -> dict[str, Any]:
    """Everything the report template shows, computed once."""
    best = best_round(result)
    ref = result.round(result.reference_round)
    curves = {f: learning_curve(result, f) for f in ["micro", "macro", *result.fields]}
    errors = tables.error_data(result)
    currency = result.currency
    rule = Rule.of_run(result)
    return {
        "r": result, "best": best, "ref": ref, "h": headline(result),
        "scorer": result.primary_scorer, "currency": currency,
        "best_cost": round_cost(result, best), "ref_cost": round_cost(result, ref),
        "conf": round(100 * result.confidence), "rule": rule, "train": train_text(result),
        "describe": lambda d: f"{rule.describe(d)}: {rule.verdict(d)}",
        "field_bars": field_bars(result), "curves": curves,
        "has_curve": any(c is not None for c in curves.values()),
        "cost_chart": cost_scatter(result, currency), "funnel": funnel_chart(result),
        "reasons": [(b.batch, j, rs) for b in result.funnel
                    for j, rs in sorted(b.reasons.items()) if rs],
        "warnings": list(result.warnings), "costs": cost_rows(result),
        "resent": resent_line(result),
        "best_view": cost_view(result, best), "ref_view": cost_view(result, ref),
        "money_head": lambda label: in_currency(result, label),
        "seeds": seed_rows(result), "diversity": diversity_rows(result),
        "rounds": tables.round_rows(result), "field_rows": tables.field_rows(result),
        "sweeps": tables.sweeps(result), "wrong_docs": tables.wrong_docs(result),
        "errors": errors, "outcomes": _outcomes(), "salvage": salvage_lines(result),
        "decisions": decision_sections(result, measured=True),
        "coverage": coverage_rows(result), "coverage_head": COVERAGE_HEADER,
    }


def render_html(result: RunResult) -> str:
    """The whole report as one self-contained HTML document."""
    return render_page("report.html.j2", css=CSS, js=JS, **report_context(result))


class HtmlReporter(Reporter[NoParams]):
    """report.html: charts, headline and an error browser in one offline file."""

    name: ClassVar[str] = "html"
    version: ClassVar[str] = "3"

    def report(self, result: RunResult, out_dir: Path) -> list[Path]:
        path = out_dir / "report.html"
        atomic_write_text(path, render_html(result))
        return [path]


__all__ = ["HtmlReporter", "render_html", "report_context"]
