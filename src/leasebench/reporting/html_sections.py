"""HTML sections for arms: warnings, cost and latency, training seeds, batch diversity."""

from __future__ import annotations

from .costs import cost_view, money, number
from .html_svg import esc
from .results import RunResult
from .summary import pct


def _table(head: list[str], rows: list[list[str]]) -> str:
    th = "".join(f"<th{' class=n' if i else ''}>{esc(h)}</th>" for i, h in enumerate(head))
    body = "".join("<tr>" + "".join(f"<td{' class=n' if i else ''}>{esc(c)}</td>"
                                    for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def warnings_section(result: RunResult) -> str:
    """What limits the claims (small samples, ties, one seed, leakage, collapse)."""
    if not result.warnings:
        return ""
    items = "".join(f"<li>{esc(w)}</li>" for w in result.warnings)
    return f'<section class="card" id="warnings"><h2>Warnings</h2><ul>{items}</ul></section>'


def costs_section(result: RunResult) -> str:
    """Per round: inference, serving cost per 1,000 documents, latency, training, data."""
    rows = []
    for r in result.rounds:
        c = cost_view(result, r)
        t = result.timing.get(r.name)
        paid = (f"{money(t.paid_now_cost)} / {money(t.paid_earlier_cost)}" if t is not None
                else "-")
        rows.append([r.name, r.arm or "-", f"{c.inference_tokens:,}", money(c.inference_cost),
                     paid, money(c.per_1k_docs), number(c.latency_p50_ms),
                     number(c.latency_p95_ms),
                     number(c.docs_per_s), f"{c.train_tokens:,}", number(c.train_seconds),
                     money(c.train_cost), money(c.data_cost)])
    head = ["round", "arm", "inference tokens", "inference cost", "paid now / earlier",
            "cost / 1,000 docs",
            "latency p50 ms", "latency p95 ms", "docs/s", "training tokens", "training s",
            "training cost", "data cost"]
    return ('<section class="card" id="costs"><h2>Cost and latency</h2><p class="hint">'
            "Cost per 1,000 documents: token prices plus latency at the arm's hourly serving "
            "price; training: every trial, repeat and refit.</p>"
            f"{_table(head, rows)}</section>")


def seeds_section(result: RunResult) -> str:
    """Per-seed micro F1 of rounds trained with repeats."""
    repeated = [r for r in result.rounds if len(r.repeats) > 1]
    if not repeated:
        return ""
    rows = [[r.name, str(len(r.repeats)), ", ".join(pct(x.micro_f1) for x in r.repeats),
             pct(r.scores[result.primary_scorer].micro.f1_seed_sd),
             pct(r.scores[result.primary_scorer].micro.f1)] for r in repeated]
    head = ["round", "seeds", "micro F1 per seed", "between-seed SD", "pooled micro F1"]
    return ('<section class="card" id="seeds"><h2>Training seeds</h2><p class="hint">'
            "Intervals and paired tests of these rounds include the between-seed variation."
            f"</p>{_table(head, rows)}</section>")


def diversity_table(result: RunResult) -> str:
    """Diversity of each batch's accepted samples, against the real train documents."""
    rows = [[str(b.batch), str(d.samples), number(d.mean_similarity, 3),
             number(d.distinct_values, 3), str(d.near_duplicates),
             "yes" if d.collapsed else "no"]
            for b in result.funnel if (d := b.diversity) is not None]
    if not rows:
        return ""
    head = ["batch", "samples", "mean similarity", "distinct values", "near-duplicates",
            "collapsed"]
    return (f"<p class=\"hint\">Diversity (real train documents: mean similarity "
            f"{number(result.real_similarity, 3)}).</p>{_table(head, rows)}")


__all__ = ["costs_section", "diversity_table", "seeds_section", "warnings_section"]
