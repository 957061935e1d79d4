"""Judge ``near-dup``: rejects a synthetic sample that near-duplicates an earlier sample of
its batch, or that is barely changed from the real document it was made from.

Similarity is the Jaccard index of word n-gram shingles, estimated with MinHash. "Earlier"
is batch order (sample ids), among the samples this judge sees (those every earlier
judge passed), taken from ``ctx.batch`` so the verdicts do not depend on how the batch
was split up or resumed: of a group of near-identical samples the first is kept.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from ..components import Context, Judge
from ..data.diversity import duplicate_of_earlier, signatures
from ..data.near_dup import MinHasher, shingles
from ..records import Record, Verdict


class NearDupJudgeParams(BaseModel):
    """Params of the ``near-dup`` judge."""

    model_config = ConfigDict(extra="forbid")
    threshold: float = Field(
        0.9, gt=0, le=1, description="Reject at this similarity to an earlier sample."
    )
    source_threshold: float | None = Field(
        0.97, gt=0, le=1, description="Reject at this similarity to the sample's own "
        "source document (null: no source check).",
    )
    ngram: int = Field(5, ge=1, le=20, description="Words per shingle.")
    num_perm: int = Field(128, ge=16, le=4096, description="MinHash functions.")


class NearDupJudge(Judge[NearDupJudgeParams]):
    """Rejects within-batch near-duplicates and near-copies of the sample's source."""

    name: ClassVar[str] = "near-dup"
    version: ClassVar[str] = "1"

    def judge(self, records: Sequence[Record], ctx: Context) -> Iterator[Verdict]:
        p = self.params
        batch = sorted({r.id: r for r in [*ctx.batch, *records]}.values(), key=lambda r: r.id)
        hasher = MinHasher(p.num_perm, ctx.seed)
        sigs = signatures(hasher, (r.text for r in batch), p.ngram)
        earlier = dict(zip((r.id for r in batch), duplicate_of_earlier(sigs, p.threshold),
                           strict=True))
        sources = {r.id: r for r in ctx.train}
        for record in records:
            j, sim = earlier[record.id]
            if j >= 0:
                yield Verdict(record_id=record.id, judge=self.name, passed=False,
                              score=round(sim, 4),
                              reason=f"near-duplicate of {batch[j].id}: {sim:.2f}")
                continue
            source = sources.get(record.origin.source_id or "")
            to_source = None
            if source is not None and p.source_threshold is not None:
                own = hasher.signature(shingles(record.text, p.ngram))
                to_source = float((own == hasher.signature(shingles(source.text, p.ngram)))
                                  .mean())
            if source is not None and to_source is not None and \
                    to_source >= (p.source_threshold or 1.0):
                yield Verdict(record_id=record.id, judge=self.name, passed=False,
                              score=round(to_source, 4),
                              reason=f"near-copy of its source {source.id}: {to_source:.2f}")
                continue
            detail = (f"; source {source.id}: {to_source:.2f}"
                      if source is not None and to_source is not None else "")
            yield Verdict(record_id=record.id, judge=self.name, passed=True,
                          score=round(sim, 4),
                          reason=f"nearest earlier sample: {sim:.2f}{detail}")


__all__ = ["NearDupJudge", "NearDupJudgeParams"]
