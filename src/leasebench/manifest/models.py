"""The manifest: one YAML file describing a whole experiment.

Every model forbids unknown keys, so a typo is an error naming its location.
Component params are checked against the component's own ``Params`` model by
``manifest.load`` once the plugins are known.
"""

from __future__ import annotations

from typing import Literal

from pydantic import (
    ConfigDict,
    Field,
    model_validator,
)

from ..data.columns import ColumnMapping
from ..limits import LimitsSpec
from ..names import SAFE_NAME_RULE, SafeName, is_safe_name
from .arms import (
    ComponentSpec,
    DevSpec,
    ExtractorSpec,
    GuardsSpec,
    PricingSpec,
    SelectSpec,
    Strict,
    TrainerSpec,
    check_arms,
)
from .data_layouts import BuiltinData, DatasetData, DataSpec, FileData
from .decisions import DecisionsSpec


class ScorerSpec(ComponentSpec):
    label: SafeName | None = Field(
        None, description="How reports name this scorer; defaults to `name:mode` (or the name)."
    )

    @property
    def display_label(self) -> str:
        if self.label:
            return self.label
        mode = self.params.get("mode")
        return f"{self.name}:{mode}" if mode else self.name


class GeneratorSpec(ComponentSpec):
    batch_size: int = Field(
        50, ge=1, description="Synthetic samples generated per batch (before judging)."
    )


class RoundSpec(Strict):
    """One round: an untrained arm (`extractor`), or a trained arm on real data plus
    `synthetic_batches` synthetic batches (`trainer`, optional with a single trainer)."""

    name: SafeName = Field(description="Round name, unique, shown in reports (a file name).")
    extractor: str | None = Field(
        None, description="An untrained round: the name of one of `extractors`."
    )
    trainer: str | None = Field(
        None, description="A trained round: the name of one of `trainers` (optional when "
        "there is one trainer).",
    )
    synthetic_batches: int | None = Field(
        None, ge=0, description="Train on real data plus this many synthetic batches (0 = real)."
    )
    baseline: bool = Field(
        False, description="Older spelling of an untrained round using the `baseline` extractor."
    )
    serve: str | None = Field(
        None, description="Extract through this server, started by leasebench on 127.0.0.1 "
        "for the round (e.g. `transformers`), instead of in-process: the same model, served "
        "and read by the `llm` extractor; the report gives its agreement with the in-process "
        "round of the same model.",
    )

    @model_validator(mode="after")
    def _one_kind(self) -> RoundSpec:
        untrained = self.baseline or self.extractor is not None
        if self.baseline and self.extractor is not None:
            raise ValueError("give `extractor: NAME` or `baseline: true`, not both")
        if untrained and (self.synthetic_batches is not None or self.trainer is not None):
            raise ValueError("a round either extracts with an untrained `extractor` or trains "
                             "(`synthetic_batches`, `trainer`), not both")
        if not untrained and self.synthetic_batches is None:
            raise ValueError("set `extractor: NAME` (or `baseline: true`) or "
                             "`synthetic_batches: N`")
        return self

    @property
    def trained(self) -> bool:
        return self.synthetic_batches is not None


class StatsSpec(Strict):
    bootstrap: int = Field(1000, ge=0, description="Bootstrap iterations for intervals.")
    confidence: float = Field(0.95, gt=0, lt=1, description="Interval confidence level.")
    reference_round: str | None = Field(
        None, description="Round others are compared to; defaults to the first round."
    )
    correction: Literal["holm", "bonferroni", "fdr_bh", "none"] = Field(
        "holm", description="Multiple-comparison correction of per-field significance: "
        "`holm` (family-wise, default), `bonferroni`, `fdr_bh` (Benjamini-Hochberg false "
        "discovery rate) or `none`. Raw p-values are kept beside the adjusted ones.",
    )
    family: Literal["comparison", "run"] = Field(
        "comparison", description="What one correction family is: the per-field tests of one "
        "round against the reference (`comparison`), or of every round in the run (`run`).",
    )
    power: float = Field(
        0.8, gt=0, lt=1, description="Power for the minimum detectable effect in the report."
    )
    details_docs: int = Field(
        200, ge=0, description="Hold-out documents whose per-field gold vs prediction the "
        "report keeps (for the error browser)."
    )


