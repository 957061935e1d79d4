"""Extractor ``rules``: zero-shot field extraction with hand-written cues, no model.

For each field it looks for the field's cues (``lexicon.py``) and reads the value that
follows with a reader for the field's kind: a date, a party name, or a clause of text.

* ``layout: labelled`` finds labelled values only: a cue at the start of a line (after an
  item number such as ``12.``, ``K.``, ``LR3.``, ``4)`` or a bullet, or in quotes) followed
  by a separator (``:``, a tab, ``.``, dot leaders, ``means``). Parties are also read
  from their defined terms (``Acme Inc., a Delaware corporation ("Landlord")``).
* ``layout: prose`` adds cues inside sentences (``shall be used for``, ``expiring on``,
  ``is made and entered into as of``), tried after the labelled ones.

The first value found per field is kept (``max_values``). It is the offline stand-in for a
prompted model: no training data, only knowledge written down in advance.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..components import Context, Extractor
from ..records import ModelRef, Prediction, Record
from ..schema import FieldSchema
from .lexicon import PARTY_ROLES, labelled_cues, prose_cues
from .readers import read_clause, read_date, read_party, skip_separator

ITEM = (r"(?:^|\n)[ \t]*(?:(?:\d+(?:\.\d+)*|[A-Z]|LR\d+(?:\.\d+)?)[.)]|\(\w{1,3}\)|[•\-])?"
        r"[ \t]*[\"“]?")
SEPARATOR = r"[\"”]?(?:[ \t]*:|\t|[ \t]*\.(?!\d)|[ \t]*\.{2,}[.,]*|\s+means\b)"


class RulesParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    layout: Literal["labelled", "prose"] = Field(
        "prose", description="`labelled`: only cue-separator-value layouts and defined "
        "party terms; `prose`: also cues inside sentences.",
    )
    max_chars: int = Field(
        160, ge=10, le=2000, description="Longest text value read after a cue."
    )
    max_values: int = Field(1, ge=1, le=10, description="Values kept per field.")


@lru_cache(maxsize=256)
def _labelled(cue: str) -> re.Pattern[str]:
    return re.compile(ITEM + rf"(?:{cue}){SEPARATOR}", re.IGNORECASE)


@lru_cache(maxsize=256)
def _prose(cue: str) -> re.Pattern[str]:
    return re.compile(cue, re.IGNORECASE)


@lru_cache(maxsize=8)
def _defined_party(roles: str) -> re.Pattern[str]:
    # NAME[, a Maryland corporation] (the|hereinafter "Landlord") / NAME, as Ground Lessor
    return re.compile(
        r"(?:between|by|and|\(\d\)|\n)\s+([A-Z][^\n()\"“]{1,90}?)"
        rf"(?:,\s+(?:a|an)\s+[^\n()]{{0,90}}?)?\s*(?:\((?:the\s+|hereinafter\s+)?"
        rf"[\"“]?(?:{roles})[\"”]?\)|,\s+as\s+(?:{roles})\b)"
    )


class RulesExtractor(Extractor[RulesParams]):
    """Zero-shot extraction with hand-written cues per field (no model, no training)."""

    name: ClassVar[str] = "rules"
    version: ClassVar[str] = "1"

    def extract(
        self, model: ModelRef, records: Sequence[Record], ctx: Context
    ) -> Iterator[Prediction]:
        for record in records:
            started = time.perf_counter()
            fields = {f: self.field_values(record.text, ctx.schema, f) for f in ctx.schema.fields}
            yield Prediction(id=record.id, fields=fields,
                             latency_s=time.perf_counter() - started)

    def field_values(self, text: str, schema: FieldSchema, field: str) -> list[str]:
        """The values found for ``field``, first cue first."""
        kind = schema.kind(field)
        found: list[str] = []
        for pos in self._starts(text, schema, field, kind):
            value = self._read(text, pos, kind)
            if value and value not in found:
                found.append(value)
            if len(found) == self.params.max_values:
                break
        return found

    def _starts(self, text: str, schema: FieldSchema, field: str, kind: str) -> Iterator[int]:
        if kind == "party" and field in PARTY_ROLES:
            roles = PARTY_ROLES[field]
            for m in _labelled(roles.replace(" ", r"\s+")).finditer(text):
                yield skip_separator(text, m.end())
            for m in _defined_party(roles).finditer(text):
                yield m.start(1)
        else:
            for cue in labelled_cues(schema, field):
                for m in _labelled(cue).finditer(text):
                    yield skip_separator(text, m.end())
        if self.params.layout == "prose":
            for cue in prose_cues(schema, field):
                for m in _prose(cue).finditer(text):
                    yield m.end()

    def _read(self, text: str, pos: int, kind: str) -> str | None:
        if kind == "date":
            return read_date(text, pos)
        if kind == "party":
            return read_party(text, pos, 90)
        return read_clause(text, pos, self.params.max_chars)


__all__ = ["RulesExtractor", "RulesParams"]
