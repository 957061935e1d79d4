"""Rendering a ``RunComparison`` as Markdown or as a self-contained HTML page."""

from __future__ import annotations

from .. import __version__
from .compare import EntryDifference, RunComparison, RunEntry
from .html_assets import CSS
from .html_charts import field_bars
from .html_svg import esc
from .results import RoundResult, RunResult
from .summary import describe_diff, pct

KEY = "score"


def as_run_result(c: RunComparison) -> RunResult:
    """The comparison as a ``RunResult`` whose rounds are the entries (for the charts)."""
    comps = {d.label: d.comparison for d in c.differences if d.comparison is not None}
    rounds = [
        RoundResult(name=e.label, kind="baseline" if e.kind == "baseline" else "trained",
                    n_train_synthetic=e.n_train_synthetic, scores={KEY: e.summary},
                    vs_reference={KEY: comps[e.label]} if e.label in comps else {})
        for e in c.entries
    ]
    first = c.entries[0]
    return RunResult(
        name="comparison", manifest_hash=first.manifest_hash, seed=first.summary.seed,
        schema_name="", fields=c.fields, n_train=0, n_holdout=first.n_docs, scorers=[KEY],
        primary_scorer=KEY, reference_round=c.reference, confidence=c.confidence, rounds=rounds,
    )


def _f1(e: RunEntry, field: str) -> str:
    s = e.summary
    if field == "macro":
        lo, hi = s.macro_f1_low, s.macro_f1_high
        return pct(s.macro_f1) + ("" if lo is None else f" [{pct(lo)}, {pct(hi)}]")
    m = s.micro if field == "micro" else s.fields[field]
    return pct(m.f1) + ("" if m.f1_low is None else f" [{pct(m.f1_low)}, {pct(m.f1_high)}]")


def _delta(d: EntryDifference, field: str, rich: bool = False) -> str:
    """A difference cell: paired with interval and mark, or unpaired point difference."""
    if not d.paired or d.comparison is None:
        value = d.micro if field == "micro" else d.macro if field == "macro" else d.fields[field]
        return f"{pct(value, True)} (unpaired)"
    c = d.comparison
    diff = c.micro if field == "micro" else c.macro if field == "macro" else c.fields[field]
    mark = (" ▲" if diff.delta > 0 else " ▼") if diff.significant else ""
    text = f"{pct(diff.delta, True)} [{pct(diff.low, True)}, {pct(diff.high, True)}]{mark}"
    if rich:
        cls = ("up" if diff.delta > 0 else "down") if diff.significant else "ns"
        return f'<span class="{cls}" title="{esc(describe_diff(diff))}">{esc(text)}</span>'
    return f"**{text}**" if diff.significant else text


def render_comparison_markdown(c: RunComparison) -> str:
    """Per-field F1 per run with differences to the first run."""
    lines = [
        "# Run comparison", "",
        f"Reference: `{c.reference}`. F1 in % with {round(100 * c.confidence)}% bootstrap "
        "intervals; Δ in points, paired where both runs scored the same hold-out documents "
        "(**bold ▲/▼** = significant), otherwise unpaired (compare the intervals).", "",
        "| run / round | kind | documents | synthetic samples | micro F1 | cost | tokens |",
        "| --- | --- | --: | --: | --: | --: | --: |",
    ]
    lines += [f"| {e.label} | {e.kind} | {e.n_docs} | {e.n_train_synthetic} | "
              f"{_f1(e, 'micro')} | {e.cost:.4f} | {e.tokens:,} |" for e in c.entries]
    header = ["field", *(e.label for e in c.entries), *(f"Δ {d.label}" for d in c.differences)]
    lines += ["", "| " + " | ".join(header) + " |",
              "| --- |" + " --: |" * (len(header) - 1)]
    for field in [*c.fields, "micro", "macro"]:
        cells = [field, *(_f1(e, field) for e in c.entries),
                 *(_delta(d, field) for d in c.differences)]
        lines.append("| " + " | ".join(cells) + " |")
    if c.notes:
        lines += ["", "Notes:", "", *(f"- {n}" for n in c.notes)]
    return "\n".join(lines) + "\n"


def render_comparison_html(c: RunComparison) -> str:
    """The comparison as one self-contained HTML page (inline SVG, no script)."""
    rows = "".join(
        f"<tr><td><b>{esc(e.label)}</b></td><td>{esc(e.kind)}</td>"
        f'<td class="n">{e.n_docs}</td><td class="n">{e.n_train_synthetic}</td>'
        f'<td class="n">{esc(_f1(e, "micro"))}</td><td class="n">{e.cost:.4f}</td>'
        f'<td class="n">{e.tokens:,}</td><td class="mono">{esc(e.path)}</td></tr>'
        for e in c.entries)
    head = "".join(f'<th class="n">{esc(e.label)}</th>' for e in c.entries) + "".join(
        f'<th class="n">Δ {esc(d.label)}</th>' for d in c.differences)
    body = "".join(
        f"<tr><td>{esc(f)}</td>" + "".join(f'<td class="n">{esc(_f1(e, f))}</td>'
                                          for e in c.entries)
        + "".join(f'<td class="n">{_delta(d, f, rich=True)}</td>' for d in c.differences)
        + "</tr>" for f in [*c.fields, "micro", "macro"])
    notes = "".join(f"<li>{esc(n)}</li>" for n in c.notes)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<link rel="icon" href="data:,"><title>leasebench run comparison</title>'
        f'<style>{CSS}</style></head><body data-rendered="ok"><main>'
        f"<header><h1>Run comparison</h1><div class=\"meta\">reference "
        f"<b>{esc(c.reference)}</b> · {round(100 * c.confidence)}% bootstrap intervals</div>"
        "</header>"
        + (f'<section class="card"><h2>Notes</h2><ul>{notes}</ul></section>' if notes else "")
        + '<section class="card"><h2>Runs</h2><table><thead><tr><th>run / round</th>'
        "<th>kind</th><th class=n>documents</th><th class=n>synthetic</th><th class=n>micro F1"
        "</th><th class=n>cost</th><th class=n>tokens</th><th>directory</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></section>"
        '<section class="card"><h2>F1 per field</h2><p class="hint">Δ in the chart only for '
        f"paired comparisons.</p>{field_bars(as_run_result(c))}"
        f"<table><thead><tr><th>field</th>{head}</tr></thead><tbody>{body}</tbody></table>"
        f"</section><footer>leasebench {esc(__version__)}</footer></main></body></html>\n"
    )


__all__ = ["as_run_result", "render_comparison_html", "render_comparison_markdown"]
