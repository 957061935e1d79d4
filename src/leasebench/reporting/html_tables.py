"""The HTML report's tables: rounds, per-field P/R/F1, sweeps, wrong documents, error data."""

from __future__ import annotations

from typing import Any

from .html_svg import esc
from .results import PairDetail, RunResult
from .summary import WRONG, best_round, describe_diff, pct, round_cost, wrong_documents


def _sig(d: Any) -> str:
    if d is None:
        return '<td class="n ns">reference</td>'
    cls = ("up" if d.delta > 0 else "down") if d.significant else "ns"
    mark = (" ▲" if d.delta > 0 else " ▼") if d.significant else ""
    bold = ("<b>", "</b>") if d.significant else ("", "")
    return (f'<td class="n {cls}" title="{esc(describe_diff(d))}">{bold[0]}'
            f"{pct(d.delta, True)}{mark}{bold[1]}</td>")


def rounds_table(result: RunResult) -> str:
    """One row per round: data, micro P/R/F1, difference, failures, tokens and cost."""
    scorer, best = result.primary_scorer, best_round(result).name
    rows = []
    for r in result.rounds:
        s = r.scores[scorer]
        m, c = s.micro, round_cost(result, r)
        comp = r.vs_reference.get(scorer)
        n_up = sum(d.significant and d.delta > 0 for d in comp.fields.values()) if comp else 0
        n_down = sum(d.significant and d.delta < 0 for d in comp.fields.values()) if comp else 0
        rows.append(
            f'<tr{" class=best" if r.name == best else ""}><td><b>{esc(r.name)}</b>'
            f'{" ★" if r.name == best else ""}</td><td>{esc(r.kind)}</td>'
            f'<td class="n">{r.n_train_real}</td><td class="n">{r.n_train_synthetic}</td>'
            f'<td class="n">{pct(m.precision)}</td><td class="n">{pct(m.recall)}</td>'
            f'<td class="n">{pct(m.f1)} <span class="ns">[{pct(m.f1_low)}, {pct(m.f1_high)}]'
            f"</span></td>{_sig(comp.micro if comp else None)}"
            f'<td class="n">{f"{n_up} / {n_down}" if comp else ""}</td>'
            f'<td class="n">{r.parse_failures}</td><td class="n">{r.call_failures}</td>'
            f'<td class="n">{c.tokens:,}</td><td class="n">{c.inference.cost:.4f}</td>'
            f'<td class="n">{c.data.cost:.4f}</td></tr>')
    head = ("<tr><th>round</th><th>kind</th><th class=n>real</th><th class=n>synthetic</th>"
            "<th class=n>P</th><th class=n>R</th><th class=n>micro F1</th>"
            f"<th class=n>Δ vs {esc(result.reference_round)}</th><th class=n>fields ▲ / ▼</th>"
            "<th class=n>parse failures</th><th class=n>call failures</th>"
            "<th class=n>tokens</th><th class=n>inference cost</th><th class=n>data cost</th>"
            "</tr>")
    return ('<section class="card" id="rounds"><h2>Rounds</h2>'
            f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"
            f"{field_table(result)}</section>")


def field_table(result: RunResult) -> str:
    """Precision, recall and F1 per field and round, with paired differences."""
    scorer = result.primary_scorer
    head = "<tr><th>field</th>" + "".join(
        f'<th class="n" colspan="4">{esc(r.name)}</th>' for r in result.rounds) + "</tr>"
    sub = "<tr><th></th>" + "<th class=n>P</th><th class=n>R</th><th class=n>F1</th>" \
        "<th class=n>Δ</th>" * len(result.rounds) + "</tr>"
    rows = []
    for field in [*result.fields, "micro"]:
        cells = [f"<td>{esc(field)}</td>"]
        for r in result.rounds:
            s = r.scores[scorer]
            m = s.micro if field == "micro" else s.fields[field]
            comp = r.vs_reference.get(scorer)
            d = None if comp is None else comp.micro if field == "micro" \
                else comp.fields.get(field)
            cells.append(f'<td class="n">{pct(m.precision)}</td><td class="n">'
                         f'{pct(m.recall)}</td><td class="n" title="[{pct(m.f1_low)}, '
                         f'{pct(m.f1_high)}]">{pct(m.f1)}</td>')
            cells.append(_sig(d) if d is not None else '<td class="n ns">-</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return ("<details><summary>Precision / recall / F1 per field</summary>"
            f"<table><thead>{head}{sub}</thead><tbody>{''.join(rows)}</tbody></table></details>")


