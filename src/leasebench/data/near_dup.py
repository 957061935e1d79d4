"""Near-duplicate documents: word-shingle Jaccard similarity, MinHash and LSH banding.

``near_duplicates(left, right=None, threshold=0.8)`` returns every pair of documents
whose Jaccard similarity of lower-cased word ``ngram`` shingles reaches ``threshold``:
pairs within ``left`` when ``right`` is None, else pairs across ``left`` x ``right``
(e.g. train against hold-out). Candidates come from MinHash signatures bucketed by
LSH bands, chosen so that a pair exactly at the threshold becomes a candidate with
probability at least 0.999; every candidate is then verified with the exact Jaccard
of the shingle sets, so a reported pair is never a false positive and its similarity
is exact. Results are deterministic (seeded hash functions, sorted output).

``shingle_hashes`` (64-bit n-gram hashes as a sorted array) and multiply-shift MinHash
keep this vectorised; ``shingles``, ``jaccard`` and ``MinHasher`` are the set-based
versions the ``dedup`` judge uses (its verdicts depend on their exact hash values).
"""

from __future__ import annotations

import functools
import math
import re
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..records import Record

WORD = re.compile(r"\w+")
_PRIME = (1 << 61) - 1
_MAX32 = np.uint64(0xFFFFFFFF)
_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit constant combining word hashes
_SHIFT = np.uint64(32)
#: Least probability that a pair exactly at the threshold becomes an LSH candidate.
RECALL_AT_THRESHOLD = 0.999


def shingles(text: str, n: int = 5) -> set[int]:
    """CRC32 hashes of the lower-cased word ``n``-grams of ``text``."""
    words = WORD.findall(text.lower())
    if len(words) < n:
        return {zlib.crc32(" ".join(words).encode())} if words else set()
    return {zlib.crc32(" ".join(words[i : i + n]).encode()) for i in range(len(words) - n + 1)}


def jaccard(a: set[int], b: set[int]) -> float:
    """Exact Jaccard index of two shingle sets (1.0 for two empty sets)."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


class MinHasher:
    """MinHash signatures with ``num_perm`` seeded universal hash functions."""

    def __init__(self, num_perm: int, seed: int = 1):
        rng = np.random.default_rng(seed)
        self.a = rng.integers(1, _PRIME, size=num_perm, dtype=np.uint64)
        self.b = rng.integers(0, _PRIME, size=num_perm, dtype=np.uint64)

    def signature(self, hashes: set[int]) -> np.ndarray:
        if not hashes:
            return np.full(len(self.a), _MAX32, dtype=np.uint64)
        x = np.fromiter(hashes, dtype=np.uint64, count=len(hashes))
        # (a * x + b) mod p, kept in 32 bits; uint64 wraps, which is fine for mixing
        values = ((x[:, None] * self.a[None, :] + self.b[None, :]) % np.uint64(_PRIME)) & _MAX32
        return values.min(axis=0)

    @staticmethod
    def similarity(sig: np.ndarray, others: np.ndarray) -> np.ndarray:
        """Estimated Jaccard of ``sig`` with each row of ``others``."""
        return (others == sig[None, :]).mean(axis=1)


def shingle_hashes(text: str, n: int = 5) -> np.ndarray:
    """Sorted unique 64-bit hashes of the lower-cased word ``n``-grams of ``text`` (one
    shingle of every word when there are fewer than ``n``; none for no words)."""
    words = WORD.findall(text.lower())
    if not words:
        return np.empty(0, dtype=np.uint64)
    ids = np.fromiter(map(_word_hash, words), dtype=np.uint64, count=len(words))
    n = min(n, len(words))
    width = len(words) - n + 1
    hashes = np.zeros(width, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(n):
            hashes = hashes * _MIX + ids[k : k + width]
    hashes.sort()
    return hashes[np.concatenate(([True], hashes[1:] != hashes[:-1]))]


@functools.lru_cache(maxsize=1 << 16)
def _word_hash(word: str) -> int:
    return zlib.crc32(word.encode())


def jaccard_sorted(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard index of two sorted unique hash arrays (1.0 for two empty ones)."""
    if not a.size and not b.size:
        return 1.0
    inter = np.intersect1d(a, b, assume_unique=True).size
    return inter / (a.size + b.size - inter)


