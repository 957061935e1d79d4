"""The compiled CRF tagger: the same labels and marginals as python-crfsuite, without strings.

python-crfsuite needs every token's feature strings (about 25 per token) and looks each
one up in the model. Here the model file is read once into a weight table (one row of
label weights per attribute) and a document becomes, per token, the row numbers of its
attributes, in the order :func:`.features.segment_features` lists them. Row numbers come
from per-word tables (a word's ``w=``, ``s=``, affix, case and context rows are looked up
once per process) shifted along the segment, so no feature string is built for a word
seen before. The C extension ``_tagger`` sums the rows from zero in that order and runs
Viterbi and the scaled forward-backward exactly as crfsuite does, so the tags and the
marginal probabilities are bit for bit the ones python-crfsuite gives (a test checks it).
"""

from __future__ import annotations

import itertools
import operator
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .bio import OUTSIDE, TOKEN
from .features import heading_key, shape
from .model_file import read_model

#: why the extension did not load (None when it did)
MISSING: str | None = None
try:
    from . import _tagger
except ImportError as exc:  # built without a C compiler: the pycrfsuite path serves
    _tagger = None  # type: ignore[assignment]
    MISSING = str(exc) or type(exc).__name__

AVAILABLE = _tagger is not None
_PIECE = re.compile(r"(\s*)(" + TOKEN.pattern + ")")
_BREAK = re.compile(r"\n[ \t\f]*\n")
MODELS_KEPT = 4
WORDS_MAX = 200_000
PAIRS_MAX = 500_000
_PAIR = 1 << 32


class _Vocabulary(dict[str, int]):
    """Word -> id, with each word's attribute rows (``table[id, kind]``) made on first sight.

    Kinds: ``w=``, ``s=``, ``p3=``, ``x3=``, case, then ``-k=``/``+k=`` of the lower-cased
    word for k = 1..window, then ``-1s=``/``+1s=`` of its shape. Ids 0 and 1 are the
    ``<s>``/``</s>`` pads around a segment.
    """

    def __init__(self, rows: dict[str, int], window: int):
        super().__init__()
        self.rows, self.window = rows, window
        self.kinds = 7 + 2 * window
        self.table = np.zeros((1024, self.kinds), dtype=np.int32)
        self.lows: list[str] = []
        self.pairs: tuple[_Pairs, _Pairs] = (_Pairs(self, "-2-1="), _Pairs(self, "+1+2="))
        self.lines: dict[tuple[int, ...], int] = {}
        self._pad("<s>")
        self._pad("</s>")

    def _pad(self, pad: str) -> None:
        self._add("", pad, pad, ())  # an id, not a word: no token is ever "<s>"

    def _add(self, key: str, low: str, s: str, case: tuple[str, ...]) -> int:
        i = len(self.lows)
        if i == len(self.table):
            self.table = np.concatenate([self.table, np.zeros_like(self.table)])
        get = self.rows.get
        out = [get(f"w={low}", 0), get(f"s={s}", 0), get(f"p3={low[:3]}", 0),
               get(f"x3={low[-3:]}", 0), get(case[0], 0) if case else 0]
        for k in range(1, self.window + 1):
            out += [get(f"-{k}={low}", 0), get(f"+{k}={low}", 0)]
        out += [get(f"-1s={s}", 0), get(f"+1s={s}", 0)]
        self.table[i] = out
        self.lows.append(low)
        if key:
            self[key] = i
        return i

    def __missing__(self, word: str) -> int:
        case: tuple[str, ...] = ()
        if word[:1].isupper():
            case = ("title",) if not word.isupper() else ("upper",)
        return self._add(word, word.lower(), shape(word), case)

    @property
    def full(self) -> bool:
        """Time to start afresh: the tables bound the memory a long stream of text takes."""
        pairs = len(self.pairs[0]) + len(self.pairs[1])
        return len(self.lows) >= WORDS_MAX or pairs >= PAIRS_MAX or len(self.lines) >= WORDS_MAX


class _Pairs(dict[int, int]):
    """``(id_a << 32 | id_b)`` -> the row of ``prefix + low_a + "_" + low_b``."""

    def __init__(self, vocab: _Vocabulary, prefix: str):
        super().__init__()
        self.vocab, self.prefix = vocab, prefix

    def __missing__(self, key: int) -> int:
        a, b = divmod(key, _PAIR)
        lows = self.vocab.lows
        row = self[key] = self.vocab.rows.get(f"{self.prefix}{lows[a]}_{lows[b]}", 0)
        return row


@dataclass(frozen=True)
class Tokens:
    """A document's tokens: texts, character offsets and segment bounds."""

    words: tuple[str, ...]
    starts: np.ndarray
    ends: np.ndarray
    bounds: np.ndarray  # segment s is tokens bounds[s] .. bounds[s + 1] - 1
    first: np.ndarray  # the token opens its line


