"""Extractor ``example/regex-dates``: date fields from a date regex and cue words before it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from leasebench.components import Context, Extractor
from leasebench.records import ModelRef, Prediction, Record

from .dates import find_dates

DEFAULT_CUES: dict[str, list[str]] = {
    "signing_date": ["made as of", "dated", "entered into", "signed", "executed", "made on"],
    "start_date": ["commence", "start", "beginning", "from"],
    "end_date": ["end on", "shall end", "terminate", "through", "until", "to"],
    "expiration_date_of_lease": ["expire", "expiration", "expiry"],
}


class RegexDatesExtractorParams(BaseModel):
    """Params of the ``example/regex-dates`` extractor."""

    model_config = ConfigDict(extra="forbid")
    window: int = Field(40, ge=1, le=400, description="Characters of left context.")
    cues: dict[str, list[str]] = Field(
        default_factory=lambda: dict(DEFAULT_CUES),
        description="Field -> lower-case cue phrases; a date field without cues uses "
        "the words of its name.",
    )


class RegexDatesExtractor(Extractor[RegexDatesExtractorParams]):
    """Fills the schema's date fields with the first date whose left context has a cue word.

    Needs no model: any ``ModelRef`` works, so it serves as a baseline. Fields that are not
    of kind ``date`` are predicted empty.
    """

    name: ClassVar[str] = "example/regex-dates"
    version: ClassVar[str] = "1"

    def cues(self, field: str) -> list[str]:
        return self.params.cues.get(field) or field.lower().split("_")

    def extract(
        self, model: ModelRef, records: Sequence[Record], ctx: Context
    ) -> Iterator[Prediction]:
        fields = ctx.schema.fields
        dates = [f for f in fields if ctx.schema.kind(f) == "date"]
        for record in records:
            found: dict[str, list[str]] = {f: [] for f in fields}
            matches = find_dates(record.text)
            for field in dates:
                for m in matches:
                    left = record.text[max(0, m.start() - self.params.window): m.start()].lower()
                    if any(cue in left for cue in self.cues(field)):
                        found[field] = [m.group(0)]
                        break
            yield Prediction(id=record.id, fields=found)


__all__ = ["DEFAULT_CUES", "RegexDatesExtractor"]
