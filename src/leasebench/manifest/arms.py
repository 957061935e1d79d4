"""Manifest sections for comparing several arms honestly: the dev split, repeats,
pricing, the synthetic-data and leakage guards.

An *arm* is one way of extracting: an untrained extractor with its params (a prompted
model, a rule extractor) or a trainer with its params, sweep and selection. Rounds name
the arm they use; see docs/metrics.md for how arms are compared.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ComponentSpec(Strict):
    """A component by registered name, with its params."""

    name: str = Field(description="Registered component name (see `leasebench plugins`).")
    params: dict[str, Any] = Field(default_factory=dict, description="The component's params.")


class PricingSpec(Strict):
    """What an arm's compute costs, in the currency of the endpoint prices.

    Token-priced endpoints carry their own prices (`endpoint.prices`); these are for the
    compute you pay by the hour (a GPU for training, a server for the trained model).
    """

    train_per_hour: float | None = Field(
        None, ge=0, description="Money per hour of training compute (times the seconds the "
        "trainer reports: GPU seconds when it reports them, else CPU/wall seconds).",
    )
    train_per_1k_tokens: float | None = Field(
        None, ge=0, description="Money per 1,000 training tokens (fine-tuning APIs billed by "
        "token), times the tokens the trainer reports.",
    )
    serve_per_hour: float | None = Field(
        None, ge=0, description="Money per hour of the serving compute; with the measured "
        "latency it gives a serving cost per 1,000 documents (one request at a time).",
    )

    @property
    def any(self) -> bool:
        return any(v is not None for v in self.model_dump().values())


class ExtractorSpec(ComponentSpec):
    """An untrained arm: an extractor and its params (a prompted model, a rule extractor)."""

    pricing: PricingSpec = Field(
        default_factory=PricingSpec, description="Hourly prices, for the cost per 1,000 docs."
    )


class SelectSpec(Strict):
    metric: str = Field(
        "eval_f1",
        description="Trial metric to select on: `eval_f1` (micro F1 of the trained model on "
        "the dev split, through its extractor and the primary scorer) or any metric the "
        "trainer reports on the dev split (e.g. `token_accuracy`).",
    )
    mode: Literal["max", "min"] = Field("max", description="Whether larger is better.")
    refit: bool = Field(
        False, description="After selection, train the selected settings again on the train "
        "and dev records (real + synthetic); the refit model is the one scored.",
    )


class TrainerSpec(ComponentSpec):
    """A trained arm: a trainer with its params, sweep, selection and repeats."""

    sweep: dict[str, list[Any]] = Field(
        default_factory=dict,
        description="Param -> values; every combination is one trial (grid, in key order).",
    )
    select: SelectSpec = Field(default_factory=SelectSpec, description="How the trial is picked.")
    repeats: int = Field(
        1, ge=1, description="Train the selected settings with this many seeds (the "
        "manifest seed first); scores are pooled over them and intervals include the "
        "between-seed variation (at most `limits.repeats`).",
    )
    pricing: PricingSpec = Field(
        default_factory=PricingSpec, description="Hourly or per-token training and serving "
        "prices, for training cost and cost per 1,000 docs.",
    )
    eval_fraction: float | None = Field(
        None, gt=0, lt=1, description="Older spelling of `dev.fraction` (the dev split is one "
        "for every arm and round); when given it sets the dev split's share.",
    )


class DevSpec(Strict):
    """The dev split: real train records held out once (seeded) to select sweep trials.

    Identical for every round and arm; synthetic records only ever train, and synthetic
    batches are generated from the remaining train records only. Only drawn when a round
    trains.
    """

    fraction: float = Field(
        0.2, gt=0, lt=1, description="Share of the real train records held out for selection."
    )


class GuardsSpec(Strict):
    """Checks on the data: hold-out leakage into the real train set, synthetic collapse.

    Similarity is the Jaccard index of word 5-gram shingle sets (MinHash estimates).
    """

    leakage: Literal["warn", "error", "off"] = Field(
        "warn", description="Real train documents that are near-duplicates of hold-out "
        "documents: a warning in the report, an error before any stage runs, or no check.",
    )
    leakage_threshold: float = Field(
        0.8, gt=0, le=1, description="Similarity at which a train/hold-out pair is a duplicate."
    )
    collapse_similarity: float = Field(
        0.8, gt=0, le=1, description="Warn when a synthetic batch's mean pairwise similarity "
        "(accepted samples) reaches this.",
    )
    collapse_distinct: float = Field(
        0.25, ge=0, le=1, description="Warn when the share of distinct label values in a "
        "batch's accepted samples falls below this.",
    )


def _known(kind: str, name: str, names: list[str]) -> str:
    return f"{kind} {name!r} is not defined ({', '.join(names) or 'none defined'})"


def check_arms(
    rounds: list[Any], extractors: dict[str, ExtractorSpec], trainers: dict[str, TrainerSpec],
    legacy_extractor: bool,
) -> list[str]:
    """Problems with the rounds' arm references (located by round index)."""
    problems = []
    for i, r in enumerate(rounds):
        if r.extractor is not None and r.extractor not in extractors:
            problems.append(f"rounds[{i}].extractor: " + _known(
                "extractor", r.extractor, list(extractors)))
        if r.baseline and not extractors:
            problems.append("baseline: a baseline round needs a `baseline` extractor")
        if r.baseline and not legacy_extractor and len(extractors) > 1:
            problems.append(f"rounds[{i}]: `baseline: true` is ambiguous with several "
                            "`extractors`; name one with `extractor:`")
        if r.synthetic_batches is None:
            continue
        if r.trainer is not None and r.trainer not in trainers:
            problems.append(f"rounds[{i}].trainer: " + _known(
                "trainer", r.trainer, list(trainers)))
        elif r.trainer is None and not trainers:
            problems.append("trainer: rounds with `synthetic_batches` need a `trainer`")
        elif r.trainer is None and len(trainers) > 1:
            problems.append(f"rounds[{i}].trainer: name one of {', '.join(trainers)}")
    return sorted(set(problems), key=problems.index)


__all__ = [
    "ComponentSpec",
    "DevSpec",
    "ExtractorSpec",
    "GuardsSpec",
    "PricingSpec",
    "SelectSpec",
    "Strict",
    "TrainerSpec",
    "check_arms",
]
