"""Scoring: per (document, field) outcomes, per-field metrics, intervals and paired tests."""

from __future__ import annotations

from ..outcomes import FN, FP, TN, TP, Outcomes
from .scorer import FieldMatchParams, FieldMatchScorer, FieldOverride, failure_counts
from .stats import Comparison, Difference, FieldMetrics, ScoreSummary, compare, summarize

__all__ = [
    "FN",
    "FP",
    "TN",
    "TP",
    "Comparison",
    "Difference",
    "FieldMatchParams",
    "FieldMatchScorer",
    "FieldMetrics",
    "FieldOverride",
    "Outcomes",
    "ScoreSummary",
    "compare",
    "failure_counts",
    "summarize",
]
