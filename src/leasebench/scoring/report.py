"""Rendering a score summary (and an optional paired comparison) as Markdown, JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ..cells import safe_dict
from .answers import AnswerCounts, describe_answers
from .stats import Comparison, Difference, FieldMetrics, ScoreSummary

FORMATS = ("md", "json", "csv")


def _f(x: float | None, digits: int = 3) -> str:
    return "" if x is None else f"{x:.{digits}f}"


def _ci(low: float | None, high: float | None) -> str:
    return "" if low is None or high is None else f"[{_f(low)}, {_f(high)}]"


def _p(p: float | None) -> str:
    return "" if p is None else ("<0.001" if p < 0.001 else f"{p:.3f}")


def _metric_row(name: str, m: FieldMetrics) -> str:
    scores = ["n/a"] * 3 + [""] if m.vacuous else [
        _f(m.precision), _f(m.recall), _f(m.f1), _ci(m.f1_low, m.f1_high)]
    cells = [name, str(m.support), str(m.tp), str(m.fp), str(m.fn), str(m.tn), *scores]
    return "| " + " | ".join(cells) + " |"


def _diff_row(name: str, d: Difference, adjusted: bool) -> str:
    cells = [name, f"{d.delta:+.3f}", _ci(d.low, d.high), _p(d.p_value),
             *([_p(d.p_adjusted)] if adjusted else []), _p(d.mcnemar_p),
             "yes" if d.significant else "no"]
    return "| " + " | ".join(cells) + " |"


def render_markdown(
    summary: ScoreSummary, comparison: Comparison | None = None, title: str = "Scores",
    params: dict[str, Any] | None = None,
    criterion: str = "the interval of the difference excludes zero (no correction).",
) -> str:
    """The tables; ``criterion`` says when a difference is significant (its correction)."""
    conf = f"{summary.confidence:.0%}"
    lines = [f"# {title}", ""]
    if params:
        lines.append("matching: " + ", ".join(f"{k}={v}" for k, v in params.items()))
    lines += [
        f"documents: {summary.n_docs}; parse failures: {summary.parse_failures} "
        f"({summary.parse_failure_rate:.1%}); call failures: {summary.call_failures}; "
        f"missing predictions: {summary.missing_predictions}",
        f"intervals: {conf} percentile bootstrap over documents, "
        f"{summary.iterations} iterations, seed {summary.seed}",
        "",
        f"| field | support | TP | FP | FN | TN | precision | recall | F1 | {conf} CI |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    lines += [_metric_row(name, m) for name, m in summary.fields.items()]
    lines.append(_metric_row("**micro**", summary.micro))
    lines.append(f"| **macro** | | | | | | | | {_f(summary.macro_f1)} | "
                 f"{_ci(summary.macro_f1_low, summary.macro_f1_high)} |")
    if comparison is not None:
        adjusted = comparison.correction != "none"
        lines += [
            "", "## Paired comparison (this minus reference)", "",
            f"| field | delta F1 | {conf} CI | p | {'adjusted p | ' if adjusted else ''}"
            f"McNemar p | significant |",
            "| --- | ---: | --- | ---: | " + ("---: | " if adjusted else "") + "---: | --- |",
        ]
        lines += [_diff_row(name, d, adjusted) for name, d in comparison.fields.items()]
        lines.append(_diff_row("**micro**", comparison.micro, adjusted))
        lines.append(_diff_row("**macro**", comparison.macro, adjusted))
        sig = ", ".join(comparison.significant_fields) or "none"
        lines += ["", f"significant fields: {sig}", "", f"Significant: {criterion}"]
    return "\n".join(lines) + "\n"


def render_json(
    summary: ScoreSummary, comparison: Comparison | None = None,
    params: dict[str, Any] | None = None, answers: dict[str, AnswerCounts] | None = None,
) -> str:
    doc: dict[str, Any] = {"params": params or {}, "summary": summary.model_dump()}
    if answers:
        doc["answers"] = {name: a.model_dump() for name, a in answers.items()}
    if comparison is not None:
        doc["comparison"] = comparison.model_dump()
    return json.dumps(doc, indent=2) + "\n"


def answers_markdown(answers: dict[str, AnswerCounts], micro_f1: float | None = None) -> str:
    """The "Answers" section: how each file's answers parsed (empty when none holds a
    model's answer text); ``micro_f1`` is the first file's, beside its F1 without salvage."""
    lines = []
    for i, (name, counts) in enumerate(answers.items()):
        said = describe_answers(counts, micro_f1 if i == 0 else None)
        if said is not None:
            lines.append(f"- {name}: {said}")
    if not lines:
        return ""
    return "\n".join(["", "## Answers", "", *lines, "", "Parsed answers include the "
                      "salvaged ones: an answer cut off or malformed keeps its complete "
                      "key/value pairs (docs/metrics.md)."]) + "\n"


CSV_COLUMNS = ("field", "support", "tp", "fp", "fn", "tn", "precision", "recall", "f1",
               "f1_low", "f1_high", "vacuous", "delta_f1", "delta_low", "delta_high", "p_value",
               "p_adjusted", "mcnemar_p", "significant")


def render_csv(summary: ScoreSummary, comparison: Comparison | None = None) -> str:
    """One row per field, then ``_micro`` and ``_macro``; comparison columns when given."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    rows: list[tuple[str, dict[str, Any], Difference | None]] = []
    for name, m in summary.fields.items():
        diff = comparison.fields.get(name) if comparison else None
        rows.append((name, m.model_dump(exclude={"f1_seed_sd"}), diff))
    rows.append(("_micro", summary.micro.model_dump(exclude={"f1_seed_sd"}),
                 comparison.micro if comparison else None))
    rows.append(("_macro", {"f1": summary.macro_f1, "f1_low": summary.macro_f1_low,
                            "f1_high": summary.macro_f1_high},
                 comparison.macro if comparison else None))
    for name, metrics, diff in rows:
        row = {"field": name, **metrics}
        if diff is not None:
            row.update(delta_f1=diff.delta, delta_low=diff.low, delta_high=diff.high,
                       p_value=diff.p_value, p_adjusted=diff.p_adjusted,
                       mcnemar_p=diff.mcnemar_p,
                       significant=diff.significant)
        writer.writerow(safe_dict(row))
    return buf.getvalue()


__all__ = ["CSV_COLUMNS", "FORMATS", "answers_markdown", "render_csv", "render_json",
           "render_markdown"]
