"""The core data types: records, predictions, model references and judge verdicts."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Labels = dict[str, list[str]]


class Origin(BaseModel):
    """Where a record came from: real data, or a synthetic sample and its lineage."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["real", "synthetic"] = "real"
    generator: str | None = None
    batch: int | None = None
    source_id: str | None = None


class Record(BaseModel):
    """One labelled document. `labels` maps field -> values; an empty list means absent."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    text: str
    labels: Labels = Field(default_factory=dict)
    origin: Origin = Field(default_factory=Origin)
    meta: dict[str, Any] = Field(default_factory=dict)

    def unlabelled(self) -> Record:
        """The record as an extractor sees it: same id and text, no labels."""
        return self.model_copy(update={"labels": {}})


class Usage(BaseModel):
    """Tokens and money one call (or a sum of calls) consumed."""

    model_config = ConfigDict(extra="forbid")

    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0
    cost: float = 0.0
    failed: int = Field(0, description="Items whose call finally failed.")

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            calls=self.calls + other.calls,
            cost=self.cost + other.cost,
            failed=self.failed + other.failed,
        )


class Prediction(BaseModel):
    """What an extractor produced for one document.

    `parse_error` is set when the model answered but the answer was not valid labels;
    `error` when the call itself failed. Either way `fields` is empty and the scorer
    counts the document as all-absent.
    """

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    fields: Labels = Field(default_factory=dict)
    raw: str | None = None
    parse_error: str | None = None
    error: str | None = None
    usage: Usage = Field(default_factory=Usage)
    latency_s: float | None = None


class ModelRef(BaseModel):
    """What a trainer hands back and an extractor loads.

    `extractor` names the extractor component that can load it, `params` are that
    extractor's params, `uri` locates the model (a path, a registered model, an endpoint).
    """

    model_config = ConfigDict(extra="forbid")

    extractor: str
    uri: str | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    metadata: dict[str, Any] = Field(default_factory=dict)
    metrics: dict[str, float] = Field(default_factory=dict)


class Verdict(BaseModel):
    """One judge's decision on one synthetic record."""

    model_config = ConfigDict(extra="forbid")

    record_id: str
    judge: str
    passed: bool
    reason: str = ""
    score: float | None = None
    error: str | None = Field(None, description="Set when the judge's call finally failed.")
    usage: Usage = Field(default_factory=Usage)


__all__ = ["Labels", "ModelRef", "Origin", "Prediction", "Record", "Usage", "Verdict"]
