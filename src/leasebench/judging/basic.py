"""Judges ``schema`` (labels follow the field schema) and ``grounding`` (labels occur in text)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from ..components import Context, Judge
from ..records import Record, Verdict

SPACE = re.compile(r"\s+")


class SchemaJudge(Judge):
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


class GroundingJudge(Judge):
    """Passes a sample whose every label value occurs in its document text."""

    name: ClassVar[str] = "grounding"
    version: ClassVar[str] = "1"

    class Params(BaseModel):
        model_config = ConfigDict(extra="forbid")
        fold_whitespace: bool = True
        fold_case: bool = False

    def _norm(self, text: str) -> str:
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
                if value.strip() and self._norm(value.strip()) not in text
            ]
            yield Verdict(
                record_id=record.id, judge=self.name, passed=not missing,
                reason=("not in document: " + "; ".join(missing[:3])) if missing
                else "every value found in the document",
            )


__all__ = ["GroundingJudge", "SchemaJudge"]