class TrackingSpec(Strict):
    mlflow: bool = Field(
        True, description="Log runs to MLflow (the CLI's `--no-mlflow` turns it off)."
    )
    tracking_uri: str | None = Field(
        None,
        description="MLflow tracking URI; default `--tracking-uri`, else `MLFLOW_TRACKING_URI`, "
        "else `sqlite:///mlflow.db` in the working directory.",
    )
    experiment: str | None = Field(None, description="MLflow experiment; defaults to the name.")


class DataCardSpec(Strict):
    gold_values: bool = Field(
        True, description="List gold values not found verbatim in their documents (with "
        "document ids) in the run directory's `data_card.json` and `data_card.md`; false "
        "keeps the card to counts and shares. The terminal never shows gold values.",
    )


class Manifest(Strict):
    """A leasebench experiment."""

    name: SafeName = Field(description="Experiment name (the directory under the runs dir).")
    seed: int = Field(0, description="Seed for every random choice in the run.")
    schema_: str = Field(
        "lease", alias="schema", description="`lease` or a JSON Schema file of the fields."
    )
    data: DataSpec = Field(description="Where the labelled records come from.")
    generator: GeneratorSpec | None = Field(None, description="Synthetic data generator.")
    judges: list[ComponentSpec] = Field(
        default_factory=list, description="Judges a synthetic sample must all pass."
    )
    extractors: dict[str, ExtractorSpec] = Field(
        default_factory=dict, description="Untrained arms by name (prompted models, rule "
        "extractors); rounds name one with `extractor:`.",
    )
    trainers: dict[str, TrainerSpec] = Field(
        default_factory=dict, description="Trained arms by name; rounds name one with "
        "`trainer:`.",
    )
    trainer: TrainerSpec | None = Field(
        None, description="The single trained arm (older spelling of `trainers` with one entry)."
    )
    baseline: ExtractorSpec | None = Field(
        None, description="The single untrained arm, named `baseline` (older spelling of "
        "`extractors: {baseline: ...}`).",
    )
    dev: DevSpec = Field(
        default_factory=DevSpec, description="The real-only dev split trials are selected on."
    )
    scorers: list[ScorerSpec] = Field(
        default_factory=lambda: [ScorerSpec(name="field-match")],
        min_length=1,
        description="Scorers; the first is primary (selection, paired tests).",
    )
    reporters: list[ComponentSpec] = Field(
        default_factory=lambda: [ComponentSpec(name="markdown"), ComponentSpec(name="json")],
        description="Report formats written under the run's report/ directory.",
    )
    currency: str = Field(
        "USD", min_length=1, max_length=12,
        description="Currency of every price in the manifest (endpoint `prices`, arm "
        "`pricing`); reports show costs in it.",
    )
    rounds: list[RoundSpec] = Field(min_length=1, description="Rounds, in report order.")
    stats: StatsSpec = Field(default_factory=StatsSpec, description="Intervals and paired tests.")
    guards: GuardsSpec = Field(
        default_factory=GuardsSpec, description="Leakage and synthetic-collapse checks."
    )
    data_card: DataCardSpec = Field(
        default_factory=DataCardSpec, description="What the run's data card keeps."
    )
    tracking: TrackingSpec = Field(default_factory=TrackingSpec, description="MLflow tracking.")
    limits: LimitsSpec = Field(
        default_factory=LimitsSpec, description="Size limits raised for this experiment."
    )
    decisions: DecisionsSpec = Field(
        default_factory=DecisionsSpec, description="Proxy audit, the stop rule for synthetic "
        "rounds, break-even amortisation and judge ablation (docs/metrics.md, Decisions).",
    )
    executor: ComponentSpec = Field(
        default_factory=lambda: ComponentSpec(name="local"),
        description="Where map stages' per-item work runs: `local`, `processes`, `spark` or "
        "a plugin's (see docs/executors.md). Not part of any cache key or the run id.",
    )

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _consistent(self) -> Manifest:
        problems = []
        names = [r.name for r in self.rounds]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            problems.append(f"rounds: duplicate round name(s) {', '.join(dupes)}")
        if self.trainer is not None and self.trainers:
            problems.append("trainer: give `trainer` or `trainers`, not both")
        if self.baseline is not None and self.extractors:
            problems.append("baseline: give `baseline` or `extractors`, not both")
        for section, arms in (("extractors", self.extractors), ("trainers", self.trainers)):
            problems += [f"{section}.{name}: an arm name {SAFE_NAME_RULE}"
                         for name in arms if not is_safe_name(name)]
        problems += check_arms(self.rounds, self.extractor_arms, self.trainer_arms,
                               self.baseline is not None)
        fractions = {t.eval_fraction for t in self.trainer_arms.values()} - {None}
        if len(fractions) > 1:
            problems.append("trainers: `eval_fraction` differs between trainers; set "
                            "`dev.fraction` once")
        elif fractions and "dev" in self.model_fields_set:
            problems.append("dev: give `dev.fraction` or the older `eval_fraction`, not both")
        if self.max_batches > 0 and self.generator is None:
            problems.append("generator: rounds with synthetic batches need a `generator`")
        ref = self.stats.reference_round
        if ref is not None and ref not in names:
            problems.append(f"stats.reference_round: {ref!r} is not a round ({', '.join(names)})")
        problems += self.decisions.problems(self.rounds, len(self.judges))
        labels = [s.display_label for s in self.scorers]
        if len(set(labels)) != len(labels):
            problems.append("scorers: give each scorer a distinct `label`")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def extractor_arms(self) -> dict[str, ExtractorSpec]:
        """Untrained arms by name (the older `baseline` is the arm `baseline`)."""
        return {"baseline": self.baseline} if self.baseline is not None else self.extractors

    @property
    def trainer_arms(self) -> dict[str, TrainerSpec]:
        """Trained arms by name (the older single `trainer` is named after its component)."""
        return {self.trainer.name: self.trainer} if self.trainer is not None else self.trainers

    @property
    def legacy_trainer(self) -> bool:
        """The single `trainer` spelling (its stages keep their unprefixed names)."""
        return self.trainer is not None

    def arm_of(self, round_: RoundSpec) -> str:
        """The name of the arm a round uses."""
        if round_.trained:
            return round_.trainer or next(iter(self.trainer_arms))
        return round_.extractor or next(iter(self.extractor_arms))

    @property
    def dev_fraction(self) -> float:
        fractions = [t.eval_fraction for t in self.trainer_arms.values() if t.eval_fraction]
        return fractions[0] if fractions and "dev" not in self.model_fields_set \
            else self.dev.fraction

    @property
    def reference_round(self) -> str:
        return self.stats.reference_round or self.rounds[0].name

    @property
    def max_batches(self) -> int:
        return max((r.synthetic_batches or 0) for r in self.rounds)


__all__ = [
    "BuiltinData",
    "ColumnMapping",
    "ComponentSpec",
    "DataCardSpec",
    "DataSpec",
    "DatasetData",
    "DecisionsSpec",
    "DevSpec",
    "ExtractorSpec",
    "FileData",
    "GeneratorSpec",
    "GuardsSpec",
    "LimitsSpec",
    "Manifest",
    "PricingSpec",
    "RoundSpec",
    "ScorerSpec",
    "SelectSpec",
    "StatsSpec",
    "TrackingSpec",
    "TrainerSpec",
]
