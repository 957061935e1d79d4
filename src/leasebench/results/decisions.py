"""The decision sections of report.json: proxy audit, next-round worth, per-field
attribution, break-even volume, judge agreement and ablation.

F1 values and differences are fractions (0-1), as everywhere in report.json; costs are
in the run's currency. See docs/metrics.md, section "Decisions".
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from ..scoring.stats import Comparison, Difference


class ProxyPick(BaseModel):
    """The trial a proxy metric picks in one sweep and what trusting it costs in dev F1."""

    proxy: str
    mode: Literal["max", "min"]
    trial: int = Field(description="The trial the proxy picks (ties: first in grid order).")
    agrees: bool = Field(description="It is the trial with the best dev micro F1.")
    dev_f1: float = Field(description="Dev micro F1 of the proxy's trial.")
    regret: float = Field(description="Best trial's dev micro F1 minus the proxy trial's (>= 0).")
    low: float = Field(description="Lower end of the regret interval over dev documents.")
    high: float = Field(description="Upper end of the regret interval over dev documents.")


class SweepAudit(BaseModel):
    """One sweep (a trained arm with one amount of synthetic data): each proxy's pick against
    the pick by dev micro F1."""

    arm: str
    synthetic_batches: int
    rounds: list[str] = Field(description="Rounds that use this sweep.")
    n_dev: int
    select_metric: str
    selected: int = Field(description="The trial the run selected.")
    trial_f1: list[float | None] = Field(
        default_factory=list, description="Dev micro F1 per trial (None: not recorded).")
    f1_trial: int | None = Field(None, description="The trial with the best dev micro F1.")
    picks: list[ProxyPick] = Field(default_factory=list)
    note: str = Field("", description="Why the audit is incomplete, when it is.")


class ProxyAgreement(BaseModel):
    """Across sweeps: how often a proxy picked the same trial as ``other`` (the dev F1 pick,
    ``eval_f1``, or another proxy)."""

    proxy: str
    other: str
    sweeps: int
    agreed: int


class Step(BaseModel):
    """One more synthetic round of a trained arm: the gain over the round before it, what
    the added round cost and the stop rule's verdict."""

    arm: str
    before: str
    after: str
    batches_before: int
    batches_after: int
    added_samples: int = Field(description="Synthetic training samples added.")
    comparison: Comparison = Field(
        description="after minus before, paired on the hold-out; per-field tests corrected.")
    data_cost: float = Field(0.0, description="Generating and judging the added batches.")
    training_cost: float = Field(
        0.0, description="Billed and per-token training of the `after` round (hourly-priced "
        "training is measured: timing.json).")
    verdict: Literal["continue", "stop"]
    reason: str = Field(description="The stop rule applied to this step, in words.")


class StoppedRound(BaseModel):
    """A round the stop rule left out (``decisions.stop_rounds``)."""

    round: str
    arm: str
    synthetic_batches: int
    after_step: str = Field(description="The step whose verdict was `stop`: 'before -> after'.")


class FamilyPair(BaseModel):
    """Two rounds of one family (the same trainer arm, or untrained arms of the same
    extractor) compared directly, paired on the hold-out."""

    family: str
    a: str
    b: str
    comparison: Comparison = Field(description="b minus a; per-field tests corrected.")


class BreakEven(BaseModel):
    """When fine-tuning plus serving costs less per month than a prompted round.

    Costs here are the ones that do not vary between identical runs (token prices, billed
    training, synthetic data). Hourly prices need measured latency and training time: with
    one (``hourly``), ``docs_per_month`` is left out here and the HTML and terminal reports
    compute it from timing.json.
    """

    trained: str
    prompted: str
    delta: Difference = Field(description="Micro F1, trained minus prompted (paired).")
    one_off: float = Field(description="Synthetic data and billed/per-token training.")
    per_doc_trained: float = Field(description="Token cost per document of the trained round.")
    per_doc_prompted: float = Field(description="Token cost per document of the prompted round.")
    months: float = Field(description="Months the one-off cost is spread over.")
    hourly: bool = Field(False, description="An hourly price applies (measured costs).")
    docs_per_month: float | None = Field(
        None, description="Documents per month from which the trained round is cheaper "
        "(0: always; None with `never`: never; None otherwise: see `hourly`).")
    never: bool = Field(False, description="The trained round costs at least as much per "
                        "document: it never breaks even.")


class JudgeDisagreement(BaseModel):
    """One sample two judges disagree on."""

    sample: str
    batch: int
    passed_by: str
    rejected_by: str
    reason: str


class JudgePair(BaseModel):
    """Two judges (or a judge and the gold validity of the samples) on the samples both
    scored, over all batches."""

    a: str
    b: str
    n: int
    both_pass: int
    a_only: int = Field(description="Passed by a, rejected by b.")
    b_only: int = Field(description="Passed by b, rejected by a.")
    both_reject: int
    kappa: float | None = Field(description="Cohen's kappa (None: undefined, one class only).")
    disagreements: list[JudgeDisagreement] = Field(default_factory=list)


class JudgeAblation(BaseModel):
    """A round trained again with one judge's rejects put back."""

    judge: str
    round: str
    put_back: int = Field(description="Samples this judge alone rejected, now trained on.")
    cost: float = Field(description="What the judge's calls cost over the round's batches.")
    comparison: Comparison = Field(
        description="The round minus its retrained copy: what the judge's filtering gained, "
        "per field (corrected).")


class Decisions(BaseModel):
    """Answers to the decisions a run leaves: which proxy to trust, whether the next
    synthetic round is worth it, which fields each batch moves, when fine-tuning pays off,
    whether each judge earns its cost."""

    proxy_audit: list[SweepAudit] = Field(default_factory=list)
    proxy_agreement: list[ProxyAgreement] = Field(default_factory=list)
    steps: list[Step] = Field(default_factory=list)
    stopped: list[StoppedRound] = Field(default_factory=list)
    min_gain: float = Field(0.0, description="The gain (micro F1) a step must reach to go on.")
    families: list[FamilyPair] = Field(default_factory=list)
    break_even: list[BreakEven] = Field(default_factory=list)
    judges: list[JudgePair] = Field(default_factory=list)
    judge_gold: list[JudgePair] = Field(default_factory=list)
    ablation: list[JudgeAblation] = Field(default_factory=list)


__all__ = [
    "BreakEven",
    "Decisions",
    "FamilyPair",
    "JudgeAblation",
    "JudgeDisagreement",
    "JudgePair",
    "ProxyAgreement",
    "ProxyPick",
    "Step",
    "StoppedRound",
    "SweepAudit",
]
