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
    integers (usually 0/1; list-matching modes may count per value).
    """

    doc_ids: tuple[str, ...]
    fields: tuple[str, ...]
    counts: np.ndarray  # shape (n_docs, n_fields, 4), int64

    def __post_init__(self) -> None:
        expected = (len(self.doc_ids), len(self.fields), 4)
        if self.counts.shape != expected:
            raise ValueError(f"counts has shape {self.counts.shape}, expected {expected}")

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
        order = np.array([index[d] for d in doc_ids], dtype=np.int64)
        return Outcomes(doc_ids, self.fields, self.counts[order])


__all__ = ["COUNT_NAMES", "FN", "FP", "TN", "TP", "Outcomes"]
