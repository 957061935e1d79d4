"""Token features for the CRF: word, shape, affixes, a context window, line and section keys.

Features are plain ``name=value`` strings (python-crfsuite's cheapest input). They are
gazetteer-free: everything comes from the token, its neighbours, the key words that open
its line (``Commencement Date:``), the heading of its section and its position in the
document. Features of a document depend only on its text, so they are cached in-process
by text hash; a run trains several trials and extracts the same hold-out documents in
every round, and each is featurised once.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Sequence

from .spans import Segment, segments

FEATURE_VERSION = "1"
_SHAPE = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "X" * 26 + "x" * 26 + "d" * 10,
)
_SQUEEZE = re.compile(r"(.)\1{2,}")
_ALPHA = re.compile(r"[^\W\d_]+")
_CACHE: OrderedDict[tuple[str, int], tuple[list[Segment], list[list[list[str]]]]] = (
    OrderedDict()
)
CACHE_SIZE = 600


def shape(word: str) -> str:
    """``March`` -> ``Xxx``, ``12,500.00`` -> ``dd,ddd.dd``: character classes, long runs cut."""
    return _SQUEEZE.sub(r"\1\1", word.translate(_SHAPE))


def _heading_key(seg: Segment) -> str | None:
    """A short lower-cased key if the segment looks like a heading, else None."""
    words = [w for w in seg.words if _ALPHA.fullmatch(w)]
    if not words or len(seg.words) > 12 or seg.words[-1] in (".", ";", ","):
        return None
    if not (words[0][0].isupper()):
        return None
    return "_".join(w.lower() for w in words[:2])


def segment_features(
    text: str, seg: Segment, section: str, position: int, window: int
) -> list[list[str]]:
    """One feature list per token of ``seg``."""
    words = seg.words
    n = len(words)
    low = [w.lower() for w in words]
    shp = [shape(w) for w in words]
    # line key: the first (up to 3) words of each token's line, and the position in it
    line_first = [True] + [
        "\n" in text[seg.ends[i - 1] : seg.starts[i]] for i in range(1, n)
    ]
    keys: list[str] = []
    offs: list[int] = []
    key, off = "", 0
    for i in range(n):
        if line_first[i]:
            key, off = "_".join(low[i : i + 3]), 0
        keys.append(key)
        offs.append(off)
        off += 1
    pad = ["<s>"] * window
    ctx = pad + low + ["</s>"] * window
    cshape = pad + shp + ["</s>"] * window
    base_sec = f"sec={section}"
    base_pos = f"pos={position}"
    out: list[list[str]] = []
    for i in range(n):
        w, lw, s = words[i], low[i], shp[i]
        j = i + window
        f = [
            "b",
            f"w={lw}",
            f"s={s}",
            f"p3={lw[:3]}",
            f"x3={lw[-3:]}",
            base_sec,
            base_pos,
            f"lk={keys[i]}" if offs[i] > 2 else "lk=self",
            f"lo={min(offs[i], 6)}",
        ]
        if w[:1].isupper():
            f.append("title" if not w.isupper() else "upper")
        for k in range(1, window + 1):
            f.append(f"-{k}={ctx[j - k]}")
            f.append(f"+{k}={ctx[j + k]}")
        f.append(f"-1s={cshape[j - 1]}")
        f.append(f"+1s={cshape[j + 1]}")
        f.append(f"-2-1={ctx[j - 2]}_{ctx[j - 1]}")
        f.append(f"+1+2={ctx[j + 1]}_{ctx[j + 2]}")
        if line_first[i]:
            f.append("bol")
        out.append(f)
    return out


def document_features(
    text: str, window: int = 3
) -> tuple[list[Segment], list[list[list[str]]]]:
    """The document's segments and, per segment, per token, its feature strings (cached)."""
    key = (hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest(), window)
    hit = _CACHE.get(key)
    if hit is not None:
        _CACHE.move_to_end(key)
        return hit
    segs = segments(text)
    total = max(1, len(text))
    section = "none"
    feats: list[list[list[str]]] = []
    for seg in segs:
        heading = _heading_key(seg)
        if heading is not None:
            section = heading
        position = min(9, 10 * seg.starts[0] // total)
        feats.append(segment_features(text, seg, section, position, window))
    _CACHE[key] = (segs, feats)
    while len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)
    return segs, feats


def clear_cache() -> None:
    """Forget every cached document's features."""
    _CACHE.clear()


def feature_count(feats: Sequence[list[list[str]]]) -> int:
    return sum(len(tok) for seg in feats for tok in seg)


__all__ = ["FEATURE_VERSION", "clear_cache", "document_features", "segment_features", "shape"]
