"""The data card as terminal tables (``leasebench data check`` on a terminal); the same
content as :func:`leasebench.data.card_render.render_card`, fitted to the console's width."""

from __future__ import annotations

from rich.console import RenderableType
from rich.markup import escape
from rich.text import Text

from ..data.card_model import DataCard
from .terminal import Col, Group, fitted, table


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _column(header: str, cells: list[str], justify: str = "right") -> Group:
    return Group([Col(escape(header), justify=justify)],  # type: ignore[arg-type]
                 [[Text(c)] for c in cells])


def card_renderables(card: DataCard, title: str, width: int) -> list[RenderableType]:
    """Splits, fields, gold values not found verbatim, duplicates, warnings."""
    out: list[RenderableType] = [Text(title, style="bold"),
                                 Text(f"Schema {card.schema_name}.", style="dim"), Text("")]
    splits = card.splits
    key = Group([Col("split", justify="left")], [[Text(s.name)] for s in splits])
    groups = [
        _column("documents", [str(s.documents) for s in splits]),
        _column("words: median [p10, p90]", [f"{s.words.median:g} [{s.words.p10:g}, "
                                              f"{s.words.p90:g}]" for s in splits]),
        _column("longest (chars)", [f"{s.chars.max:,}" for s in splits]),
        _column("gold values", [str(s.gold.values) for s in splits]),
        *(_column(head, [_pct(s.gold.share(k)) for s in splits]) for head, k in (
            ("verbatim", "verbatim"), ("after normalisation", "normalized"),
            ("not in text", "not_found"))),
    ]
    out += fitted(key, [groups], width, "Splits")
    fields = list(dict.fromkeys(f for s in splits for f in s.fields))
    fkey = Group([Col("field", justify="left")], [[Text(f)] for f in fields])
    present = [_column(f"present ({s.name})", [_pct(s.fields[f].presence) if f in s.fields
                                               else "-" for f in fields]) for s in splits]
    shares = []
    for head, k in (("verbatim", "verbatim"), ("after normalisation", "normalized"),
                    ("not in text", "not_found")):
        cells = []
        for f in fields:
            cards = [s.fields[f] for s in splits if f in s.fields]
            values = sum(c.values for c in cards)
            cells.append(_pct(sum(getattr(c, k) for c in cards) / values if values else 0.0))
        shares.append(_column(head, cells))
    out += [Text(""), *fitted(fkey, [[*present, *shares]], width,
                              "Fields (present: share of documents with a value; verbatim: "
                              "share of its gold values found verbatim)")]
    if card.examples:
        cols = [Col("split", justify="left"), Col("id", justify="left"),
                Col("field", justify="left"), Col("value", justify="left", wrap=True),
                Col("found", justify="left")]
        rows = [[Text(x) for x in (e.split, e.id, e.field, e.value, e.found.replace("_", " "))]
                for e in card.examples]
        out += [Text(""), table(cols, rows, "Gold values not found verbatim", width)]
    d = card.duplicates
    out.append(Text(""))
    if not d.counts:
        out.append(Text(f"No identical or near-duplicate documents (shingle Jaccard >= "
                        f"{d.threshold})."))
    else:
        out.append(table([Col("splits", justify="left"), Col("identical"),
                          Col("near-duplicate")],
                         [[Text(k), str(c.get("exact", 0)), str(c.get("near", 0))]
                          for k, c in d.counts.items()], "Duplicates", width))
        out.append(table([Col("document", justify="left", wrap=True),
                          Col("document", justify="left", wrap=True), Col("similarity")],
                         [[Text(f"{p.a_split} {p.a}"), Text(f"{p.b_split} {p.b}"),
                           f"{p.similarity:.2f}{' (identical)' if p.exact else ''}"]
                          for p in d.pairs], None, width))
    out += [Text(""), Text("Warnings", style="bold")]
    if not card.warnings:
        out.append(Text("None."))
    else:
        from .terminal_run import bullets

        out.append(bullets([Text(w) for w in card.warnings]))
    return out


__all__ = ["card_renderables"]
