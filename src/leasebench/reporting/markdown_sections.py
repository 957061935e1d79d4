"""Markdown sections for arms: cost and latency, seeds, warnings, honesty lines."""

from __future__ import annotations

from ..results import RunResult
from .costs import cost_view, money, number, resent_line
from .significance import CORRECTION_NAMES
from .summary import best_round, in_currency, pct


def table(header: list[str], rows: list[list[str]], left: int = 1) -> list[str]:
    align = ["---"] * left + ["--:"] * (len(header) - left)
    return ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |",
            *("| " + " | ".join(row) + " |" for row in rows)]


def honesty_lines(result: RunResult) -> list[str]:
    """The minimum detectable effect of the best round (the correction applied is in the
    legend above the tables)."""
    lines: list[str] = []
    best = best_round(result)
    comp = best.vs_reference.get(result.primary_scorer)
    if comp is None:
        others = [r for r in result.rounds if result.primary_scorer in r.vs_reference]
        comp = others[0].vs_reference[result.primary_scorer] if others else None
    if comp is not None and comp.micro.mde is not None:
        fields = [d.mde for d in comp.fields.values() if d.mde]
        span = f"{pct(min(fields))}-{pct(max(fields))}" if fields else "-"
        lines.append(
            f"- Minimum detectable effect with {result.n_holdout} hold-out documents (80% power"
            f"): about {pct(comp.micro.mde)} points of micro F1, {span} points per field; "
            "smaller differences are likely to go unnoticed"
            + (" (seed variation included)." if comp.seed_variation else "."))
    return lines


def cost_section(result: RunResult) -> list[str]:
    """Per-round tokens and money (latency and time-priced costs vary between identical
    runs: they are in timing.json and report.html, not in report.md)."""
    rows = []
    for r in result.rounds:
        c = cost_view(result, r)
        rows.append([r.name, r.arm or "-", f"{c.inference_tokens:,}", money(c.inference_cost),
                     f"{c.train_tokens:,}", money(r.training.cost), money(c.data_cost)])
    header = ["round", "arm", "inference tokens", in_currency(result, "inference cost"),
              "training tokens", in_currency(result, "training cost"),
              in_currency(result, "data cost")]
    return ["", "## Cost and latency", "",
            "Inference over the hold-out (every seed's model); training over every trial, "
            "repeat and refit (billed and per-token costs); data = generating and judging the "
            "synthetic batches used. Latency, documents/s, hourly-priced training and the "
            "serving cost per 1,000 documents are in timing.json and report.html.", "",
            *table(header, rows, left=2),
            *(["", resent] if (resent := resent_line(result)) else [])]


def seeds_section(result: RunResult) -> list[str]:
    repeated = [r for r in result.rounds if len(r.repeats) > 1]
    if not repeated:
        return []
    rows = []
    for r in repeated:
        s = r.scores[result.primary_scorer]
        rows.append([r.name, str(len(r.repeats)),
                     ", ".join(pct(x.micro_f1) for x in r.repeats),
                     pct(s.micro.f1_seed_sd), pct(s.micro.f1)])
    return ["", "## Training seeds", "",
            "Each round's scores pool its models' counts; intervals and paired tests include "
            "the between-seed variation (docs/metrics.md, section 8).", "",
            *table(["round", "seeds", "micro F1 per seed", "between-seed SD",
                    "pooled micro F1"], rows)]


def warnings_section(result: RunResult) -> list[str]:
    if not result.warnings:
        return []
    return ["", "## Warnings", "", *(f"- {w}" for w in result.warnings)]


def diversity_lines(result: RunResult) -> list[str]:
    rows = [[str(b.batch), str(d.samples), number(d.mean_similarity, 3),
             number(d.distinct_values, 3), str(d.distinct_labels), str(d.near_duplicates),
             "yes" if d.collapsed else "no"]
            for b in result.funnel if (d := b.diversity) is not None]
    if not rows:
        return []
    real = number(result.real_similarity, 3)
    return ["", f"Diversity of the accepted samples (real train documents: mean pairwise "
            f"similarity {real}):", "",
            *table(["batch", "samples", "mean similarity", "distinct values",
                    "distinct label sets", "near-duplicates", "collapsed"], rows)]


__all__ = ["CORRECTION_NAMES", "cost_section", "diversity_lines", "honesty_lines",
           "seeds_section", "table", "warnings_section"]
