"""Judges ``schema`` (labels follow the field schema) and ``grounding`` (labels occur in text).

``grounding`` matches ``exact`` (with optional whitespace and case folding), or
``normalized``: Unicode-normalised, case-folded, punctuation and whitespace collapsed, and
a value not found verbatim that way still counts when its best partial fuzzy similarity
to the text (rapidfuzz ``partial_ratio``) reaches ``threshold``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz

from ..components import Context, Judge, NoParams
from ..records import Record, Verdict

SPACE = re.compile(r"\s+")
PUNCT = re.compile(r"[^\w\s]+")


def normalize(text: str) -> str:
    """NFKC, case-folded, punctuation dropped, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return SPACE.sub(" ", PUNCT.sub(" ", text)).strip()


class SchemaJudge(Judge[NoParams]):
    """Passes a sample whose labels have exactly the schema's keys, each a list of strings."""

    name: ClassVar[str] = "schema"
    version: ClassVar[str] = "1"

    def judge(self, records: Sequence[Record], ctx: Context) -> Iterator[Verdict]:
        for record in records:
            errors = ctx.schema.label_errors(record.labels)
            yield Verdict(
                record_id=record.id, judge=self.name, passed=not errors,
                reason="; ".join(errors[:5]) if errors else "all keys present, right types",
            )


class GroundingJudgeParams(BaseModel):
    """Params of the ``grounding`` judge."""

    model_config = ConfigDict(extra="forbid")
    match: Literal["exact", "normalized"] = Field(
        "exact", description="exact substring, or normalised with a fuzzy threshold"
    )
    threshold: float = Field(
        0.9, gt=0, le=1, description="normalized: least partial similarity that counts"
    )
    fold_whitespace: bool = True
    fold_case: bool = False


class GroundingJudge(Judge[GroundingJudgeParams]):
    """Passes a sample whose every label value occurs in its document text."""

    name: ClassVar[str] = "grounding"
    version: ClassVar[str] = "1"

    def _norm(self, text: str) -> str:
        if self.params.match == "normalized":
            return normalize(text)
        if self.params.fold_whitespace:
            text = SPACE.sub(" ", text)
        return text.casefold() if self.params.fold_case else text

    def judge(self, records: Sequence[Record], ctx: Context) -> Iterator[Verdict]:
        for record in records:
            if not record.text.strip():
                yield Verdict(record_id=record.id, judge=self.name, passed=False,
                              reason="empty document")
                continue
            text = self._norm(record.text)
            missing = [
                f"{field}: {value!r}"
                for field, values in record.labels.items()
                for value in values
                if value.strip() and not self._found(self._norm(value.strip()), text)
            ]
            yield Verdict(
                record_id=record.id, judge=self.name, passed=not missing,
                reason=("not in document: " + "; ".join(missing[:3])) if missing
                else "every value found in the document",
            )

    def _found(self, value: str, text: str) -> bool:
        if value in text:
            return True
        if self.params.match != "normalized" or not value:
            return False
        return fuzz.partial_ratio(value, text) >= 100 * self.params.threshold


__all__ = ["GroundingJudge", "SchemaJudge", "normalize"]
