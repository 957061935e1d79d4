"""Generator ``swap``: the offline analogue of the two-step LLM generator.

Step 1, new labels "similar but with different details": every field gets a new value of
the same kind and surface form (:mod:`.atoms` for dates, money and areas; :mod:`.relabel`
for parties, uses, counts and street numbers). One shift moves every date of the document,
so signing <= start <= end and end == expiration keep holding where they held.

Step 2, a new document: each label occurrence in the source is replaced by its new value
(longest first), every other occurrence of an old value's surface forms (a party's name in
capitals, the same date or amount elsewhere) is rewritten the same way, and the text
around the labels is varied from the corpus' phrase banks (:mod:`.vary`). The new labels
are verbatim substrings of the new text by construction, and checked.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from ..components import Context, GenerateTask, Generator
from ..records import Origin, Record
from .atoms import Rewrite, looks_day_first
from .relabel import new_counts, new_numbers, new_party, new_use
from .vary import vary

_LOCALES = {"uk": "uk", "translated": "cn"}
_PARTY_FIELDS = ("lessor", "lessee")


def _placeholder(i: int) -> str:
    return f"\ue000{chr(0xE100 + i)}\ue001"


def _locale(record: Record) -> str:
    family = str(record.meta.get("family", ""))
    if family in _LOCALES:
        return _LOCALES[family]
    if "Co., Ltd." in record.text or "RMB" in record.text:
        return "cn"
    return "uk" if "£" in record.text else "us"


class SwapGeneratorParams(BaseModel):
    """Params of the ``swap`` generator."""

    model_config = ConfigDict(extra="forbid")
    max_shift_months: int = Field(
        96, ge=1, description="Dates move together by up to this many months."
    )
    money_spread: float = Field(
        0.5, ge=0, lt=1, description="Amounts scale by a factor in [1 - s, 1 + s]."
    )
    area_spread: float = Field(0.5, ge=0, lt=1, description="Areas scale likewise.")
    vary: float = Field(
        0.5, ge=0, le=1, description="Rate of wording changes around the labels (0: none)."
    )


class SwapGenerator(Generator[SwapGeneratorParams]):
    """New same-form label values swapped into a train document whose wording is varied."""

    name: ClassVar[str] = "swap"
    version: ClassVar[str] = "1"

    def generate(self, tasks: Sequence[GenerateTask], ctx: Context) -> Iterator[Record]:
        for task in tasks:
            text, labels = self.swap(task.source, random.Random(task.seed), ctx.schema.fields)
            yield Record(
                id=task.sample_id,
                text=text,
                labels=labels,
                origin=Origin(
                    kind="synthetic", generator=self.name, batch=task.batch,
                    source_id=task.source.id,
                ),
                meta={k: task.source.meta[k] for k in ("family",) if k in task.source.meta},
            )

    def new_values(
        self, source: Record, rng: random.Random, fields: Sequence[str]
    ) -> tuple[dict[str, str], Rewrite, dict[str, str]]:
        """Step 1: old value -> new value for every label, the atom rewrite, party names."""
        p = self.params
        months = 0
        while months == 0:
            months = rng.randint(-p.max_shift_months, p.max_shift_months)
        rewrite = Rewrite(
            months=months,
            money_factor=rng.uniform(1 - p.money_spread, 1 + p.money_spread),
            area_factor=rng.uniform(1 - p.area_spread, 1 + p.area_spread),
            day_first=_locale(source) == "uk"
            or looks_day_first([source.text]),
        )
        locale = _locale(source)
        names: dict[str, str] = {}
        taken = {v for f in _PARTY_FIELDS for v in source.labels.get(f, [])}
        for field in _PARTY_FIELDS:
            for value in source.labels.get(field, []):
                if value not in names:
                    names[value] = new_party(value, field, locale, rng, taken)
                    taken.add(names[value])
        counts: dict[int, int] = {}
        numbers: dict[str, str] = {}
        mapping: dict[str, str] = {}
        for field in fields:
            for value in source.labels.get(field, []):
                if value in mapping:
                    continue
                if value in names:
                    mapping[value] = names[value]
                    continue
                new = new_use(value, rng) if field == "designated_use" else None
                if new is None:
                    new = self._replace_names(rewrite.apply(value), names)
                    if field == "extension_period":
                        new = new_counts(new, rng, counts)
                    if field == "leased_space":
                        new = new_numbers(new, rng, numbers)
                mapping[value] = new
        return mapping, rewrite, names

    @staticmethod
    def _replace_names(text: str, names: dict[str, str]) -> str:
        for old in sorted(names, key=len, reverse=True):
            text = text.replace(old, names[old])
            if old.upper() != old:
                text = text.replace(old.upper(), names[old].upper())
        return text

    def swap(
        self, source: Record, rng: random.Random, fields: Sequence[str]
    ) -> tuple[str, dict[str, list[str]]]:
        """Step 2: the new document and its labels."""
        mapping, rewrite, names = self.new_values(source, rng, fields)
        olds = sorted(mapping, key=lambda s: (-len(s), s))
        text = source.text
        for i, old in enumerate(olds):
            text = text.replace(old, _placeholder(i))
        text = self._replace_names(text, names)
        text = rewrite.apply(text)
        text = vary(text, rng, self.params.vary)
        for i, old in enumerate(olds):
            text = text.replace(_placeholder(i), mapping[old])
        labels = {
            f: list(dict.fromkeys(mapping[v] for v in source.labels.get(f, []))) for f in fields
        }
        missing = [v for vs in labels.values() for v in vs if v not in text]
        if missing:  # a placeholder lost to an edit: fall back to a plain substitution
            text = source.text
            for old in olds:
                text = text.replace(old, mapping[old])
            labels = {f: [v for v in vs if v in text] for f, vs in labels.items()}
        return text, labels


__all__ = ["SwapGenerator"]