def sweeps_table(result: RunResult) -> str:
    """Every sweep trial per trained round; the selected one highlighted."""
    trained = [r for r in result.rounds if r.trials]
    if not trained:
        return ""
    rows = []
    for r in trained:
        for t in r.trials:
            params = ", ".join(f"{k}={v}" for k, v in t.params.items()) or "(defaults)"
            metrics = ", ".join(f"{k} {v:.4g}" for k, v in sorted(t.metrics.items()))
            rows.append(f'<tr{" class=best" if t.selected else ""}><td>{esc(r.name)}</td>'
                        f'<td class="n">{t.index}</td><td class="mono">{esc(params)}</td>'
                        f"<td>{esc(metrics)}</td><td>{'selected' if t.selected else ''}</td></tr>")
    return ('<section class="card" id="sweeps"><h2>Sweeps</h2><table><thead><tr><th>round</th>'
            "<th class=n>trial</th><th>params</th><th>metrics</th><th></th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></section>")


def _vals(v: list[str]) -> str:
    return esc(" | ".join(v)) if v else '<span class="empty">(none)</span>'


def wrong_docs_section(result: RunResult, limit: int = 3) -> str:
    """Documents where the best round is still wrong, gold vs predicted per wrong field."""
    best = best_round(result)
    ref = result.round(result.reference_round)
    ref_by = {(d.id, d.field): d for d in ref.details}
    docs = wrong_documents(best, limit)
    if not docs:
        return (f'<section class="card" id="still-wrong"><h2>Still wrong in {esc(best.name)}</h2>'
                "<p>No wrong field among the documents the report keeps details for.</p>"
                "</section>")
    parts = []
    for doc, details in docs:
        rows = "".join(_wrong_row(d, ref_by.get((d.id, d.field)), ref.name != best.name)
                       for d in details)
        ref_head = f"<th>{esc(ref.name)}</th>" if ref.name != best.name else ""
        parts.append(f'<div class="doc"><h3>{esc(doc)}</h3><table><thead><tr><th>field</th>'
                     f"<th>gold</th><th>{esc(best.name)} predicted</th>{ref_head}</tr></thead>"
                     f"<tbody>{rows}</tbody></table></div>")
    return (f'<section class="card" id="still-wrong"><h2>Still wrong in {esc(best.name)} '
            f'(best round)</h2><p class="hint">The {len(docs)} documents with the most wrong '
            "fields in the best round; every other document is in the error browser below.</p>"
            f"{''.join(parts)}</section>")


def _wrong_row(d: PairDetail, ref: PairDetail | None, show_ref: bool) -> str:
    ref_cell = ""
    if show_ref:
        o = ref.outcome if ref else "tn"
        pred = "" if o in ("tp", "tn") else _vals(ref.pred if ref else [])
        ref_cell = f'<td><span class="o o-{o}">{o}</span>{pred}</td>'
    return (f"<tr><td>{esc(d.field)}</td><td>{_vals(d.gold)}</td><td><span class=\"o "
            f'o-{d.outcome}">{d.outcome}</span>{_vals(d.pred)}</td>{ref_cell}</tr>')


def error_data(result: RunResult) -> dict[str, Any]:
    """The error browser's data: one row per (document, field) that is not TN in some round.

    Row: ``[doc, field, gold, [[outcome, predicted], ...one per round]]``.
    """
    names = [r.name for r in result.rounds]
    docs: dict[str, int] = {}
    cells: dict[tuple[str, str], dict[str, PairDetail]] = {}
    gold: dict[tuple[str, str], list[str]] = {}
    for r in result.rounds:
        for d in r.details:
            docs.setdefault(d.id, len(docs))
            cells.setdefault((d.id, d.field), {})[r.name] = d
            gold[(d.id, d.field)] = d.gold
    order = {f: i for i, f in enumerate(result.fields)}
    keys = sorted(cells, key=lambda k: (docs[k[0]], order.get(k[1], len(order)), k[1]))
    rows = []
    for key in keys:
        by_round = cells[key]
        row = [[by_round[n].outcome, by_round[n].pred] if n in by_round else ["tn", []]
               for n in names]
        rows.append([key[0], key[1], gold[key], row])
    return {"rounds": names, "best": best_round(result).name,
            "reference": result.reference_round, "n_docs": len(docs), "rows": rows,
            "wrong": list(WRONG)}


__all__ = ["error_data", "field_table", "rounds_table", "sweeps_table", "wrong_docs_section"]
