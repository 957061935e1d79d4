"""The core data types: records, predictions, model references and judge verdicts."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

_LONE = re.compile("[\ud800-\udfff]")


def valid_text(value: str) -> str:
    """``value`` with each lone UTF-16 surrogate (a JSON escape such as ``\\ud800`` in a
    model's answer: no text, and no UTF-8 file can hold it) replaced by U+FFFD. Data files
    holding one are refused when read; this keeps a model's answer writable."""
    if value.isascii() or _LONE.search(value) is None:
        return value
    return _LONE.sub("\ufffd", value)


Text = Annotated[str, AfterValidator(valid_text)]
Labels = dict[Text, list[Text]]


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
    text: Text
    labels: Labels = Field(default_factory=dict)
    origin: Origin = Field(default_factory=Origin)
    meta: dict[str, Any] = Field(default_factory=dict)

    def unlabelled(self) -> Record:
        """The record as an extractor sees it: same id and text, no labels."""
        return self.model_copy(update={"labels": {}})


def _zero(value: float) -> bool:
    return not value


class Usage(BaseModel):
    """Tokens and money one call (or a sum of calls) consumed.

    Recorded once, when the call is paid, and never changed after: an answer served later
    from the response cache carries the usage it had when it was paid, and counts in
    ``cached`` (with its share in the ``cached_*`` fields), so a summary can tell what
    was paid now from what was paid earlier. The ``cached*`` fields describe the process
    that holds the object; stage files keep usage ``recorded()`` (without them) and JSON
    leaves them out while they are 0.
    """

    model_config = ConfigDict(extra="forbid")

    prompt_tokens: int = Field(default=0, ge=0)
    completion_tokens: int = Field(default=0, ge=0)
    calls: int = Field(default=0, ge=0)
    cost: float = Field(default=0.0, ge=0)
    failed: int = Field(default=0, ge=0, description="Items whose call finally failed.")
    cached: int = Field(
        default=0, ge=0, exclude_if=_zero,
        description="Of `calls`, how many the response cache answered (paid earlier).",
    )
    cached_prompt_tokens: int = Field(
        default=0, ge=0, exclude_if=_zero, description="Prompt tokens of the cached calls."
    )
    cached_completion_tokens: int = Field(
        default=0, ge=0, exclude_if=_zero, description="Completion tokens of the cached calls."
    )
    cached_cost: float = Field(
        default=0.0, ge=0, exclude_if=_zero, description="Cost of the cached calls."
    )

    def __add__(self, other: Usage) -> Usage:
        return Usage(**{f: getattr(self, f) + getattr(other, f) for f in _USAGE_FIELDS})

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def as_cached(self) -> Usage:
        """The same usage, served from the response cache: every call counts as cached."""
        return self.model_copy(update={
            "cached": self.calls, "cached_prompt_tokens": self.prompt_tokens,
            "cached_completion_tokens": self.completion_tokens, "cached_cost": self.cost,
        })

    def recorded(self) -> Usage:
        """The usage as stored with a result: what it cost, not whether it was paid now."""
        return self.model_copy(update={f: 0 for f in _CACHED_FIELDS})

    def paid_now(self) -> Usage:
        """The part of this usage paid by new calls (not answered from the cache)."""
        return Usage(
            prompt_tokens=max(0, self.prompt_tokens - self.cached_prompt_tokens),
            completion_tokens=max(0, self.completion_tokens - self.cached_completion_tokens),
            calls=max(0, self.calls - self.cached),
            cost=max(0.0, self.cost - self.cached_cost),
            failed=self.failed,
        )


_CACHED_FIELDS = ("cached", "cached_prompt_tokens", "cached_completion_tokens", "cached_cost")
_USAGE_FIELDS = tuple(Usage.model_fields)


SpanHow = Literal["exact", "normalized", "fuzzy"]
#: Where a value lies in its document: ``(start, end, how it matched)``, characters.
Span = tuple[int, int, SpanHow]


def _empty_none(value: object) -> bool:
    return value is None


def _one(value: int) -> bool:
    return value == 1


def _empty(value: object) -> bool:
    return not value


class Prediction(BaseModel):
    """What an extractor produced for one document.

    `parse_error` is set when the model answered but the answer was not valid labels;
    `error` when the call itself failed. Either way `fields` is empty and the scorer
    counts the document as all-absent. `partial` marks an answer without a sound object
    whose `fields` are the complete key/value pairs salvaged from a cut-off or malformed
    one: scored as they are, counted apart from parse failures.

    How much of the document the model saw (left out of JSON at their defaults, so
    predictions stored before them read the same): `chunks` (the windows it was
    extracted in), `truncated` with `seen_chars` (the model saw only the document's
    first `seen_chars` characters); `seen_chars` without `truncated` records that it saw
    all of them. `spans` gives, per field, each value's place in the document (or None).
    """

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    fields: Labels = Field(default_factory=dict)
    raw: Text | None = None
    parse_error: str | None = None
    partial: bool = Field(
        default=False, exclude_if=_empty,
        description="The answer was cut off or malformed; `fields` holds what was salvaged.",
    )
    error: str | None = None
    usage: Usage = Field(default_factory=Usage)
    latency_s: float | None = None
    chunks: int = Field(
        default=1, ge=1, exclude_if=_one,
        description="Windows the document was extracted in (1: the whole document at once).",
    )
    truncated: bool = Field(
        default=False, exclude_if=_empty,
        description="The document was cut: the model saw only its first `seen_chars` "
        "characters.",
    )
    seen_chars: int | None = Field(
        default=None, ge=0, exclude_if=_empty_none,
        description="Characters of the document the model saw, from its start (not "
        "recorded: unknown, e.g. an extractor that reads every document whole).",
    )
    spans: dict[str, list[Span | None]] = Field(
        default_factory=dict, exclude_if=_empty,
        description="Per field, per value: its `[start, end, how]` in the document (how: "
        "exact, normalized, fuzzy), or null where it is not in the text.",
    )


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
    error: str | None = Field(default=None, description="Set when the judge's call finally failed.")
    usage: Usage = Field(default_factory=Usage)


__all__ = [
    "Labels", "ModelRef", "Origin", "Prediction", "Record", "Span", "SpanHow", "Usage", "Verdict",
]
