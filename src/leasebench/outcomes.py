"""The outcome table a scorer returns: counts per (document, field)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TP, FP, FN, TN = 0, 1, 2, 3
COUNT_NAMES = ("tp", "fp", "fn", "tn")


@dataclass(frozen=True)
class Outcomes:
    """``counts[d, f]`` holds the TP, FP, FN, TN counts of document ``d`` and field ``f``.

    Documents are in gold order; fields in schema order. Counts are small non-negative
    integers (usually 0/1; the ``set`` list rule counts per value). ``parse_failures``,
    ``call_failures`` and ``missing`` count the documents whose prediction failed to
    parse, whose call failed, or that had no prediction: all are scored as all-absent.
    """

    doc_ids: tuple[str, ...]
    fields: tuple[str, ...]
    counts: np.ndarray  # shape (n_docs, n_fields, 4), int64
    parse_failures: int = 0
    call_failures: int = 0
    missing: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "doc_ids", tuple(self.doc_ids))
        object.__setattr__(self, "fields", tuple(self.fields))
        counts = np.asarray(self.counts)
        if counts.size == 0:
            counts = counts.astype(np.int64)
        if not np.issubdtype(counts.dtype, np.integer):
            raise ValueError(f"counts must be integers, got {counts.dtype}")
        object.__setattr__(self, "counts", counts.astype(np.int64, copy=False))
        expected = (len(self.doc_ids), len(self.fields), 4)
        if counts.shape != expected:
            raise ValueError(f"counts has shape {counts.shape}, expected {expected}")
        if counts.size and counts.min() < 0:
            raise ValueError("counts must be non-negative")
        if len(set(self.doc_ids)) != len(self.doc_ids):
            raise ValueError("doc_ids must be unique")

    @property
    def n_docs(self) -> int:
        return len(self.doc_ids)

    def totals(self) -> np.ndarray:
        """Counts summed over documents: shape (n_fields, 4)."""
        return self.counts.sum(axis=0)

    def to_rows(self) -> list[dict[str, object]]:
        """One dict per (document, field), for CSV/JSON output."""
        rows = []
        for d, doc in enumerate(self.doc_ids):
            for f, name in enumerate(self.fields):
                row: dict[str, object] = {"id": doc, "field": name}
                row.update(zip(COUNT_NAMES, (int(c) for c in self.counts[d, f]), strict=True))
                rows.append(row)
        return rows

    def reindexed(self, doc_ids: tuple[str, ...]) -> Outcomes:
        """The same outcomes with documents in ``doc_ids`` order (for paired comparison)."""
        index = {doc: i for i, doc in enumerate(self.doc_ids)}
        unknown = [d for d in doc_ids if d not in index]
        if unknown:
            raise ValueError(f"unknown document ids: {', '.join(map(str, unknown[:10]))}")
        order = np.array([index[d] for d in doc_ids], dtype=np.int64)
        return Outcomes(
            tuple(doc_ids), self.fields, self.counts[order],
            self.parse_failures, self.call_failures, self.missing,
        )


__all__ = ["COUNT_NAMES", "FN", "FP", "TN", "TP", "Outcomes"]
