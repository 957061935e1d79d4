"""Judge ``dedup``: rejects a synthetic document too similar to any hold-out document.

Similarity is the Jaccard index of word n-gram shingle sets, estimated with MinHash
signatures (``num_perm`` hash functions; exact sets when ``num_perm`` is 0). A sample
whose similarity to a hold-out document reaches ``threshold`` is rejected: it would leak
the evaluation into training. The verdict also reports the similarity to the sample's own
train source, which shows how far the generator moved away from it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import ClassVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from ..components import Context, Judge
from ..data.near_dup import MinHasher, jaccard, shingles
from ..records import Record, Verdict


class DedupJudgeParams(BaseModel):
    """Params of the ``dedup`` judge."""

    model_config = ConfigDict(extra="forbid")
    threshold: float = Field(
        0.5, gt=0, le=1, description="Reject at this Jaccard similarity to a hold-out doc."
    )
    ngram: int = Field(5, ge=1, le=20, description="Words per shingle.")
    num_perm: int = Field(
        128, ge=0, le=4096, description="MinHash functions (0: exact Jaccard)."
    )


class DedupJudge(Judge[DedupJudgeParams]):
    """Rejects a sample whose shingle Jaccard with a hold-out document reaches the threshold."""

    name: ClassVar[str] = "dedup"
    version: ClassVar[str] = "1"

    def judge(self, records: Sequence[Record], ctx: Context) -> Iterator[Verdict]:
        p = self.params
        held = [(r.id, shingles(r.text, p.ngram)) for r in ctx.holdout]
        sources = {r.id: r for r in ctx.train}
        hasher = MinHasher(p.num_perm, ctx.seed) if p.num_perm else None
        held_sigs = (
            np.stack([hasher.signature(s) for _, s in held]) if hasher and held else None
        )
        for record in records:
            own = shingles(record.text, p.ngram)
            best_id, best = "", 0.0
            if held:
                if hasher is not None and held_sigs is not None:
                    sims = hasher.similarity(hasher.signature(own), held_sigs)
                else:
                    sims = np.array([jaccard(own, s) for _, s in held])
                k = int(np.argmax(sims))
                best_id, best = held[k][0], float(sims[k])
            source = sources.get(record.origin.source_id or "")
            to_source = (
                f"; source {source.id}: {jaccard(own, shingles(source.text, p.ngram)):.2f}"
                if source is not None else ""
            )
            passed = best < p.threshold
            nearest = f"nearest hold-out {best_id}: {best:.2f}" if best_id else "no hold-out"
            yield Verdict(
                record_id=record.id, judge=self.name, passed=passed, score=round(best, 4),
                reason=("too similar to hold-out: " if not passed else "") + nearest + to_source,
            )


__all__ = ["DedupJudge", "MinHasher", "jaccard", "shingles"]
