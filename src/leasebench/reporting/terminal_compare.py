"""A run comparison in the terminal: the runs, then F1 per field with differences."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text

from .compare import EntryDifference, RunComparison, RunEntry
from .compare_render import comparison_rule
from .summary import pct
from .terminal import Cell, Col, Group, delta_cell, fitted, score_cell
from .terminal_run import bullets


def _f1(e: RunEntry, field: str, compact: bool) -> str:
    s = e.summary
    if field == "macro":
        return score_cell(s.macro_f1, s.macro_f1_low, s.macro_f1_high, compact)
    m = s.micro if field == "micro" else s.fields[field]
    return score_cell(m.f1, m.f1_low, m.f1_high, compact)


def _delta(d: EntryDifference, field: str) -> Cell:
    if not d.paired or d.comparison is None:
        value = d.micro if field == "micro" else d.macro if field == "macro" else d.fields[field]
        return Text(pct(value, True) + " (unpaired)", style="yellow")
    c = d.comparison
    return delta_cell(c.micro if field == "micro" else c.macro if field == "macro"
                      else c.fields[field])


def comparison_renderables(c: RunComparison, width: int) -> list[RenderableType]:
    """Everything ``leasebench report A B`` prints in the terminal, fitted to ``width``."""
    conf = round(100 * c.confidence)
    out: list[RenderableType] = [
        Text("Run comparison", style="bold"),
        Text(f"Reference {c.reference}. F1 in %; Δ in points against the reference, paired "
             "where both runs scored the same hold-out documents, otherwise unpaired "
             f"(compare the intervals). {comparison_rule(c).legend()}", style="dim"),
    ]
    key = Group([Col("run / round", justify="left")], [[e.label] for e in c.entries])
    def run_cols(compact: bool) -> list[Group]:
        cols = [Col("documents"), Col("synthetic"),
                Col("micro F1" if compact else f"micro F1 ({conf}% interval)"), Col("tokens"),
                Col("cost")]
        cells = [[str(e.n_docs), str(e.n_train_synthetic), _f1(e, "micro", compact),
                  f"{e.tokens:,}", f"{e.cost:.4f}"] for e in c.entries]
        if not compact:
            cols.insert(0, Col("kind", justify="left"))
            cells = [[e.kind, *row] for e, row in zip(c.entries, cells, strict=True)]
        return [Group([col], [[row[i]] for row in cells]) for i, col in enumerate(cols)]

    runs = fitted(key, [run_cols(False), run_cols(True)], width, "Runs")
    rows = [*c.fields, "micro", "macro"]
    fkey = Group([Col("field", justify="left")],
                 [[Text(f, style="bold") if f in ("micro", "macro") else f] for f in rows])
    diffs = {d.label: d for d in c.differences}

    def groups(compact: bool) -> list[Group]:
        out = []
        for e in c.entries:
            gcols = [Col(e.label)]
            gcells: list[list[Cell]] = [[_f1(e, f, compact)] for f in rows]
            d = diffs.get(e.label)
            if d is not None:
                gcols.append(Col("Δ" if compact else f"Δ {e.label}"))
                gcells = [[*g, _delta(d, f)] for g, f in zip(gcells, rows, strict=True)]
            out.append(Group(gcols, gcells))
        return out

    per_field = fitted(fkey, [groups(False), groups(True)], width, [
        f"F1 per field ({conf}% bootstrap intervals)",
        f"F1 per field (± half the width of the {conf}% bootstrap interval)"])
    for renderable in [*runs, *differs(c, width), *per_field]:
        out += [Text(""), renderable]
    if c.notes:
        out += [Text(""), Text("Notes", style="bold"), bullets([Text(n) for n in c.notes])]
    return out


def differs(c: RunComparison, width: int) -> list[RenderableType]:
    """What differs between the runs' manifests: one row per key, one column per run."""
    if c.manifests_missing:
        return [Text(f"What differs: not known ({', '.join(c.manifests_missing)} kept no "
                     "manifest.yaml)", style="dim")]
    if not c.manifest_differences:
        return [Text("What differs: nothing in the manifests (same resolved manifest).",
                     style="dim")]
    key = Group([Col("manifest key", justify="left")],
                [[d.key] for d in c.manifest_differences])
    groups = [Group([Col(e.label, justify="left", wrap=True)],
                    [[d.values[i]] for d in c.manifest_differences])
              for i, e in enumerate(c.entries)]
    return [*fitted(key, [groups], width, "What differs between the runs' manifests")]


__all__ = ["comparison_renderables", "differs"]
