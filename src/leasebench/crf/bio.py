"""Tokens, segments and spans: where label strings sit in a document, as BIO tags.

A document is cut into segments (paragraphs, at blank lines); each segment is a token
sequence. Training tags come from finding every exact occurrence of each label string in
the document; a span that several fields share (``end_date`` equal to
``expiration_date_of_lease``) gets one composite tag (``end_date|expiration_date_of_lease``)
so no field loses its occurrences. The trainer goes further and tags every value of such
fields with the composite tag (:mod:`.groups`), which a context model then resolves.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

TOKEN = re.compile(r"\d+(?:[,./:-]\d+)*|[^\W\d_]+|\S")
PARAGRAPH = re.compile(r"\n[ \t\f]*\n\s*")
OUTSIDE = "O"


@dataclass(frozen=True)
class Segment:
    """One paragraph: its tokens' texts and character offsets in the document."""

    words: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]


def segments(text: str) -> list[Segment]:
    """The document's paragraphs as token sequences (empty paragraphs dropped)."""
    out: list[Segment] = []
    pos = 0
    bounds = [(m.start(), m.end()) for m in PARAGRAPH.finditer(text)] + [(len(text), len(text))]
    for stop, nxt in bounds:
        matches = list(TOKEN.finditer(text, pos, stop))
        if matches:
            out.append(
                Segment(
                    tuple(m.group() for m in matches),
                    tuple(m.start() for m in matches),
                    tuple(m.end() for m in matches),
                )
            )
        pos = nxt
    return out


def gold_spans(text: str, labels: Mapping[str, Sequence[str]]) -> list[tuple[int, int, str]]:
    """Non-overlapping ``(start, end, tag)`` char spans of every label occurrence.

    Values are placed longest first; an occurrence overlapping one already placed is
    skipped; a string that several fields share gets their joined composite tag.
    """
    fields_of: dict[str, list[str]] = {}
    for field, values in labels.items():
        for value in values:
            value = value.strip()
            if value and field not in fields_of.setdefault(value, []):
                fields_of[value].append(field)
    taken: list[tuple[int, int, str]] = []
    occupied = bytearray(len(text) + 1)
    for value in sorted(fields_of, key=lambda v: (-len(v), v)):
        tag = "|".join(sorted(fields_of[value]))
        start = text.find(value)
        while start >= 0:
            end = start + len(value)
            if not any(occupied[start:end]):
                occupied[start:end] = b"\x01" * (end - start)
                taken.append((start, end, tag))
            start = text.find(value, start + 1)
    return sorted(taken)


def bio_tags(segment: Segment, spans: Sequence[tuple[int, int, str]]) -> list[str]:
    """BIO tags of one segment's tokens for the given char spans."""
    tags = [OUTSIDE] * len(segment.words)
    if not spans:
        return tags
    lo, hi = segment.starts[0], segment.ends[-1]
    for start, end, tag in spans:
        if end <= lo or start >= hi:
            continue
        first = True
        for i, (s, e) in enumerate(zip(segment.starts, segment.ends, strict=False)):
            if s >= start and e <= end:
                tags[i] = ("B-" if first else "I-") + tag
                first = False
    return tags


def decode(
    text: str, segment: Segment, tags: Sequence[str], scores: Sequence[float] | None = None
) -> list[tuple[int, str, str, float]]:
    """``(start, tag, value, score)`` for each maximal B/I run in one segment.

    ``score`` is the mean of the run's per-token ``scores`` (1.0 without scores).
    """
    out: list[tuple[int, str, str, float]] = []
    current: tuple[str, int, int] | None = None

    def close(run: tuple[str, int, int]) -> None:
        start, stop = segment.starts[run[1]], segment.ends[run[2]]
        part = scores[run[1] : run[2] + 1] if scores is not None else [1.0]
        out.append((start, run[0], text[start:stop], sum(part) / len(part)))

    for i, tag in enumerate(tags):
        name = tag[2:]
        if current is not None and tag[:2] == "I-" and name == current[0]:
            current = (current[0], current[1], i)
            continue
        if current is not None:
            close(current)
            current = None
        if tag != OUTSIDE:
            current = (name, i, i)
    if current is not None:
        close(current)
    return out


def fields_from(
    found: Sequence[tuple[int, str, str, float]], fields: Sequence[str], max_values: int = 0
) -> dict[str, list[str]]:
    """Per field, the predicted values deduplicated, in document order.

    With ``max_values > 0`` only that many values are kept per field: those with the
    highest score (a value's score is its best occurrence's).
    """
    best: dict[str, dict[str, tuple[float, int]]] = {f: {} for f in fields}
    for start, tag, value, score in found:
        for field in tag.split("|"):
            if field not in best:
                continue
            seen = best[field].get(value)
            if seen is None:
                best[field][value] = (score, start)
            else:
                best[field][value] = (max(seen[0], score), min(seen[1], start))
    out: dict[str, list[str]] = {}
    for field, values in best.items():
        ranked = sorted(values.items(), key=lambda kv: (-kv[1][0], kv[1][1]))
        if max_values > 0:
            ranked = ranked[:max_values]
        out[field] = [v for v, _ in sorted(ranked, key=lambda kv: kv[1][1])]
    return out


__all__ = [
    "OUTSIDE",
    "Segment",
    "bio_tags",
    "decode",
    "fields_from",
    "gold_spans",
    "segments",
]
