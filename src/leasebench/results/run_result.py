"""``RunResult``: everything a reporter needs, as one JSON-able model.

It holds no timings or paths that vary between identical runs, so the same manifest and
seed give a byte-identical ``report.json``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from ..records import ModelRef, Usage
from ..scoring.stats import Comparison, ScoreSummary
from .decisions import Decisions
from .formats import REPORT_FORMAT


class TrialResult(BaseModel):
    """One sweep trial: its params, the metrics it reached, whether it was selected."""

    index: int
    params: dict[str, Any]
    metrics: dict[str, float]
    selected: bool = False
    tied: bool = Field(
        False, description="Its selection metric equals the selected trial's (a tie that the "
        "grid order broke).",
    )
    curves: list[dict[str, float]] = Field(
        default_factory=list,
        description="Training curve points ({step, metric: value, ...}) the trainer reported "
        "in ModelRef.metadata['curves'].",
    )


class PairContext(BaseModel):
    """The document text around a wrong pair's gold and predicted values."""

    start: int = Field(description="Where `text` starts in the document (characters).")
    text: str
    gold: list[tuple[int, int]] = Field(
        default_factory=list, description="Spans of the gold values found (document "
        "characters); a gold value not in the text has none.")
    pred: list[tuple[int, int]] = Field(
        default_factory=list, description="Spans of the predicted values found.")
    seen: int | None = Field(
        None, description="The model saw the document only up to this character.")


class PairDetail(BaseModel):
    """Gold and predicted values of one (document, field) pair that is not a TN."""

    id: str
    field: str
    outcome: Literal["tp", "fp", "fn", "mismatch"]
    gold: list[str]
    pred: list[str]
    context: PairContext | None = Field(
        None, description="For a wrong pair: the text around its values (unset when none "
        "of them is in the text).")


class Selection(BaseModel):
    """How a trained round's sweep trial was picked."""

    metric: str
    mode: str
    n_dev: int = Field(description="Real dev documents the trials were scored on.")
    refit: bool = Field(False, description="The selected settings were trained again on "
                        "train + dev.")
    tied: list[int] = Field(default_factory=list, description="Other trials that tied.")


class RepeatScore(BaseModel):
    """One training seed's model of a round: its hold-out F1 (primary scorer)."""

    seed: int
    micro_f1: float
    macro_f1: float
    fields: dict[str, float] = Field(default_factory=dict)


class TrainingUsage(BaseModel):
    """What training a round's models used, as the trainers reported it (every trial,
    repeat and refit). ``cost``: money billed by the service, plus tokens at the
    manifest's price per 1,000 training tokens."""

    trainings: int = 0
    tokens: int = 0
    cost: float = 0.0


class RoundTiming(BaseModel):
    """Measured times of a round and what they cost (they vary between identical runs, so
    they are kept out of report.json: the json reporter writes them to timing.json)."""

    latency_p50_s: float | None = None
    latency_p95_s: float | None = None
    docs_per_s: float | None = Field(
        None, description="Documents per second, one request at a time (documents / summed "
        "latency).")
    train_seconds: float | None = None
    train_device: str | None = None
    train_cost: float | None = Field(
        None, description="Training money: the usage cost plus seconds at the hourly price.")
    serve_cost_per_1k_docs: float | None = Field(
        None, description="Token cost per 1,000 documents plus latency at the hourly price.")
    paid_now_cost: float = Field(
        0.0, description="Of the inference cost, what this run paid (new calls).")
    paid_earlier_cost: float = Field(
        0.0, description="Of the inference cost, what earlier runs paid (checkpoints and "
        "cached answers, at their original cost).")


class Coverage(BaseModel):
    """How much of the hold-out's text a round's model saw (first seed's predictions)."""

    documents: int = Field(description="Predictions that record the text they saw.")
    chunked: int = Field(0, description="Documents extracted in more than one window.")
    windows: int = Field(0, description="Windows (model calls) over those documents.")
    truncated: int = Field(0, description="Documents the model saw only the head of.")
    seen_share: float = Field(1.0, description="Share of their characters the model saw.")
    unseen_gold: int = Field(
        0, description="Gold values that occur only in text the model never saw.")
    unseen_examples: list[str] = Field(
        default_factory=list, description="Some of them: `document: field: value`.")


class Agreement(BaseModel):
    """A served round's answers against the in-process round of the same model."""

    round: str = Field(description="The in-process round compared with.")
    answers: float = Field(description="Share of (document, field) answers that are equal.")
    documents: float = Field(description="Share of documents whose every field is equal.")
    n_documents: int = 0


