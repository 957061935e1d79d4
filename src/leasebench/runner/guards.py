"""Data guards: real train documents that near-duplicate the hold-out, and synthetic
batches that collapse (near-identical samples, few distinct label values).

Similarity is the Jaccard index of word 5-gram shingles: exact for leakage pairs (MinHash
LSH candidates, ``leasebench.data.near_dup``), MinHash-estimated for the diversity figures
(``leasebench.data.diversity``).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..data.diversity import (
    distinct_share,
    duplicate_of_earlier,
    mean_pairwise_similarity,
    signatures,
)
from ..data.near_dup import MinHasher, RecordTexts, near_duplicates
from ..errors import DataError
from ..manifest.arms import GuardsSpec
from ..records import Record
from ..results import BatchDiversity, LeakPair

NGRAM = 5
NEAR_DUPLICATE = 0.9


def _hasher(seed: int) -> MinHasher:
    return MinHasher(128, seed)


def leaked_pairs(
    train: Sequence[Record], holdout: Sequence[Record], guards: GuardsSpec, seed: int
) -> list[LeakPair]:
    """Real train documents at least ``leakage_threshold`` similar to a hold-out document.

    With ``leakage: error`` any such pair raises ``DataError`` naming the pairs; with
    ``off`` nothing is checked.
    """
    if guards.leakage == "off" or not train or not holdout:
        return []
    pairs = near_duplicates(RecordTexts(train), RecordTexts(holdout),
                            threshold=guards.leakage_threshold, ngram=NGRAM, seed=seed)
    leaks = [LeakPair(train_id=p.a, holdout_id=p.b, similarity=round(p.similarity, 3))
             for p in pairs]
    if leaks and guards.leakage == "error":
        shown = ", ".join(f"{p.train_id} ~ {p.holdout_id} ({p.similarity:.2f})"
                          for p in leaks[:5])
        raise DataError(
            f"data: {len(leaks)} real train document(s) near-duplicate hold-out documents "
            f"(similarity >= {guards.leakage_threshold}): {shown}; remove them, or set "
            "`guards.leakage: warn`"
        )
    return leaks


def leakage_warning(leaks: list[LeakPair], threshold: float) -> str:
    ids = ", ".join(f"{p.train_id} ~ {p.holdout_id}" for p in leaks[:3])
    return (f"{len(leaks)} real train document(s) near-duplicate hold-out documents "
            f"(similarity >= {threshold}): {ids}; hold-out scores overstate how the models "
            "do on unseen documents")


def diversity(records: list[Record], guards: GuardsSpec, seed: int) -> BatchDiversity:
    """Diversity figures of a batch's samples, and whether it collapsed."""
    if not records:
        return BatchDiversity(samples=0)
    sigs = signatures(_hasher(seed), (r.text for r in records), NGRAM)
    values = [v for r in records for vs in r.labels.values() for v in vs if v.strip()]
    label_sets = {tuple(sorted((f, tuple(v)) for f, v in r.labels.items())) for r in records}
    mean = mean_pairwise_similarity(sigs, seed=seed)
    share = distinct_share(values)
    dupes = sum(1 for j, _ in duplicate_of_earlier(sigs, NEAR_DUPLICATE) if j >= 0)
    collapsed = len(records) > 1 and (
        (mean is not None and mean >= guards.collapse_similarity)
        or (share is not None and share < guards.collapse_distinct)
    )
    return BatchDiversity(
        samples=len(records), mean_similarity=None if mean is None else round(mean, 4),
        distinct_values=None if share is None else round(share, 4),
        distinct_labels=len(label_sets), near_duplicates=dupes, collapsed=collapsed,
    )


def real_similarity(train: list[Record], seed: int) -> float | None:
    """Mean pairwise similarity of the real train documents (the batches' yardstick)."""
    mean = mean_pairwise_similarity(signatures(_hasher(seed), (r.text for r in train), NGRAM),
                                    seed=seed)
    return None if mean is None else round(mean, 4)


def collapse_warning(batch: int, d: BatchDiversity, guards: GuardsSpec) -> str:
    return (f"synthetic batch {batch} collapsed: {d.samples} accepted samples, mean pairwise "
            f"similarity {d.mean_similarity} (warn at {guards.collapse_similarity}), distinct "
            f"label values {d.distinct_values} (warn below {guards.collapse_distinct}), "
            f"{d.near_duplicates} near-duplicates; add a `near-dup` judge or vary the "
            "generator")


__all__ = ["collapse_warning", "diversity", "leakage_warning", "leaked_pairs",
           "real_similarity"]
