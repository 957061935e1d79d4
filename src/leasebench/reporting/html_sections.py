"""What the HTML report's arm sections show (warnings, cost and latency, training seeds,
batch diversity), as plain rows for ``templates/report.html.j2``."""

from __future__ import annotations

from dataclasses import dataclass

from ..results import RunResult
from .costs import cost_view
from .html_env import money, number
from .summary import in_currency, pct


@dataclass(frozen=True)
class Rows:
    """A table: its header and rows of display strings."""

    head: list[str]
    rows: list[list[str]]


def cost_rows(result: RunResult) -> Rows:
    """Per round: inference, serving cost per 1,000 documents, latency, training, data
    (amounts in the run's currency, named in the headers)."""
    rows = []
    for r in result.rounds:
        c = cost_view(result, r)
        t = result.timing.get(r.name)
        paid = f"{money(t.paid_now_cost)} / {money(t.paid_earlier_cost)}" if t else "-"
        rows.append([r.name, r.arm or "-", f"{c.inference_tokens:,}", money(c.inference_cost),
                     paid, money(c.per_1k_docs), number(c.latency_p50_ms, 1),
                     number(c.latency_p95_ms, 1), number(c.docs_per_s, 1),
                     f"{c.train_tokens:,}", number(c.train_seconds, 1), money(c.train_cost),
                     money(c.data_cost)])
    head = ["round", "arm", "inference tokens", in_currency(result, "inference cost"),
            in_currency(result, "paid now / earlier"), in_currency(result, "cost / 1,000 docs"),
            "latency p50 ms", "latency p95 ms", "docs/s", "training tokens", "training s",
            in_currency(result, "training cost"), in_currency(result, "data cost")]
    return Rows(head, rows)


def seed_rows(result: RunResult) -> Rows | None:
    """Per-seed micro F1 of rounds trained with repeats (None: no round has repeats)."""
    repeated = [r for r in result.rounds if len(r.repeats) > 1]
    if not repeated:
        return None
    scorer = result.primary_scorer
    rows = [[r.name, str(len(r.repeats)), ", ".join(pct(x.micro_f1) for x in r.repeats),
             pct(r.scores[scorer].micro.f1_seed_sd), pct(r.scores[scorer].micro.f1)]
            for r in repeated]
    return Rows(["round", "seeds", "micro F1 per seed", "between-seed SD", "pooled micro F1"],
                rows)


def diversity_rows(result: RunResult) -> Rows | None:
    """Diversity of each batch's accepted samples (None: not measured)."""
    rows = [[str(b.batch), str(d.samples), number(d.mean_similarity, 3),
             number(d.distinct_values, 3), str(d.near_duplicates),
             "yes" if d.collapsed else "no"]
            for b in result.funnel if (d := b.diversity) is not None]
    if not rows:
        return None
    return Rows(["batch", "samples", "mean similarity", "distinct values", "near-duplicates",
                 "collapsed"], rows)


__all__ = ["Rows", "cost_rows", "diversity_rows", "seed_rows"]