def _signature(hashes: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """MinHash signature with multiply-shift hash functions ``(a * x + b) >> 32``."""
    if not hashes.size:
        return np.full(len(a), _MAX32, dtype=np.uint64)
    with np.errstate(over="ignore"):
        return ((hashes[:, None] * a[None, :] + b[None, :]) >> _SHIFT).min(axis=0)


class RecordTexts(Mapping[str, str]):
    """Records' texts by id, read when asked for: a file-backed hold-out is never held
    whole (iterating streams it; looking an id up reads that one record)."""

    def __init__(self, records: Sequence[Record]):
        self.records = records
        self._where: dict[str, int] | None = None

    def __getitem__(self, key: str) -> str:
        if self._where is None:
            self._where = {r.id: i for i, r in enumerate(self.records)}
        return self.records[self._where[key]].text

    def __iter__(self) -> Iterator[str]:
        return (r.id for r in self.records)

    def __len__(self) -> int:
        return len(self.records)

    def items(self) -> Iterator[tuple[str, str]]:  # type: ignore[override]
        return ((r.id, r.text) for r in self.records)


@dataclass(frozen=True, order=True)
class NearDuplicate:
    """Two documents (``a`` from ``left``, ``b`` from ``right`` or ``left``) and their
    exact shingle Jaccard similarity."""

    a: str
    b: str
    similarity: float


def lsh_bands(num_perm: int, threshold: float) -> tuple[int, int]:
    """(bands, rows per band) using every signature row: the most rows per band (fewest
    spurious candidates) that still catches a pair at ``threshold`` with probability
    ``RECALL_AT_THRESHOLD``."""
    best = (num_perm, 1)
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        if 1 - (1 - threshold**rows) ** bands >= RECALL_AT_THRESHOLD:
            best = (bands, rows)
    return best


def near_duplicates(
    left: Mapping[str, str],
    right: Mapping[str, str] | None = None,
    *,
    threshold: float = 0.8,
    ngram: int = 5,
    num_perm: int = 128,
    seed: int = 0,
) -> list[NearDuplicate]:
    """Pairs of documents (id -> text) whose shingle Jaccard similarity is >= ``threshold``.

    Args:
        left: documents by id.
        right: other documents by id; None compares ``left`` with itself (each unordered
            pair once, ``a < b``).
        threshold: least Jaccard similarity reported, in (0, 1].
        ngram: words per shingle.
        num_perm: MinHash functions; 0 compares every pair exactly (quadratic).
        seed: seed of the MinHash functions.

    Returns:
        The pairs sorted by (a, b), similarity rounded to 4 decimals.

    Only each document's signature is held (``num_perm`` integers); LSH candidates whose
    estimated similarity is far below ``threshold`` are dropped, and the survivors' shingle
    sets are made again (from ``left[id]`` / ``right[id]``) for the exact check. Memory
    grows with the number of documents, not their length; a corpus of same-template
    documents (many spurious candidates) stays fast.
    """
    if not 0 < threshold <= 1:
        raise ValueError("threshold must be in (0, 1]")
    if num_perm <= 0:
        sets_l = {k: shingle_hashes(v, ngram) for k, v in left.items()}
        sets_r = sets_l if right is None else {k: shingle_hashes(v, ngram)
                                               for k, v in right.items()}
        exact = ((a, b) for a in sets_l for b in sets_r if right is not None or a < b)
        return _verified(exact, sets_l.__getitem__, sets_r.__getitem__, threshold)
    pairs = _candidates(left, right, threshold, ngram, num_perm, seed)
    cache: dict[tuple[int, str], np.ndarray] = {}

    def hashes(side: int, docs: Mapping[str, str]) -> Callable[[str], np.ndarray]:
        def get(key: str) -> np.ndarray:
            found = cache.get((side, key))
            if found is None:
                found = cache[(side, key)] = shingle_hashes(docs[key], ngram)
            return found
        return get

    right_side = (0, left) if right is None else (1, right)
    return _verified(pairs, hashes(0, left), hashes(*right_side), threshold)


def _verified(
    pairs: Iterable[tuple[str, str]], left: Callable[[str], np.ndarray],
    right: Callable[[str], np.ndarray], threshold: float,
) -> list[NearDuplicate]:
    out = []
    for a, b in pairs:
        sim = jaccard_sorted(left(a), right(b))
        if sim >= threshold:
            out.append(NearDuplicate(a, b, round(sim, 4)))
    return sorted(out)


def estimate_floor(threshold: float, num_perm: int) -> float:
    """Least MinHash similarity estimate kept for the exact check: ``threshold`` less about
    4.5 standard errors of the estimate, so a pair exactly at ``threshold`` is dropped with
    probability below 1e-5 (on top of the LSH banding's miss probability)."""
    spread = 4.5 * math.sqrt(threshold * (1 - threshold) / num_perm) + 1 / num_perm
    return max(0.0, threshold - spread)


def _candidates(
    left: Mapping[str, str], right: Mapping[str, str] | None, threshold: float, ngram: int,
    num_perm: int, seed: int,
) -> list[tuple[str, str]]:
    """LSH candidate pairs whose estimated similarity reaches ``estimate_floor``.

    Each band of a signature is folded into one 64-bit value; documents sharing a band
    value are found by sorting each band's column (memory: ``bands`` integers per
    document, no bucket dictionary)."""
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
    bands, rows = lsh_bands(num_perm, threshold)
    sides = (left,) if right is None else (left, right)
    keys: list[list[str]] = [[] for _ in sides]
    sigs: list[np.ndarray] = []
    for side, docs in enumerate(sides):
        for key, text in docs.items():
            keys[side].append(key)
            sigs.append(_signature(shingle_hashes(text, ngram), a, b))
    n_left, n_right = len(keys[0]), len(keys[-1])
    if not sigs or not n_right:
        return []
    matrix = np.stack(sigs)
    del sigs
    codes = _band_matches(_band_values(matrix, bands, rows), n_left, right is None)
    if not codes.size:
        return []
    width = n_left if right is None else n_right
    first, second = codes // width, codes % width
    offset = 0 if right is None else n_left
    floor = estimate_floor(threshold, num_perm)
    kept: list[np.ndarray] = []
    for block in np.array_split(np.arange(codes.size), -(-codes.size // 65536)):
        i, j = first[block], second[block]
        est = (matrix[i] == matrix[offset + j]).mean(axis=1)
        kept.append(block[est >= floor])
    chosen = np.concatenate(kept)
    left_keys, right_keys = keys[0], keys[-1]
    out = [(left_keys[i], right_keys[j])
           for i, j in zip(first[chosen].tolist(), second[chosen].tolist(), strict=True)]
    if right is None:  # one set: each unordered pair as (a, b) with a < b
        out = [(x, y) if x < y else (y, x) for x, y in out]
    return out


def _band_values(matrix: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """``(documents, bands)``: each band's ``rows`` signature values folded into one."""
    blocks = matrix[:, : bands * rows].reshape(len(matrix), bands, rows)
    values = np.zeros((len(matrix), bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for r in range(rows):
            values = values * _MIX + blocks[:, :, r]
    return values


def _band_matches(values: np.ndarray, n_left: int, one_set: bool) -> np.ndarray:
    """Sorted unique pair codes (``i * width + j``) of documents sharing any band value:
    within the set (``i < j``), or left ``i`` x right ``j`` (rows from ``n_left`` on)."""
    width = n_left if one_set else len(values) - n_left
    found: list[np.ndarray] = []
    for column in values.T:
        order = np.argsort(column, kind="stable")
        ordered = column[order]
        starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
        sizes = np.diff(np.append(starts, len(ordered)))
        for start, size in zip(starts[sizes > 1].tolist(), sizes[sizes > 1].tolist(),
                               strict=True):
            members = order[start : start + size]
            if one_set:
                i, j = np.triu_indices(size, 1)
                lo, hi = np.minimum(members[i], members[j]), np.maximum(members[i], members[j])
                found.append(lo * width + hi)
            else:
                lefts, rights = members[members < n_left], members[members >= n_left] - n_left
                if lefts.size and rights.size:
                    found.append((lefts[:, None] * width + rights[None, :]).ravel())
    return np.unique(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)


__all__ = [
    "RECALL_AT_THRESHOLD",
    "MinHasher",
    "NearDuplicate",
    "RecordTexts",
    "estimate_floor",
    "jaccard",
    "jaccard_sorted",
    "lsh_bands",
    "near_duplicates",
    "shingle_hashes",
    "shingles",
]
