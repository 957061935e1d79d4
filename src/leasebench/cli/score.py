"""``leasebench score``: score a prediction file against gold labels, no manifest needed."""

from __future__ import annotations

from pathlib import Path

import click

from ..data.columns import ReadOptions
from ..errors import DataError
from ..limits import check_option
from ..manifest.models import StatsSpec
from ..outcomes import Outcomes
from ..records import Prediction, Record
from ..reporting.significance import Rule
from ..schema import FieldSchema, load_schema
from ..scoring.answers import AnswerCounts, count_answers, without_salvage
from ..scoring.files import infer_schema, load_gold, load_predictions
from ..scoring.multiple import CORRECTIONS, correct_comparisons
from ..scoring.report import FORMATS, answers_markdown, render_csv, render_json, render_markdown
from ..scoring.scorer import FieldMatchScorer
from ..scoring.stats import compare, summarize
from .data_options import data_options, read_options

_FILE = click.Path(path_type=Path)
_STATS = StatsSpec()  # a run's defaults: the correction and the power of its MDEs


@click.command("score")
@click.option("--gold", "gold_path", required=True, type=_FILE,
              help="Gold records (JSONL, JSON, CSV, TSV or Parquet): 'id' and 'labels'; "
                   "map other columns with --column.")
@click.option("--pred", "pred_path", required=True, type=_FILE,
              help="Predictions (same formats): 'id' and 'fields' (an object or raw model "
                   "text).")
@click.option("--schema", "schema_spec", default=None,
              help="Built-in schema name or JSON Schema file [default: lease if the gold "
                   "fields fit it, else every gold field as text].")
@click.option("--mode", type=click.Choice(["exact", "normalized", "fuzzy", "reference"]),
              default="normalized", show_default=True, help="Matching mode.")
@click.option("--list-match", type=click.Choice(["joined", "any", "set"]), default="joined",
              show_default=True, help="How lists of values are compared.")
@click.option("--mismatch", type=click.Choice(["fp_fn", "fp"]), default="fp_fn",
              show_default=True, help="What a present-but-wrong prediction counts as.")
@click.option("--threshold", type=click.FloatRange(0, 1), default=0.8, show_default=True,
              help="Similarity threshold of fuzzy mode.")
@click.option("--day-first", is_flag=True, help="Read numeric dates as day/month/year.")
@click.option("--against", "reference_path", type=_FILE, default=None,
              help="A reference round's predictions: adds a paired comparison.")
@click.option("--correction", type=click.Choice([*CORRECTIONS, "bh"]), default=_STATS.correction,
              show_default=True,
              help="Multiple-comparison correction of the comparison's per-field tests, as a "
                   "run's stats.correction (bh: fdr_bh, Benjamini-Hochberg).")
@click.option("--iterations", type=click.IntRange(min=0), default=1000, show_default=True,
              help="Bootstrap iterations (0: no intervals).")
@click.option("--seed", type=int, default=0, show_default=True, help="Bootstrap seed.")
@click.option("--confidence", type=click.FloatRange(0, 1, min_open=True, max_open=True),
              default=0.95, show_default=True, help="Interval confidence level.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True,
              help="Output format: Markdown tables, JSON, or CSV (one row per field).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here instead of stdout.")
@data_options
def score(
    gold_path: Path, pred_path: Path, schema_spec: str | None, mode: str, list_match: str,
    mismatch: str, threshold: float, day_first: bool, reference_path: Path | None,
    correction: str, iterations: int, seed: int, confidence: float, fmt: str, out: Path | None,
    columns: tuple[str, ...], absent: tuple[str, ...], max_file_mb: float | None,
) -> None:
    """Score predictions against gold labels: per-field P/R/F1 with bootstrap intervals.

    Gold and predictions are read by the same reader as a run's data (docs/data.md).
    """
    check_option("--iterations", "bootstrap", iterations)
    options = read_options(columns, absent, max_file_mb)
    gold = load_gold(gold_path, options)
    schema = load_schema(schema_spec) if schema_spec else infer_schema(gold)
    params = {"mode": mode, "list_match": list_match, "mismatch": mismatch,
              "threshold": threshold, "day_first": day_first}
    scorer = FieldMatchScorer.from_dict(params)
    outcomes, preds = _score(scorer, gold, pred_path, schema, options)
    summary = summarize(outcomes, iterations=iterations, seed=seed, confidence=confidence)
    comparison = None
    answers = {pred_path.name: _answers(scorer, gold, preds, schema)}
    if reference_path is not None:
        reference, ref_preds = _score(scorer, gold, reference_path, schema, options)
        answers[f"{reference_path.name} (reference)"] = _answers(scorer, gold, ref_preds, schema)
        comparison = compare(reference, outcomes, iterations=iterations, seed=seed,
                             confidence=confidence)
        correct_comparisons({pred_path.name: comparison}, confidence=confidence,
                            method="fdr_bh" if correction == "bh" else correction,
                            power=_STATS.power)
    shown = {"schema": schema.name, **params} if mode != "reference" else {
        "schema": schema.name, "mode": mode}
    if fmt == "json":
        text = render_json(summary, comparison, shown, answers)
    elif fmt == "csv":
        text = render_csv(summary, comparison)
    else:
        title = f"Scores: {pred_path.name}"
        if reference_path is not None:
            title += f" (reference: {reference_path.name})"
        text = render_markdown(summary, comparison, title, shown,
                               Rule.of([comparison]).criterion() if comparison else "")
    if fmt == "md":
        text += answers_markdown(answers, summary.micro.f1)
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")


def _score(
    scorer: FieldMatchScorer, gold: list[Record], path: Path, schema: FieldSchema,
    options: ReadOptions,
) -> tuple[Outcomes, list[Prediction]]:
    preds = load_predictions(path, schema, options)
    try:
        return scorer.score(gold, preds, schema), preds
    except DataError as exc:
        raise DataError(f"{path}: {exc}") from exc


def _answers(
    scorer: FieldMatchScorer, gold: list[Record], preds: list[Prediction], schema: FieldSchema
) -> AnswerCounts:
    """How the predictions' answers parsed, and micro F1 without what was salvaged."""
    counts = count_answers(preds)
    if counts.partial:
        outcomes = scorer.score(gold, without_salvage(preds), schema)
        counts.micro_f1_without_salvage = summarize(outcomes, iterations=0).micro.f1
    return counts


__all__ = ["score"]
