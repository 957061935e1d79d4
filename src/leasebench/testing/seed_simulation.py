"""A data-generating process for checking the seed-inclusive statistics by simulation.

Documents have a difficulty per field (shared by every model, so paired tests have
something to pair); a trained model has a seed effect on the logit of being right; each
(document, field) pair of a model is then drawn independently. Two arms with the same
``quality`` and ``seed_sd`` are equally good. The true F1 of an arm is the F1 of its
expected counts over documents and seeds (what the pooled estimate targets).

Used by ``tests/scoring/test_seeds.py`` and ``benchmarks/seed_stats.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..outcomes import FN, FP, TN, TP, Outcomes


@dataclass(frozen=True)
class SeedWorld:
    """The process: sizes, quality, document spread, seed spread."""

    n_docs: int = 50
    n_fields: int = 5
    quality: float = 1.0  # logit of being right on an average document
    doc_sd: float = 1.0  # spread of document difficulty (logit)
    seed_sd: float = 0.5  # spread of a model's seed effect (logit)
    present: float = 0.8  # share of (document, field) pairs with a gold value
    spurious: float = 0.1  # chance of a value where gold has none

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(f"d{i}" for i in range(self.n_docs))

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(f"f{i}" for i in range(self.n_fields))

    def documents(self, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """(gold present, difficulty) per (document, field)."""
        shape = (self.n_docs, self.n_fields)
        return rng.random(shape) < self.present, rng.normal(0.0, self.doc_sd, shape)

    def model(self, rng: np.random.Generator, docs: tuple[np.ndarray, np.ndarray]) -> Outcomes:
        """One trained model's outcomes (a fresh seed effect)."""
        present, difficulty = docs
        right = rng.random(present.shape) < _sigmoid(
            self.quality + difficulty + rng.normal(0.0, self.seed_sd))
        wrong_value = rng.random(present.shape) < 0.5  # a wrong value, or none at all
        spurious = rng.random(present.shape) < self.spurious
        counts = np.zeros((*present.shape, 4), dtype=np.int64)
        counts[..., TP] = present & right
        counts[..., FN] = present & ~right
        counts[..., FP] = (present & ~right & wrong_value) | (~present & spurious)
        counts[..., TN] = ~present & ~spurious
        return Outcomes(self.ids, self.fields, counts)

    def true_f1(self, draws: int = 2_000_000) -> float:
        """F1 of the expected counts over documents and seeds (Monte Carlo)."""
        rng = np.random.default_rng(12345)
        p = float(_sigmoid(self.quality + rng.normal(0, self.doc_sd, draws)
                           + rng.normal(0, self.seed_sd, draws)).mean())
        tp, fn = self.present * p, self.present * (1 - p)
        fp = self.present * (1 - p) * 0.5 + (1 - self.present) * self.spurious
        return 2 * tp / (2 * tp + fp + fn)


def _sigmoid(x: np.ndarray | float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(x)))


__all__ = ["SeedWorld"]
