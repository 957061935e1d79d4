"""The data card as plain data: ``DataCard`` (written as ``data_card.json``) and its parts.

``card.build_card`` fills it in; ``warnings`` reads it; ``card_render`` makes it Markdown.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

NEAR_DUP_THRESHOLD = 0.8


class Found(BaseModel):
    """Gold values by where they occur in their document."""

    values: int = 0
    verbatim: int = 0
    normalized: int = 0
    not_found: int = 0

    def share(self, kind: str) -> float:
        return getattr(self, kind) / self.values if self.values else 0.0


class FieldCard(Found):
    """One field in one split: documents that have a value, and where its values occur."""

    present: int = 0
    presence: float = 0.0


class Lengths(BaseModel):
    """A length distribution (characters or words)."""

    min: int = 0
    p10: float = 0
    median: float = 0
    p90: float = 0
    max: int = 0
    mean: float = 0


class SplitCard(BaseModel):
    name: str
    documents: int
    empty_documents: int = 0
    chars: Lengths
    words: Lengths
    gold: Found
    fields: dict[str, FieldCard]


class Example(BaseModel):
    """A gold value not found verbatim in its document."""

    split: str
    id: str
    field: str
    value: str
    found: str


class Pair(BaseModel):
    """Two documents that are the same (``exact``: equal after case/space folding) or near
    duplicates (shingle Jaccard >= the card's threshold)."""

    a_split: str
    a: str
    b_split: str
    b: str
    similarity: float
    exact: bool


class Duplicates(BaseModel):
    """Duplicate pairs, counted by (split, split) and kind; the first pairs listed."""

    threshold: float = NEAR_DUP_THRESHOLD
    counts: dict[str, dict[str, int]] = Field(default_factory=dict)
    pairs: list[Pair] = Field(default_factory=list)


class DataCard(BaseModel):
    schema_name: str
    splits: list[SplitCard]
    duplicates: Duplicates
    examples: list[Example] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


__all__ = [
    "NEAR_DUP_THRESHOLD", "DataCard", "Duplicates", "Example", "FieldCard", "Found", "Lengths",
    "Pair", "SplitCard",
]
