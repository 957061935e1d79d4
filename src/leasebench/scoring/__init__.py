"""Scoring: per (document, field) outcomes, per-field metrics, intervals and paired tests."""

from __future__ import annotations

from .outcomes import FN, FP, TN, TP, Outcomes
from .stats import Comparison, Difference, FieldMetrics, ScoreSummary, compare, summarize

__all__ = [
    "FN",
    "FP",
    "TN",
    "TP",
    "Comparison",
    "Difference",
    "FieldMetrics",
    "Outcomes",
    "ScoreSummary",
    "compare",
    "summarize",
]
