"""``RunResult``: everything a reporter needs, as one JSON-able model.

It holds no timings or paths that vary between identical runs, so the same manifest and
seed give a byte-identical ``report.json``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from ..records import ModelRef, Usage
from ..scoring.stats import Comparison, ScoreSummary


class TrialResult(BaseModel):
    """One sweep trial: its params, the metrics it reached, whether it was selected."""

    index: int
    params: dict[str, Any]
    metrics: dict[str, float]
    selected: bool = False
    curves: list[dict[str, float]] = Field(
        default_factory=list,
        description="Training curve points ({step, metric: value, ...}) the trainer reported "
        "in ModelRef.metadata['curves'].",
    )


class PairDetail(BaseModel):
    """Gold and predicted values of one (document, field) pair that is not a TN."""

    id: str
    field: str
    outcome: Literal["tp", "fp", "fn", "mismatch"]
    gold: list[str]
    pred: list[str]


class RoundResult(BaseModel):
    """One round: its training data, model, scores and paired differences vs the reference."""

    name: str
    kind: Literal["baseline", "trained"]
    synthetic_batches: int = 0
    n_train_real: int = 0
    n_train_synthetic: int = 0
    model: ModelRef | None = None
    trials: list[TrialResult] = Field(default_factory=list)
    scores: dict[str, ScoreSummary] = Field(default_factory=dict)
    vs_reference: dict[str, Comparison] = Field(default_factory=dict)
    n_predictions: int = 0
    parse_failures: int = 0
    call_failures: int = 0
    usage: Usage = Field(default_factory=Usage)
    details: list[PairDetail] = Field(
        default_factory=list,
        description="Per-pair gold vs prediction (primary scorer), first `details_docs` docs.",
    )


class FunnelBatch(BaseModel):
    """Synthetic data funnel of one batch: generated -> passed each judge -> accepted."""

    batch: int
    generated: int
    passed: dict[str, int] = Field(default_factory=dict)
    accepted: int = 0
    reasons: dict[str, list[str]] = Field(default_factory=dict)
    usage: Usage = Field(
        default_factory=Usage, description="Tokens and cost of generating and judging it."
    )


class RunResult(BaseModel):
    """A run's results: what every reporter renders and report.json holds."""

    name: str
    manifest_hash: str
    seed: int
    schema_name: str
    fields: list[str]
    n_train: int
    n_holdout: int
    scorers: list[str]
    primary_scorer: str
    reference_round: str
    confidence: float
    rounds: list[RoundResult]
    funnel: list[FunnelBatch] = Field(default_factory=list)
    usage: dict[str, Usage] = Field(default_factory=dict)
    outcomes: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        exclude=True,
        description="round -> scorer label -> ``Outcomes`` (not serialised into report.json; "
        "the json reporter writes them to outcomes.json for paired cross-run tests).",
    )

    def round(self, name: str) -> RoundResult:
        for r in self.rounds:
            if r.name == name:
                return r
        raise KeyError(name)


__all__ = ["FunnelBatch", "PairDetail", "RoundResult", "RunResult", "TrialResult"]
