"""Turns family documents into records: per-document seeds, noise, ids and metadata.

Split policy: document ``i`` of split ``s`` is drawn from its own ``random.Random`` seeded
by a hash of ``(seed, s, i)``, so a document does not depend on how many others are made,
and the train and hold-out streams never share a seed. Party names are owned by one
split (see :func:`leasebench.corpus.parties.split_owns`), so no lessor or lessee of a
train document appears in a hold-out document.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator

from ..records import Origin, Record
from .doc import Doc
from .families import FAMILIES, pick_family
from .noise import apply_noise

DEFAULT_NOISE = 0.5
SPLITS = ("train", "holdout", "all")


def doc_seed(seed: int, split: str, index: int) -> int:
    """The 64-bit seed of one document."""
    digest = hashlib.blake2b(f"lease:{seed}:{split}:{index}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def make_record(seed: int, split: str, index: int, noise: float = DEFAULT_NOISE) -> Record:
    """Document ``index`` of ``split`` for ``seed``."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}, not {split!r}")
    base = doc_seed(seed, split, index)
    rng = random.Random(base)
    family = pick_family(rng)
    doc = FAMILIES[family][1](rng, split)
    text = doc.text()
    source = _source(doc)
    text = apply_noise(text, doc.spans, random.Random(base ^ 0x5EED), noise, source).strip()
    return Record(
        id=f"lease-{split}-{index:04d}",
        text=text,
        labels={f: list(vs) for f, vs in doc.labels.items()},
        origin=Origin(kind="real"),
        meta={"family": family, "split": split, "seed": seed, "index": index},
    )


def _source(doc: Doc) -> str:
    lessee = doc.labels["lessee"]
    return lessee[0] if lessee else "Lease Agreement"


def iter_leases(
    n: int, seed: int, *, split: str = "all", noise: float = DEFAULT_NOISE, start: int = 0
) -> Iterator[Record]:
    """Documents ``start .. start + n - 1`` of ``split``, one at a time."""
    if n < 0:
        raise ValueError("n must be >= 0")
    if not 0.0 <= noise <= 1.0:
        raise ValueError("noise must be between 0 and 1")
    for i in range(start, start + n):
        yield make_record(seed, split, i, noise)


__all__ = ["DEFAULT_NOISE", "SPLITS", "doc_seed", "iter_leases", "make_record"]
