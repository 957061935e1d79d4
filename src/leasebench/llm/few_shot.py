"""Few-shot examples for the ``llm`` extractor: k labelled real train documents shown as
earlier turns of the conversation (user: the extraction prompt with the document,
assistant: its labels as JSON), within a token budget.

The examples are drawn once per extraction from ``ctx.train`` (real records only; the
runner never passes hold-out documents): sorted by id, shuffled with the seed, then taken
in that order while they fit the budget (a document too long for what is left is
skipped). Same train records and seed, same examples, in every round. Where the model's
context is known, the examples also fit within half of what the prompt and the answer
leave of it (counted generously, see ``leasebench.chunking``), so the document keeps room.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from pydantic import BaseModel, ConfigDict, Field

from ..records import Record
from ..schema import FieldSchema
from .base import labels_json
from .client import Messages
from .prompts import render
from .usage import estimate_tokens


class FewShotSpec(BaseModel):
    """How many labelled train documents to show before the document to extract."""

    model_config = ConfigDict(extra="forbid")

    k: int = Field(0, ge=0, le=64, description="Examples (0: zero-shot).")
    max_tokens: int = Field(
        8000, ge=1, description="Token budget of all examples together (about four "
        "characters per token); examples that do not fit are skipped.",
    )
    seed: int | None = Field(None, description="Seed of the draw; default the run's seed.")


def choose_examples(
    train: Sequence[Record], spec: FewShotSpec, seed: int, cost: dict[str, int],
    budget: int | None = None,
) -> list[Record]:
    """The examples, in the order they are shown. ``cost``: record id -> its tokens;
    ``budget`` replaces ``spec.max_tokens`` (a model's context leaves less room)."""
    if spec.k == 0:
        return []
    real = sorted((r for r in train if r.origin.kind == "real"), key=lambda r: r.id)
    random.Random(f"{spec.seed if spec.seed is not None else seed}|few-shot").shuffle(real)
    chosen: list[Record] = []
    left = spec.max_tokens if budget is None else budget
    for record in real:
        if len(chosen) == spec.k:
            break
        if cost[record.id] <= left:
            chosen.append(record)
            left -= cost[record.id]
    return chosen


def example_messages(
    train: Sequence[Record], spec: FewShotSpec, seed: int, schema: FieldSchema,
    template: str, fields: str, budget: int | None = None,
    count: Callable[[str], int] = estimate_tokens,
) -> Messages:
    """The example turns: (user prompt with the document, assistant labels) per example,
    costed by ``count`` within ``budget`` (default ``spec.max_tokens``)."""
    if spec.k == 0:
        return []
    turns: dict[str, Messages] = {}
    for r in train:
        labels = {f: list(r.labels.get(f, [])) for f in schema.fields}
        turns[r.id] = [
            {"role": "user", "content": render(template, fields=fields, document=r.text)},
            {"role": "assistant", "content": labels_json(labels)},
        ]
    cost = {rid: sum(count(m["content"]) for m in msgs) for rid, msgs in turns.items()}
    return [m for r in choose_examples(train, spec, seed, cost, budget) for m in turns[r.id]]


__all__ = ["FewShotSpec", "choose_examples", "example_messages"]
