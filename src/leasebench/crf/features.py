"""Token features for the CRF: word, shape, affixes, a context window, line and section keys.

Features are plain ``name=value`` strings (python-crfsuite's cheapest input). They are
gazetteer-free: everything comes from the token, its neighbours, the key words that open
its line (``Commencement Date:``), the heading of its section and its position in the
document.

Extraction is built for speed, with the same output as the plain per-token loop it
replaces: each distinct word's own features (``w=``, ``s=``, ``p3=``, ``x3=``, case) are
made once per process and shared, the context features of a segment are made column by
column, and each token's features are one tuple assembled from those pieces (tuples of
strings leave the garbage collector's work). A document's features depend only on its
text, so the last few documents' features are kept (a run trains several trials on the
same records); a hold-out of thousands of documents streams through without being held.

Training uses these strings; tagging uses them only on the python-crfsuite path. The
compiled tagger (:mod:`.compiled`) scores the same attributes, in this same order,
without building the strings.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Sequence

from .bio import Segment, segments

FEATURE_VERSION = "1"
_SHAPE = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "X" * 26 + "x" * 26 + "d" * 10,
)
_SQUEEZE = re.compile(r"(.)\1{2,}")
_ALPHA = re.compile(r"[^\W\d_]+")
_CACHE: OrderedDict[tuple[str, int], tuple[list[Segment], list[list[tuple[str, ...]]]]] = (
    OrderedDict()
)
CACHE_SIZE = 64
_WORDS: dict[str, tuple[str, str, tuple[str, ...], tuple[str, ...]]] = {}
WORDS_MAX = 200_000


def shape(word: str) -> str:
    """``March`` -> ``Xxx``, ``12,500.00`` -> ``dd,ddd.dd``: character classes, long runs cut."""
    s = word.translate(_SHAPE)
    return _SQUEEZE.sub(r"\1\1", s) if len(s) > 2 else s


def _word(word: str) -> tuple[str, str, tuple[str, ...], tuple[str, ...]]:
    """``(lower, shape, own features, case feature)`` of one word, made once per process."""
    hit = _WORDS.get(word)
    if hit is not None:
        return hit
    if len(_WORDS) >= WORDS_MAX:
        _WORDS.clear()
    low, s = word.lower(), shape(word)
    own = ("b", f"w={low}", f"s={s}", f"p3={low[:3]}", f"x3={low[-3:]}")
    case: tuple[str, ...] = ()
    if word[:1].isupper():
        case = ("title",) if not word.isupper() else ("upper",)
    hit = _WORDS[word] = (low, s, own, case)
    return hit


class _Prefixed(dict[str, str]):
    """``prefix + key`` for any key, each string made once."""

    def __init__(self, prefix: str):
        super().__init__()
        self.prefix = prefix

    def __missing__(self, key: str) -> str:
        if len(self) >= WORDS_MAX:
            self.clear()
        value = self[key] = self.prefix + key
        return value


_PREFIXED: dict[str, _Prefixed] = {}


def _prefixed(prefix: str) -> _Prefixed:
    found = _PREFIXED.get(prefix)
    if found is None:
        found = _PREFIXED[prefix] = _Prefixed(prefix)
    return found


def heading_key(tokens: Sequence[str]) -> str | None:
    """A short lower-cased key if a segment's tokens look like a heading, else None."""
    if len(tokens) > 12 or not tokens or tokens[-1] in (".", ";", ","):
        return None
    words = [w for w in tokens if _ALPHA.fullmatch(w)]
    if not words:
        return None
    if not (words[0][0].isupper()):
        return None
    return "_".join(w.lower() for w in words[:2])


def _line_keys(low: list[str], first: list[bool]) -> tuple[list[str], list[str]]:
    """Per token, its ``lk=`` (the line's first words, or ``self`` near them) and ``lo=``."""
    lk: list[str] = []
    lo: list[str] = []
    key, off = "", 0
    for i, is_first in enumerate(first):
        if is_first:
            key, off = "lk=" + "_".join(low[i : i + 3]), 0
        lk.append(key if off > 2 else "lk=self")
        lo.append(_LO[off] if off < 6 else "lo=6")
        off += 1
    return lk, lo


_LO = [f"lo={i}" for i in range(6)]


def segment_features(
    text: str, seg: Segment, section: str, position: int, window: int
) -> list[tuple[str, ...]]:
    """One feature tuple per token of ``seg``."""
    words = seg.words
    n = len(words)
    info = [_word(w) for w in words]
    low = [x[0] for x in info]
    starts, ends = seg.starts, seg.ends
    first = [True, *("\n" in text[ends[i - 1] : starts[i]] for i in range(1, n))]
    lk, lo = _line_keys(low, first)
    p = max(window, 2)  # the bigram features look two words out, whatever the window
    ctx = ["<s>"] * p + low + ["</s>"] * p
    cshape = ["<s>"] * p + [x[1] for x in info] + ["</s>"] * p
    columns: list[list[str]] = []
    for k in range(1, window + 1):
        columns.append(list(map(_prefixed(f"-{k}=").__getitem__, ctx[p - k : p - k + n])))
        columns.append(list(map(_prefixed(f"+{k}=").__getitem__, ctx[p + k : p + k + n])))
    columns.append(list(map(_prefixed("-1s=").__getitem__, cshape[p - 1 : p - 1 + n])))
    columns.append(list(map(_prefixed("+1s=").__getitem__, cshape[p + 1 : p + 1 + n])))
    columns.append([f"-2-1={a}_{b}" for a, b in zip(ctx[p - 2 :], ctx[p - 1 : p - 1 + n],
                                                     strict=False)])
    columns.append([f"+1+2={a}_{b}" for a, b in zip(ctx[p + 1 :], ctx[p + 2 : p + 2 + n],
                                                     strict=False)])
    around = zip(*columns, strict=True)
    sec, pos = f"sec={section}", f"pos={position}"
    return [
        (*x[2], sec, pos, k, o, *x[3], *a, *(_BOL if f else ()))
        for x, k, o, a, f in zip(info, lk, lo, around, first, strict=True)
    ]


_BOL = ("bol",)


def document_features(
    text: str, window: int = 3
) -> tuple[list[Segment], list[list[tuple[str, ...]]]]:
    """The document's segments and, per segment, per token, its feature strings (cached)."""
    key = (hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest(), window)
    hit = _CACHE.get(key)
    if hit is not None:
        _CACHE.move_to_end(key)
        return hit
    segs = segments(text)
    total = max(1, len(text))
    section = "none"
    feats: list[list[tuple[str, ...]]] = []
    for seg in segs:
        heading = heading_key(seg.words)
        if heading is not None:
            section = heading
        position = min(9, 10 * seg.starts[0] // total)
        feats.append(segment_features(text, seg, section, position, window))
    _CACHE[key] = (segs, feats)
    while len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)
    return segs, feats


def clear_cache() -> None:
    """Forget every cached document's and word's features."""
    _CACHE.clear()
    _WORDS.clear()
    _PREFIXED.clear()


def feature_count(feats: Sequence[list[tuple[str, ...]]]) -> int:
    return sum(len(tok) for seg in feats for tok in seg)


__all__ = [
    "FEATURE_VERSION", "clear_cache", "document_features", "heading_key", "segment_features",
    "shape",
]
