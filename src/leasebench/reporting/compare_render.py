"""Rendering a ``RunComparison`` as Markdown or as a self-contained HTML page."""

from __future__ import annotations

from ..results import RoundResult, RunResult
from .compare import EntryDifference, RunComparison, RunEntry
from .html_assets import CSS
from .html_charts import field_bars
from .html_env import render_page
from .significance import Rule
from .summary import pct

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


def comparison_rule(c: RunComparison) -> Rule:
    """The rule the paired differences of a comparison of runs were judged by."""
    return Rule.of([d.comparison for d in c.differences if d.comparison is not None],
                   confidence=c.confidence)


def _f1(e: RunEntry, field: str) -> str:
    s = e.summary
    if field == "macro":
        lo, hi = s.macro_f1_low, s.macro_f1_high
        return pct(s.macro_f1) + ("" if lo is None else f" [{pct(lo)}, {pct(hi)}]")
    m = s.micro if field == "micro" else s.fields[field]
    return pct(m.f1) + ("" if m.f1_low is None else f" [{pct(m.f1_low)}, {pct(m.f1_high)}]")


def _delta(d: EntryDifference, field: str) -> str:
    """A difference cell: paired with interval and mark, or unpaired point difference."""
    if not d.paired or d.comparison is None:
        value = d.micro if field == "micro" else d.macro if field == "macro" else d.fields[field]
        return f"{pct(value, True)} (unpaired)"
    c = d.comparison
    diff = c.micro if field == "micro" else c.macro if field == "macro" else c.fields[field]
    mark = (" ▲" if diff.delta > 0 else " ▼") if diff.significant else ""
    text = f"{pct(diff.delta, True)} [{pct(diff.low, True)}, {pct(diff.high, True)}]{mark}"
    return f"**{text}**" if diff.significant else text


def render_comparison_markdown(c: RunComparison) -> str:
    """Per-field F1 per run with differences to the first run."""
    lines = [
        "# Run comparison", "",
        f"Reference: `{c.reference}`. F1 in % with {round(100 * c.confidence)}% bootstrap "
        "intervals; Δ in points, paired where both runs scored the same hold-out documents, "
        "otherwise unpaired (compare the intervals). "
        + comparison_rule(c).legend("**Bold ▲/▼**"), "",
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
    if c.manifest_differences:
        lines += ["", "What differs between the runs' manifests:", "",
                  "| manifest key | " + " | ".join(_md(e.label) for e in c.entries) + " |",
                  "| --- |" + " --- |" * len(c.entries)]
        lines += [f"| `{_md(d.key)}` | " + " | ".join(_md(v) for v in d.values) + " |"
                  for d in c.manifest_differences]
    if c.notes:
        lines += ["", "Notes:", "", *(f"- {n}" for n in c.notes)]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """A Markdown table cell: one line, pipes escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _cell(d: EntryDifference, field: str) -> dict[str, str]:
    """A difference cell of the HTML page: its text, class and tooltip."""
    if not d.paired or d.comparison is None:
        return {"text": _delta(d, field), "cls": "ns", "title": d.reason}
    c = d.comparison
    diff = c.micro if field == "micro" else c.macro if field == "macro" else c.fields[field]
    cls = ("up" if diff.delta > 0 else "down") if diff.significant else "ns"
    rule = Rule.of([c])
    return {"text": _delta(d, field).strip("*"), "cls": cls,
            "title": f"{rule.describe(diff)}: {rule.verdict(diff)}"}


def render_comparison_html(c: RunComparison) -> str:
    """The comparison as one self-contained HTML page (inline SVG, no script)."""
    return render_page("compare.html.j2", css=CSS, c=c, conf=round(100 * c.confidence),
                       legend=comparison_rule(c).legend("▲/▼"),
                       rows=[*c.fields, "micro", "macro"], f1=_f1, delta=_cell,
                       chart=field_bars(as_run_result(c)), currency=c.currency)


__all__ = ["as_run_result", "comparison_rule", "render_comparison_html",
           "render_comparison_markdown"]