class RoundResult(BaseModel):
    """One round: its training data, model, scores and paired differences vs the reference."""

    name: str
    kind: Literal["baseline", "trained"]
    arm: str = Field("", description="The extractor or trainer arm the round uses.")
    synthetic_batches: int = 0
    n_train_real: int = Field(0, description="Real documents the scored models trained on.")
    n_train_synthetic: int = 0
    n_dev: int = Field(0, description="Real dev documents held out for selection.")
    model: ModelRef | None = None
    seeds: list[int] = Field(default_factory=list, description="Training seeds (repeats).")
    repeats: list[RepeatScore] = Field(
        default_factory=list, description="Per training seed hold-out F1 (with repeats > 1)."
    )
    selection: Selection | None = None
    training: TrainingUsage = Field(default_factory=TrainingUsage)
    trials: list[TrialResult] = Field(default_factory=list)
    scores: dict[str, ScoreSummary] = Field(default_factory=dict)
    vs_reference: dict[str, Comparison] = Field(default_factory=dict)
    n_predictions: int = 0
    parse_failures: int = 0
    call_failures: int = 0
    partial_answers: int = Field(
        0, description="Answers without a sound JSON object whose complete key/value pairs "
        "were salvaged (first seed; scored, not parse failures).")
    salvaged_values: int = Field(0, description="Field values the salvaged answers gave.")
    parse_rate: float | None = Field(
        None, description="Share of the answers (call failures left out) that gave labels, "
        "whole or salvaged (first seed).")
    partial_rate: float | None = Field(
        None, description="Share of the answers whose labels were salvaged (first seed).")
    micro_f1_without_salvage: float | None = Field(
        None, description="Micro F1 (primary scorer, first seed) with the salvaged answers "
        "counted as parse failures; set when any answer was salvaged.")
    coverage: Coverage | None = Field(
        None, description="Windows, truncation and text seen; unset when the extractor does "
        "not record them (it reads every document whole).")
    served: str | None = Field(
        None, description="The server the round extracted through (`serve`), else in-process.")
    agreement: Agreement | None = Field(
        None, description="A served round: its agreement with the in-process round of the "
        "same model (first seed), when the manifest has one.")
    usage: Usage = Field(default_factory=Usage)
    details: list[PairDetail] = Field(
        default_factory=list,
        description="Per-pair gold vs prediction (primary scorer), first `details_docs` docs.",
    )


class BatchDiversity(BaseModel):
    """How varied a batch's accepted samples are (word 5-gram MinHash similarity)."""

    samples: int
    mean_similarity: float | None = Field(
        None, description="Mean pairwise similarity of the accepted documents.")
    distinct_values: float | None = Field(
        None, description="Distinct label values over all label values.")
    distinct_labels: int = Field(0, description="Distinct whole label sets.")
    near_duplicates: int = Field(
        0, description="Accepted samples near-duplicating an earlier accepted one.")
    collapsed: bool = False


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
    diversity: BatchDiversity | None = None


class LeakPair(BaseModel):
    """A real train document that near-duplicates a hold-out document."""

    train_id: str
    holdout_id: str
    similarity: float


class RunResult(BaseModel):
    """A run's results: what every reporter renders and report.json holds."""

    format_version: int = Field(
        REPORT_FORMAT, ge=1, description="Format of this report.json; a file without it is "
        "format 1, which readers upgrade (`leasebench.results.formats`).")
    name: str
    manifest_hash: str
    seed: int
    schema_name: str
    fields: list[str]
    n_train: int
    n_holdout: int
    n_dev: int = Field(0, description="Real train documents held out for selection.")
    currency: str = Field("", description="Currency of every cost (the manifest's `currency`; "
                          "empty in reports written before it existed).")
    scorers: list[str]
    primary_scorer: str
    reference_round: str
    confidence: float
    rounds: list[RoundResult]
    funnel: list[FunnelBatch] = Field(default_factory=list)
    usage: dict[str, Usage] = Field(default_factory=dict)
    correction: str = Field("none", description="Multiple-comparison correction applied.")
    warnings: list[str] = Field(
        default_factory=list, description="What limits the claims: small samples, ties, "
        "leakage, collapsed batches.")
    leakage: list[LeakPair] = Field(default_factory=list)
    real_similarity: float | None = Field(
        None, description="Mean pairwise similarity of the real train documents (compare "
        "with the batches' diversity).")
    decisions: Decisions = Field(
        default_factory=Decisions, description="Proxy audit, next-round worth, per-field "
        "attribution, break-even volume, judge agreement and ablation.")
    timing: dict[str, RoundTiming] = Field(
        default_factory=dict, exclude=True,
        description="round -> measured latency and time-priced costs (not in report.json; "
        "the json reporter writes timing.json).")
    resent_calls: dict[str, int] = Field(
        default_factory=dict, exclude=True,
        description="stage -> calls sent again after a run that had sent them ended without "
        "their answers (killed, interrupted): they may have been paid twice (not in "
        "report.json; run.json's usage holds them).")
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
