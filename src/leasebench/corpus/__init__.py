"""The built-in lease corpus: synthetic, labelled lease agreements made deterministically.

``lease_dataset(train, holdout, seed)`` is what a manifest's ``data: {builtin: lease}``
resolves to; ``generate_leases`` makes any number of documents of one split.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from ..records import Record
from .build import DEFAULT_NOISE, SPLITS, doc_seed, iter_leases, make_record
from .families import FAMILIES


def generate_leases(
    n: int, seed: int, *, split: str = "all", noise: float = DEFAULT_NOISE
) -> list[Record]:
    """``n`` labelled lease documents of ``split`` (``train``, ``holdout`` or ``all``)."""
    return list(iter_leases(n, seed, split=split, noise=noise))


def lease_dataset(train: int, holdout: int, seed: int) -> tuple[list[Record], list[Record]]:
    """The train and hold-out records of the built-in ``lease`` dataset."""
    return generate_leases(train, seed, split="train"), generate_leases(
        holdout, seed, split="holdout"
    )


#: The longest document of ``lease-short`` in characters (about 1,000 tokens).
SHORT_CHARS = 4000


def short_leases(n: int, seed: int, split: str) -> list[Record]:
    """The first ``n`` documents of ``split`` of at most ``SHORT_CHARS`` characters (about
    a quarter of the corpus), in stream order."""
    short = (r for r in iter_leases(400 * n + 400, seed, split=split)
             if len(r.text) <= SHORT_CHARS)
    return list(itertools.islice(short, n))


def short_lease_dataset(train: int, holdout: int, seed: int
                        ) -> tuple[list[Record], list[Record]]:
    """The ``lease-short`` built-in dataset: ``lease`` documents of at most
    ``SHORT_CHARS`` characters, for models whose context or speed leaves no room for the
    long ones (a small model trained on a CPU)."""
    return short_leases(train, seed, "train"), short_leases(holdout, seed, "holdout")


BUILTIN_DATASETS: dict[str, Callable[[int, int, int], tuple[list[Record], list[Record]]]] = {
    "lease": lease_dataset,
    "lease-short": short_lease_dataset,
}


def lease_range(split: str, start: int, n: int, seed: int) -> list[Record]:
    """Documents ``start .. start + n - 1`` of ``split`` (any slice made alone is the same)."""
    return list(iter_leases(n, seed, split=split, start=start))


#: Built-in datasets that make any range of a split alone, so the ``load`` stage streams
#: them and spreads them over the executor's workers: ``(split, start, n, seed) -> records``.
BUILTIN_RANGES: dict[str, Callable[[str, int, int, int], list[Record]]] = {
    "lease": lease_range,
}

__all__ = [
    "BUILTIN_DATASETS",
    "BUILTIN_RANGES",
    "DEFAULT_NOISE",
    "FAMILIES",
    "SHORT_CHARS",
    "SPLITS",
    "doc_seed",
    "generate_leases",
    "iter_leases",
    "lease_dataset",
    "lease_range",
    "make_record",
    "short_lease_dataset",
    "short_leases",
]