def tokenize(text: str) -> Tokens:
    """The tokens :func:`.spans.segments` finds, as flat arrays."""
    pieces = _PIECE.findall(text)
    if not pieces:
        empty = np.zeros(0, dtype=np.int64)
        return Tokens((), empty, empty, np.zeros(1, dtype=np.int32), np.zeros(0, dtype=bool))
    gaps, words = zip(*pieces, strict=True)
    n = len(words)
    gap_len = np.fromiter(map(len, gaps), dtype=np.int64, count=n)
    word_len = np.fromiter(map(len, words), dtype=np.int64, count=n)
    ends = np.cumsum(gap_len + word_len)
    starts = ends - word_len
    newline = np.fromiter(map(operator.contains, gaps, itertools.repeat("\n")), dtype=bool,
                          count=n)
    breaks = [0, *(i for i in np.flatnonzero(gap_len[1:] > 1).tolist()
                   if newline[i + 1] and _BREAK.search(gaps[i + 1])), n]
    bounds = np.array(breaks, dtype=np.int32)
    bounds[1:-1] += 1
    first = newline.copy()
    first[bounds[:-1]] = True
    return Tokens(words, starts, ends, bounds, first)


class CompiledModel:
    """A loaded model with its vocabulary: documents in, label ids and marginals out."""

    def __init__(self, path: Path, window: int):
        m = read_model(path)
        self.labels, self.window = m.labels, window
        self.weights = np.ascontiguousarray(m.weights)
        self.trans = np.ascontiguousarray(m.trans)
        self._rows = m.rows
        self.outside = m.labels.index(OUTSIDE) if OUTSIDE in m.labels else -1
        self._lock = threading.Lock()
        self._vocab = _Vocabulary(m.rows, window)
        get = m.rows.get
        self._b, self._bol, self._self = get("b", 0), get("bol", 0), get("lk=self", 0)
        self._lo = np.array([get(f"lo={i}", 0) for i in range(7)], dtype=np.int32)

    def rows(self, text: str, tokens: Tokens) -> np.ndarray:
        """Per token, the weight rows of its attributes in feature order (0: unknown)."""
        with self._lock:
            if self._vocab.full:
                self._vocab = _Vocabulary(self._rows, self.window)
            return self._rows_locked(text, tokens)

    def _rows_locked(self, text: str, tokens: Tokens) -> np.ndarray:
        vocab, window, get = self._vocab, self.window, self._rows.get
        n = len(tokens.words)
        ids = np.fromiter(map(vocab.__getitem__, tokens.words), dtype=np.int64, count=n)
        table = vocab.table
        seg_len = np.diff(tokens.bounds)
        seg_start = np.repeat(tokens.bounds[:-1], seg_len)
        index = np.arange(n)
        before, after = index - seg_start, np.repeat(tokens.bounds[1:], seg_len) - index - 1
        pad = max(window, 2)
        padded = np.concatenate([np.zeros(pad, np.int64), ids, np.ones(pad, np.int64)])

        def left(k: int) -> np.ndarray:
            return np.where(before >= k, padded[pad + index - k], 0)

        def right(k: int) -> np.ndarray:
            return np.where(after >= k, padded[pad + index + k], 1)

        out = np.empty((n, 15 + 2 * window), dtype=np.int32)
        out[:, 0] = self._b
        out[:, 1:5] = table[ids, 0:4]
        sections, positions = self._segment_keys(text, tokens)
        out[:, 5] = np.repeat(np.array([get(f"sec={s}", 0) for s in sections], np.int32),
                              seg_len)
        out[:, 6] = np.repeat(np.array([get(f"pos={p}", 0) for p in positions], np.int32),
                              seg_len)
        out[:, 7], out[:, 8] = self._line_rows(tokens, ids, after)
        out[:, 9] = table[ids, 4]
        for k in range(1, window + 1):
            out[:, 8 + 2 * k] = table[left(k), 3 + 2 * k]
            out[:, 9 + 2 * k] = table[right(k), 4 + 2 * k]
        c = 10 + 2 * window
        out[:, c] = table[left(1), 5 + 2 * window]
        out[:, c + 1] = table[right(1), 6 + 2 * window]
        back, ahead = vocab.pairs
        out[:, c + 2] = _lookup(back, (left(2) * _PAIR + left(1)).tolist())
        out[:, c + 3] = _lookup(ahead, (right(1) * _PAIR + right(2)).tolist())
        out[:, c + 4] = np.where(tokens.first, self._bol, 0)
        return out

    def _segment_keys(self, text: str, tokens: Tokens) -> tuple[list[str], list[int]]:
        """Per segment, its section (the last heading so far) and tenth of the document."""
        total = max(1, len(text))
        section, sections, positions = "none", [], []
        bounds = tokens.bounds.tolist()
        for lo, hi in itertools.pairwise(bounds):
            heading = heading_key(tokens.words[lo:hi])
            if heading is not None:
                section = heading
            sections.append(section)
            positions.append(min(9, 10 * int(tokens.starts[lo]) // total))
        return sections, positions

    def _line_rows(
        self, tokens: Tokens, ids: np.ndarray, after: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """``lk=`` and ``lo=`` rows: the line's first three words (``self`` near them)."""
        n = len(ids)
        starts = np.flatnonzero(tokens.first)
        line = np.cumsum(tokens.first) - 1
        offset = np.arange(n) - starts[line]
        line_len = np.diff(np.append(starts, n))
        lk = np.full(n, self._self, dtype=np.int32)
        keyed = np.flatnonzero(line_len > 3)
        if len(keyed):
            lines, vocab, get = self._vocab.lines, self._vocab, self._rows.get
            rows = np.zeros(len(starts), dtype=np.int32)
            for j in keyed.tolist():
                s = int(starts[j])
                key = tuple(ids[s : s + min(3, int(after[s]) + 1)].tolist())
                row = lines.get(key)
                if row is None:
                    row = lines[key] = get("lk=" + "_".join(vocab.lows[i] for i in key), 0)
                rows[j] = row
            far = offset > 2
            lk[far] = rows[line[far]]
        return lk, self._lo[np.minimum(offset, 6)]

    def tag(self, text: str) -> tuple[Tokens, np.ndarray, np.ndarray]:
        """The document's tokens, each token's label id and its marginal (1.0 outside)."""
        tokens = tokenize(text)
        n = len(tokens.words)
        tags = np.zeros(n, dtype=np.int32)
        probs = np.ones(n, dtype=np.float64)
        if n and _tagger is not None:
            rows = self.rows(text, tokens)
            _tagger.tag(self.weights, rows, rows.shape[1], tokens.bounds, self.trans,
                        len(self.labels), self.outside, tags, probs)
        return tokens, tags, probs


def _lookup(pairs: _Pairs, keys: list[int]) -> np.ndarray:
    return np.fromiter(map(pairs.__getitem__, keys), dtype=np.int32, count=len(keys))


def runs(
    text: str, tokens: Tokens, tags: np.ndarray, probs: np.ndarray, labels: list[str],
    outside: int,
) -> list[tuple[int, str, str, float]]:
    """``(start, tag, value, score)`` per maximal B/I run, as :func:`.spans.decode` gives."""
    out: list[tuple[int, str, str, float]] = []
    tagged = np.flatnonzero(tags != outside).tolist()
    if not tagged:
        return out
    segment = (np.searchsorted(tokens.bounds, tagged, side="right") - 1).tolist()
    tag_of = tags.tolist()
    starts, ends, prob = tokens.starts, tokens.ends, probs.tolist()
    current: list = []  # [name, first, last, segment]

    def close(run: list) -> None:
        start, stop = int(starts[run[1]]), int(ends[run[2]])
        part = prob[run[1] : run[2] + 1]
        out.append((start, run[0], text[start:stop], sum(part) / len(part)))

    for i, seg in zip(tagged, segment, strict=True):
        label = labels[tag_of[i]]
        name = label[2:]
        if (current and i == current[2] + 1 and seg == current[3] and label[:2] == "I-"
                and name == current[0]):
            current[2] = i
            continue
        if current:
            close(current)
        current = [name, i, i, seg]
    if current:
        close(current)
    return out


_MODELS: OrderedDict[tuple[str, int, int, int], CompiledModel] = OrderedDict()
_MODELS_LOCK = threading.Lock()


def compiled_model(path: Path, window: int) -> CompiledModel:
    """The model at ``path`` compiled once per process (a few are kept, newest first)."""
    st = Path(path).stat()
    key = (str(Path(path).resolve()), st.st_size, st.st_mtime_ns, window)
    with _MODELS_LOCK:
        hit = _MODELS.get(key)
        if hit is not None:
            _MODELS.move_to_end(key)
            return hit
    model = CompiledModel(path, window)
    with _MODELS_LOCK:
        _MODELS[key] = model
        while len(_MODELS) > MODELS_KEPT:
            _MODELS.popitem(last=False)
    return model


def segment_tags(
    tokens: Tokens, tags: np.ndarray, probs: np.ndarray, labels: Iterable[str]
) -> list[tuple[list[str], list[float]]]:
    """Per segment, the label names and marginals (the pycrfsuite path's shape)."""
    names = list(labels)
    bounds = tokens.bounds.tolist()
    tag_names = [names[t] for t in tags.tolist()]
    prob = probs.tolist()
    return [(tag_names[lo:hi], prob[lo:hi]) for lo, hi in itertools.pairwise(bounds)]


__all__ = ["AVAILABLE", "MISSING", "CompiledModel", "compiled_model", "runs", "segment_tags",
           "tokenize"]
