"""The data card: what a reviewer wants to know about labelled records before a run.

``build_card(splits, schema)`` computes, per split: document counts, text lengths,
per-field presence, and where the gold values occur in their documents (verbatim, after
normalisation, not at all; see ``grounding``); across splits: exact and near-duplicate
documents (``near_dup``); and the warnings that follow. The card is plain data
(``card_model.DataCard``, written as ``data_card.json``); ``card_render`` makes it Markdown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence

import numpy as np

from ..records import Record
from ..schema import FieldSchema
from ..values.normalize import exact_form
from .card_model import (
    NEAR_DUP_THRESHOLD,
    DataCard,
    Duplicates,
    Example,
    FieldCard,
    Found,
    Lengths,
    Pair,
    SplitCard,
)
from .grounding import CLASSES, Document, locate
from .near_dup import near_duplicates
from .warnings import card_warnings

MAX_LISTED = 20
MAX_EXAMPLES = 10


def build_card(
    splits: Sequence[tuple[str, Sequence[Record]]], schema: FieldSchema,
    near_dup_threshold: float = NEAR_DUP_THRESHOLD,
) -> DataCard:
    """The data card of ``splits`` (name, records), e.g. train and hold-out."""
    examples: list[Example] = []
    cards = [_split_card(name, records, schema, examples) for name, records in splits]
    dups = _duplicates(splits, near_dup_threshold)
    card = DataCard(schema_name=schema.name, splits=cards, duplicates=dups,
                    examples=_pick_examples(examples))
    card.warnings = card_warnings(card)
    return card


def _split_card(name: str, records: Sequence[Record], schema: FieldSchema,
                examples: list[Example]) -> SplitCard:
    fields = {f: FieldCard() for f in schema.fields}
    gold = Found()
    for record in records:
        doc = Document(record.text)
        for field, values in record.labels.items():
            card = fields.setdefault(field, FieldCard())
            if values:
                card.present += 1
            kind = schema.kind(field) if field in schema.fields else "text"
            for value in values:
                where = locate(value, kind, doc)
                for counter in (card, gold):
                    counter.values += 1
                    setattr(counter, where, getattr(counter, where) + 1)
                if where != "verbatim":
                    examples.append(Example(split=name, id=record.id, field=field,
                                            value=value[:200], found=where))
    for card in fields.values():
        card.presence = round(card.present / len(records), 4) if records else 0.0
    return SplitCard(
        name=name, documents=len(records),
        empty_documents=sum(1 for r in records if not r.text.strip()),
        chars=_lengths([len(r.text) for r in records]),
        words=_lengths([len(r.text.split()) for r in records]),
        gold=gold, fields=fields,
    )


def _lengths(values: list[int]) -> Lengths:
    if not values:
        return Lengths()
    arr = np.asarray(values, dtype=float)
    p10, med, p90 = (round(float(x), 1) for x in np.percentile(arr, [10, 50, 90]))
    return Lengths(min=int(arr.min()), p10=p10, median=med, p90=p90, max=int(arr.max()),
                   mean=round(float(arr.mean()), 1))


def _pick_examples(examples: list[Example]) -> list[Example]:
    """Per split, not-found values first, then normalised-only ones; at most
    ``MAX_EXAMPLES`` per split."""
    order: dict[str, int] = {c: i for i, c in enumerate(reversed(CLASSES))}
    picked: list[Example] = []
    for split in dict.fromkeys(e.split for e in examples):
        mine = [e for e in examples if e.split == split]
        picked += sorted(mine, key=lambda e: order[e.found])[:MAX_EXAMPLES]
    return picked


class _Texts(Mapping[str, str]):
    """Every split's document texts by a position key, read when asked for (a hold-out read
    from its file is never held as a whole)."""

    def __init__(self, splits: Sequence[tuple[str, Sequence[Record]]]):
        self.splits = splits
        self.where = {f"{s}:{i:09d}": (s, i) for s, (_, records) in enumerate(splits)
                      for i in range(len(records))}

    def __getitem__(self, key: str) -> str:
        return self.record(key).text

    def __iter__(self) -> Iterator[str]:
        return iter(self.where)

    def __len__(self) -> int:
        return len(self.where)

    def items(self) -> Iterator[tuple[str, str]]:  # type: ignore[override]
        for s, (_, records) in enumerate(self.splits):
            for i, record in enumerate(records):
                yield f"{s}:{i:09d}", record.text

    def record(self, key: str) -> Record:
        s, i = self.where[key]
        return self.splits[s][1][i]

    def split(self, key: str) -> str:
        return self.splits[self.where[key][0]][0]


def _duplicates(splits: Sequence[tuple[str, Sequence[Record]]], threshold: float) -> Duplicates:
    texts = _Texts(splits)  # one pass over every split at once
    found = near_duplicates(texts, threshold=threshold)
    order = {name: i for i, (name, _) in enumerate(splits)}
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"exact": 0, "near": 0})
    pairs: list[Pair] = []
    for p in found:
        (a_split, a), (b_split, b) = sorted(
            ((texts.split(k), texts.record(k)) for k in (p.a, p.b)), key=lambda d: order[d[0]])
        exact = exact_form(a.text) == exact_form(b.text)
        counts[_pair_key(a_split, b_split)]["exact" if exact else "near"] += 1
        pairs.append(Pair(a_split=a_split, a=a.id, b_split=b_split, b=b.id,
                          similarity=p.similarity, exact=exact))
    pairs.sort(key=lambda p: (p.a_split == p.b_split, not p.exact, -p.similarity, p.a, p.b))
    return Duplicates(threshold=threshold, counts=dict(counts), pairs=pairs[:MAX_LISTED])


def _pair_key(a: str, b: str) -> str:
    return a if a == b else f"{a}/{b}"


__all__ = ["NEAR_DUP_THRESHOLD", "DataCard", "Found", "SplitCard", "build_card"]
