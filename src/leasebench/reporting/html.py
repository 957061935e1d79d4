"""Reporter ``html``: one self-contained report.html (inline SVG charts, CSS and script).

Nothing is loaded from the network: open the file from disk, offline.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

from .. import __version__
from ..components import NoParams, Reporter
from ..io import atomic_write_text
from .html_assets import CSS, JS
from .html_charts import cost_scatter, field_bars, funnel_chart, learning_curve
from .html_sections import costs_section, diversity_table, seeds_section, warnings_section
from .html_svg import esc
from .html_tables import error_data, rounds_table, sweeps_table, wrong_docs_section
from .results import RunResult
from .summary import best_round, describe_diff, headline, pct, round_cost


def _f1(m: Any) -> str:
    if m.f1_low is None:
        return pct(m.f1)
    return f"{pct(m.f1)} [{pct(m.f1_low)}, {pct(m.f1_high)}]"


def _chips(items: dict[str, Any], cls: str) -> str:
    return "".join(f'<span class="chip {cls}" title="{esc(describe_diff(d))}">{esc(f)} '
                   f"{pct(d.delta, True)}</span>" for f, d in items.items())


def headline_section(result: RunResult) -> str:
    """The answer first: best round, significant field changes, cost."""
    best = best_round(result)
    h = headline(result)
    ref = result.round(result.reference_round)
    scorer = result.primary_scorer
    bc, rc = round_cost(result, best), round_cost(result, ref)
    m = best.scores[scorer].micro
    if h.micro is not None:
        verdict = "significant" if h.micro.significant else "not significant"
        vs = (f'<span class="{"up" if h.micro.delta > 0 else "down"}">'
              f"{pct(h.micro.delta, True)} points</span> vs <b>{esc(h.reference)}</b> "
              f"[{pct(h.micro.low, True)}, {pct(h.micro.high, True)}], {verdict}")
    else:
        vs = f"the reference round <b>{esc(h.reference)}</b> is the best round"
    kpis = [
        ("best round", best.name, f"{best.n_train_synthetic} synthetic training samples"),
        ("micro F1 of best round", _f1(m), f"{ref.name}: {_f1(ref.scores[scorer].micro)}"),
        ("fields significantly improved", f"{len(h.improved)} of {len(result.fields)}",
         f"{len(h.worse)} significantly worse"),
        ("cost of best round", f"{bc.cost:.4f}",
         f"{bc.tokens:,} tokens; {ref.name}: {rc.cost:.4f}"),
    ]
    cards = "".join(f'<div class="kpi"><div class="k">{esc(k)}</div><div class="v">{esc(v)}'
                    f'</div><div class="k">{esc(s)}</div></div>' for k, v, s in kpis)
    parts = [
        '<section class="card" id="headline"><h2>Answer</h2>',
        f"<p>Best round <b>{esc(best.name)}</b>: micro F1 {_f1(m)}, {vs}.</p>",
        f'<div class="kpis">{cards}</div>',
    ]
    if h.best != h.reference:
        parts += [
            f"<h3>Fields significantly improved in {esc(h.best)} vs {esc(h.reference)}</h3>",
            f'<div class="chips">{_chips(h.improved, "up") or "<span class=ns>none</span>"}'
            "</div>",
            f"<h3>Fields significantly worse in {esc(h.best)} vs {esc(h.reference)}</h3>",
            f'<div class="chips">{_chips(h.worse, "down") or "<span class=ns>none</span>"}'
            "</div>",
            "<h3>No significant change</h3><div class=\"chips\">"
            + "".join(f'<span class="chip flat">{esc(f)}</span>' for f in h.unchanged)
            + "</div>",
        ]
    parts.append(
        f'<p class="hint">Significant: the {round(100 * result.confidence)}% paired bootstrap '
        "interval of the F1 difference excludes zero (same hold-out documents in both rounds). "
        "Hover a chip for the interval and p-value.</p></section>")
    return "".join(parts)


def _charts(result: RunResult) -> str:
    options = ["micro", "macro", *result.fields]
    lc = "".join(f'<div data-lc="{esc(f)}"{"" if f == "micro" else " hidden"}>'
                 f"{learning_curve(result, f)}</div>" for f in options)
    select = "".join(f'<option value="{esc(f)}">{esc(f)}</option>' for f in options)
    funnel = ""
    if result.funnel:
        reasons = "".join(
            f"<li>batch {b.batch}, <b>{esc(j)}</b>: " + "; ".join(esc(x) for x in rs) + "</li>"
            for b in result.funnel for j, rs in sorted(b.reasons.items()) if rs)
        funnel = ('<section class="card" id="funnel"><h2>Synthetic data funnel</h2>'
                  '<p class="hint">Samples generated per batch, how many passed each judge, '
                  f"and how many were used for training.</p>{funnel_chart(result)}"
                  + diversity_table(result)
                  + (f"<details><summary>Rejection reasons (examples)</summary><ul>{reasons}"
                     "</ul></details>" if reasons else "") + "</section>")
    return (
        '<section class="card" id="fields"><h2>F1 per field and round</h2>'
        f'<p class="hint">Δ columns: paired difference to <b>{esc(result.reference_round)}'
        "</b> in points; bold with ▲/▼ = significant.</p>"
        f"{field_bars(result)}</section>"
        '<div class="grid2"><section class="card" id="learning"><h2>Learning curve</h2>'
        '<div class="filters"><label for="lc-field">field</label>'
        f'<select id="lc-field">{select}</select></div>{lc}</section>'
        '<section class="card" id="cost"><h2>Cost against F1</h2>'
        '<p class="hint">Cost of serving each round\'s model per 1,000 documents; labels give '
        f"the one-off cost (synthetic data and training).</p>{cost_scatter(result)}</section>"
        "</div>"
        + funnel
    )


def _error_browser(result: RunResult, data: dict[str, Any]) -> str:
    fields = "".join(f'<option value="{esc(f)}">{esc(f)}</option>' for f in result.fields)
    rounds = "".join(f'<option value="{esc(r)}"{" selected" if r == data["best"] else ""}>'
                     f'{esc(r)}{" (best)" if r == data["best"] else ""}</option>'
                     for r in data["rounds"])
    outcomes = "".join(f'<option value="{v}">{t}</option>' for v, t in (
        ("wrong", "wrong (fp, fn, mismatch)"), ("all", "any"), ("correct", "correct (tp, tn)"),
        ("mismatch", "mismatch"), ("fn", "fn (missed)"), ("fp", "fp (spurious)"), ("tp", "tp")))
    heads = "".join(f'<th{" class=bestcol" if r == data["best"] else ""}>{esc(r)}'
                    f'{" ★" if r == data["best"] else ""}</th>' for r in data["rounds"])
    return (
        '<section class="card" id="errors"><h2>Error browser</h2>'
        f'<p class="hint">Gold vs predicted per (document, field) for the first '
        f'{data["n_docs"]} hold-out documents. Outcomes: tp correct, tn correctly empty, fp '
        "spurious value, fn missed value, mismatch wrong value.</p>"
        '<div class="filters">'
        f'<label>field <select id="eb-field"><option value="">all</option>{fields}</select>'
        f'</label><label>outcome <select id="eb-outcome">{outcomes}</select></label>'
        f'<label>in round <select id="eb-round">{rounds}</select></label>'
        '<label><input type="checkbox" id="eb-changed"> changed vs '
        f'{esc(data["reference"])}</label>'
        '<label>document <input type="search" id="eb-q" placeholder="id contains"></label>'
        '<span id="eb-count" class="note"></span></div>'
        f'<div class="scroll"><table><thead><tr><th>document</th><th>field</th><th>gold</th>'
        f'{heads}</tr></thead><tbody id="eb-body"></tbody></table></div></section>'
    )


def render_html(result: RunResult) -> str:
    """The whole report as one self-contained HTML document."""
    errors = error_data(result)
    payload = json.dumps({"errors": errors}, ensure_ascii=False, separators=(",", ":"))
    payload = payload.replace("</", "<\\/")
    meta = (f"Hold-out: {result.n_holdout} documents · train: {result.n_train} real · scorer "
            f"<code>{esc(result.primary_scorer)}</code> · {round(100 * result.confidence)}% "
            f"bootstrap intervals · seed {result.seed} · manifest "
            f"<code>{esc(result.manifest_hash[:12])}</code>")
    body = "".join([
        f"<header><h1>{esc(result.name)}</h1><div class=\"meta\">{meta}</div></header>",
        headline_section(result),
        _charts(result),
        warnings_section(result),
        rounds_table(result),
        costs_section(result),
        seeds_section(result),
        wrong_docs_section(result),
        _error_browser(result, errors),
        sweeps_table(result),
        f"<footer>leasebench {esc(__version__)} · report.json holds every number shown"
        "</footer>",
    ])
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'
        f"<title>{esc(result.name)}: leasebench report</title><style>{CSS}</style></head>"
        f"<body><main>{body}</main>"
        f'<script type="application/json" id="lb-data">{payload}</script>'
        f"<script>{JS}</script></body></html>\n"
    )


class HtmlReporter(Reporter[NoParams]):
    """report.html: charts, headline and an error browser in one offline file."""

    name: ClassVar[str] = "html"
    version: ClassVar[str] = "2"

    def report(self, result: RunResult, out_dir: Path) -> list[Path]:
        path = out_dir / "report.html"
        atomic_write_text(path, render_html(result))
        return [path]


__all__ = ["HtmlReporter", "render_html"]
