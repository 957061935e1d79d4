"""The data card as Markdown (printed by ``leasebench data check``, ``data_card.md`` in a run)."""

from __future__ import annotations

from .card_model import DataCard


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_card(card: DataCard, title: str = "Data card") -> str:
    """Markdown: splits, gold values in their documents, fields, duplicates, warnings."""
    lines = [f"# {title}", "", f"Schema `{card.schema_name}`.", ""]
    lines += ["| split | documents | words: median [p10, p90] | longest (chars) | gold values "
              "| verbatim | after normalisation | not in text |",
              "|---|---:|---|---:|---:|---:|---:|---:|"]
    for s in card.splits:
        g = s.gold
        lines.append(
            f"| {s.name} | {s.documents} | {s.words.median:g} [{s.words.p10:g}, "
            f"{s.words.p90:g}] | {s.chars.max:,} | {g.values} | {_pct(g.share('verbatim'))} "
            f"| {_pct(g.share('normalized'))} | {_pct(g.share('not_found'))} |"
        )
    fields = list(dict.fromkeys(f for s in card.splits for f in s.fields))
    lines += ["", "## Fields", "",
              "Present: share of documents with a value. Verbatim: share of its gold values "
              "found verbatim in the document (all splits).", ""]
    lines += ["| field | " + " | ".join(f"present ({s.name})" for s in card.splits)
              + " | verbatim | after normalisation | not in text |",
              "|---|" + "---:|" * (len(card.splits) + 3)]
    for f in fields:
        cards = [s.fields.get(f) for s in card.splits]
        values = sum(c.values for c in cards if c)
        shares = [sum(getattr(c, k) for c in cards if c) / values if values else 0.0
                  for k in ("verbatim", "normalized", "not_found")]
        present = " | ".join(_pct(c.presence) if c else "-" for c in cards)
        lines.append(f"| {f} | {present} | " + " | ".join(_pct(x) for x in shares) + " |")
    if card.examples:
        lines += ["", "## Gold values not found verbatim", "",
                  "| split | id | field | value | found |", "|---|---|---|---|---|"]
        lines += [f"| {e.split} | {_cell(e.id)} | {e.field} | {_cell(e.value)} | "
                  f"{e.found.replace('_', ' ')} |" for e in card.examples]
    d = card.duplicates
    lines += ["", "## Duplicates", ""]
    if not d.counts:
        lines.append(f"No identical or near-duplicate documents (shingle Jaccard >= "
                     f"{d.threshold}).")
    else:
        lines += ["| splits | identical | near-duplicate |", "|---|---:|---:|"]
        lines += [f"| {k} | {c.get('exact', 0)} | {c.get('near', 0)} |"
                  for k, c in d.counts.items()]
        lines += ["", "| document | document | similarity |", "|---|---|---:|"]
        lines += [f"| {p.a_split} {_cell(p.a)} | {p.b_split} {_cell(p.b)} | "
                  f"{p.similarity:.2f}{' (identical)' if p.exact else ''} |" for p in d.pairs]
    lines += ["", "## Warnings", ""]
    lines += [f"- {_cell(w)}" for w in card.warnings] or ["None."]
    return "\n".join(lines) + "\n"


__all__ = ["render_card"]
