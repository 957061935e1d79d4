"""Learn, per field, the words that precede a value and the text that ends it.

Training finds each label value in its document and records the ``k`` words before it
(for k = 1..context) and the delimiter after it. A pattern is kept when it is followed
by a value of its field often enough (precision on the training documents). Extraction
finds the kept left contexts in a new document and reads the value up to the learned
delimiter, within the longest value length seen for the field.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..io import atomic_write_text
from ..records import Record

TOKEN = re.compile(r"[A-Za-z0-9]+")
RIGHT = re.compile(r"[^\w\n]*\n|[^\w\n]*\w*")


def _context_key(text: str, end: int, k: int) -> tuple[str, ...] | None:
    """The last ``k`` word tokens of ``text[:end]`` (lowercased), or None if fewer."""
    window = text[max(0, end - 40 * k) : end]
    words = [w.lower() for w in TOKEN.findall(window)]
    if len(words) < k:
        return None
    # the context must end right before the value (only spaces/punctuation between)
    tail = window[window.lower().rfind(words[-1]) + len(words[-1]) :] if words else ""
    if len(tail) > 4 or "\n\n" in tail:
        return None
    return tuple(words[-k:])


def _ending(text: str, end: int) -> str:
    """What follows a value: the punctuation/space run and the next word (if on the line)."""
    match = RIGHT.match(text, end)
    ending = match.group() if match else ""
    return ending if "\n" in ending else ending[:24]


@dataclass
class PatternModel:
    """The learned patterns: field -> left context -> (precision, ending, max length)."""

    context: int
    patterns: dict[str, dict[tuple[str, ...], tuple[float, str]]] = field(default_factory=dict)
    max_len: dict[str, int] = field(default_factory=dict)
    _by_context: dict[tuple[str, ...], list[tuple[str, tuple[float, str]]]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @classmethod
    def learn(
        cls, records: Sequence[Record], *, context: int, min_precision: float, min_count: int
    ) -> PatternModel:
        hits: dict[str, Counter[tuple[str, ...]]] = defaultdict(Counter)
        endings: dict[tuple[str, tuple[str, ...]], Counter[str]] = defaultdict(Counter)
        max_len: dict[str, int] = defaultdict(int)
        for record in records:
            for fld, values in record.labels.items():
                for value in values:
                    max_len[fld] = max(max_len[fld], len(value))
                    for match in re.finditer(re.escape(value), record.text):
                        for k in range(1, context + 1):
                            key = _context_key(record.text, match.start(), k)
                            if key is not None:
                                hits[fld][key] += 1
                                endings[fld, key][_ending(record.text, match.end())] += 1
        seen = cls._occurrences(records, {key for c in hits.values() for key in c})
        model = cls(context=context, max_len=dict(max_len))
        for fld, counter in hits.items():
            kept = {}
            for key, count in counter.items():
                precision = count / max(seen[key], count)
                if count >= min_count and precision >= min_precision:
                    kept[key] = (precision, endings[fld, key].most_common(1)[0][0])
            model.patterns[fld] = kept
        return model

    @staticmethod
    def _occurrences(records: Sequence[Record], keys: set[tuple[str, ...]]) -> Counter:
        """How often each candidate context occurs anywhere in the training texts."""
        counts: Counter[tuple[str, ...]] = Counter()
        lengths = sorted({len(k) for k in keys})
        for record in records:
            words = [w.lower() for w in TOKEN.findall(record.text)]
            for k in lengths:
                for i in range(len(words) - k + 1):
                    gram = tuple(words[i : i + k])
                    if gram in keys:
                        counts[gram] += 1
        return counts

    def _index(self) -> dict[tuple[str, ...], list[tuple[str, tuple[float, str]]]]:
        """Left context -> every (field, pattern) it opens, fields in model order (made once)."""
        if self._by_context is None:
            index: dict[tuple[str, ...], list[tuple[str, tuple[float, str]]]] = defaultdict(list)
            for fld, patterns in self.patterns.items():
                for key, best in patterns.items():
                    index[key].append((fld, best))
            self._by_context = dict(index)
        return self._by_context

    def extract(self, text: str) -> dict[str, list[str]]:
        """Values per field, deduplicated, in document order.

        At each word, each field takes its longest left context found there.
        """
        matches = list(TOKEN.finditer(text))
        low = [m.group().lower() for m in matches]
        index = self._index()
        out: dict[str, list[tuple[int, str]]] = defaultdict(list)
        taken: dict[str, set[int]] = defaultdict(set)
        for i in range(len(low)):
            placed: set[str] | None = None
            for k in range(min(self.context, i + 1), 0, -1):  # longest context first
                hits = index.get(tuple(low[i - k + 1 : i + 1]))
                if hits is None:
                    continue
                placed = placed if placed is not None else set()
                for fld, best in hits:
                    if fld in placed:
                        continue
                    placed.add(fld)
                    start = matches[i].end()
                    value = self._read_value(text, start, best[1], self.max_len.get(fld, 200))
                    if value and start not in taken[fld]:
                        taken[fld].add(start)
                        out[fld].append((start, value))
        return {
            fld: list(dict.fromkeys(v for _, v in sorted(out[fld])))
            for fld in self.patterns if fld in out
        }

    @staticmethod
    def _read_value(text: str, start: int, ending: str, limit: int) -> str:
        while start < len(text) and text[start] in " :\t\"'(":
            start += 1
        stop = text.find(ending, start, start + limit + 1) if ending else -1
        if stop < 0:
            line_end = text.find("\n", start, start + limit + 1)
            stop = line_end if line_end >= 0 else min(len(text), start + limit)
        return text[start:stop].strip(" ,;:\n\t")

    def save(self, path: Path) -> None:
        data = {
            "context": self.context,
            "max_len": self.max_len,
            "patterns": {
                fld: sorted([list(k), p, e] for k, (p, e) in pats.items())
                for fld, pats in self.patterns.items()
            },
        }
        atomic_write_text(path, json.dumps(data, sort_keys=True, indent=0))

    @classmethod
    def load(cls, path: Path) -> PatternModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        patterns = {
            fld: {tuple(k): (p, e) for k, p, e in rows} for fld, rows in data["patterns"].items()
        }
        return cls(context=data["context"], patterns=patterns, max_len=data["max_len"])


__all__ = ["PatternModel"]
