"""The run's result model's earlier home, kept so reporter plugins that import
``leasebench.reporting.results.RunResult`` keep working; the model is ``leasebench.results``."""

from __future__ import annotations

from ..results.run_result import (
    Agreement,
    BatchDiversity,
    Coverage,
    FunnelBatch,
    LeakPair,
    PairContext,
    PairDetail,
    RepeatScore,
    RoundResult,
    RoundTiming,
    RunResult,
    Selection,
    TrainingUsage,
    TrialResult,
)

__all__ = [
    "Agreement",
    "BatchDiversity",
    "Coverage",
    "FunnelBatch",
    "LeakPair",
    "PairContext",
    "PairDetail",
    "RepeatScore",
    "RoundResult",
    "RoundTiming",
    "RunResult",
    "Selection",
    "TrainingUsage",
    "TrialResult",
]
