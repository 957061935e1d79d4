"""What a run found, as one JSON-able model: ``RunResult`` (``run_result``: rounds, trials,
funnel, timings) with its decision sections (``decisions``). It is report.json's shape;
the runner and ``leasebench.decisions`` fill it in, reporters and tracking read it."""

from __future__ import annotations

from .decisions import (
    BreakEven,
    Decisions,
    FamilyPair,
    JudgeAblation,
    JudgeDisagreement,
    JudgePair,
    ProxyAgreement,
    ProxyPick,
    Step,
    StoppedRound,
    SweepAudit,
)
from .run_result import (
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
    "BreakEven",
    "Coverage",
    "Decisions",
    "FamilyPair",
    "FunnelBatch",
    "JudgeAblation",
    "JudgeDisagreement",
    "JudgePair",
    "LeakPair",
    "PairContext",
    "PairDetail",
    "ProxyAgreement",
    "ProxyPick",
    "RepeatScore",
    "RoundResult",
    "RoundTiming",
    "RunResult",
    "Selection",
    "Step",
    "StoppedRound",
    "SweepAudit",
    "TrainingUsage",
    "TrialResult",
]
