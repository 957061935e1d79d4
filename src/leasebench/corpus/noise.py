"""PDF-extraction noise: hard line breaks, hyphenation, page headers/footers, OCR errors.

Noise never touches a protected (labelled) character range: OCR substitutions skip it,
lines are never broken inside it and headers go between lines, so every label stays a
verbatim substring of the noisy text.

``level`` in [0, 1]: a document gets the layout noise (wrapping at 60-100 columns,
hyphenation of some long words at line ends, a header and footer every 40-60 lines) with
probability ``level``; half of those also get OCR-style substitutions at a rate of
``0.004 * level`` per unprotected character.
"""

from __future__ import annotations

import random
from bisect import bisect_right

CONFUSIONS: dict[str, str] = {
    "l": "1I",
    "I": "l1",
    "O": "0",
    "0": "O",
    "o": "0c",
    "e": "c",
    "c": "e",
    "S": "5",
    "5": "S",
    "B": "8",
    "8": "B",
    "i": "l",
    "t": "f",
    "n": "r",
    ",": ".",
    ".": ",",
    "h": "b",
    "a": "o",
    "u": "v",
    "g": "q",
    "rn": "m",
}
CONFUSIONS.pop("rn")


class _Guard:
    """Answers 'is this position inside a protected range?' in O(log n)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]

    def span_at(self, pos: int) -> tuple[int, int] | None:
        i = bisect_right(self.starts, pos) - 1
        if i >= 0 and self.spans[i][0] <= pos < self.spans[i][1]:
            return self.spans[i]
        return None

    def overlaps(self, a: int, b: int) -> bool:
        """Whether [a, b) meets any protected range."""
        if self.span_at(a) is not None:
            return True
        i = bisect_right(self.starts, a)
        return i < len(self.starts) and self.starts[i] < b


def ocr(text: str, guard: _Guard, rng: random.Random, rate: float) -> str:
    """Substitute look-alike characters at about ``rate`` per character, outside labels."""
    k = int(len(text) * rate + rng.random())
    if k <= 0:
        return text
    chars = list(text)
    for _ in range(k):
        pos = rng.randrange(len(chars))
        alts = CONFUSIONS.get(chars[pos])
        if alts and guard.span_at(pos) is None:
            chars[pos] = rng.choice(alts)
    return "".join(chars)


def _free_space_before(text: str, guard: _Guard, lo: int, hi: int) -> int:
    """The last space in (lo, hi) outside every protected range, or -1."""
    cut = text.rfind(" ", lo + 1, hi)
    while cut > lo:
        span = guard.span_at(cut)
        if span is None:
            return cut
        cut = text.rfind(" ", lo + 1, span[0])
    return -1


def _free_space_after(text: str, guard: _Guard, lo: int, hi: int) -> int:
    """The first space in [lo, hi) outside every protected range, or -1."""
    cut = text.find(" ", lo, hi)
    while cut >= 0:
        span = guard.span_at(cut)
        if span is None:
            return cut
        cut = text.find(" ", span[1], hi)
    return -1


def wrap(text: str, guard: _Guard, rng: random.Random, width: int, hyphen: float) -> list[str]:
    """Hard-wrap every line at ``width``, never inside a protected range."""
    out: list[str] = []
    pos = 0
    n = len(text)
    while pos <= n:
        eol = text.find("\n", pos)
        eol = n if eol < 0 else eol
        while eol - pos > width:
            cut = _free_space_before(text, guard, pos, pos + width + 1)
            if cut <= pos:
                cut = _free_space_after(text, guard, pos + width, eol)
                if cut < 0:
                    break
            word_end = text.find(" ", cut + 1, eol)
            word_end = eol if word_end < 0 else word_end
            room = pos + width - cut - 2
            if (
                hyphen
                and word_end - cut > 8
                and room >= 4
                and rng.random() < hyphen
                and text[cut + 1 : word_end].isalpha()
                and not guard.overlaps(cut + 1, word_end)
            ):
                k = min(room, word_end - cut - 4)
                out.append(text[pos : cut + 1 + k] + "-")
                pos = cut + 1 + k
                continue
            out.append(text[pos:cut])
            pos = cut + 1
        out.append(text[pos:eol])
        pos = eol + 1
    return out


def paginate(lines: list[str], rng: random.Random, source: str) -> list[str]:
    """Insert a footer and a running header every 40-60 lines."""
    per_page = rng.randint(40, 60)
    pages = max(1, -(-len(lines) // per_page))
    style = rng.randrange(4)
    header = rng.choice((source, "CONFIDENTIAL", f"Source: {source.upper()}", ""))
    out: list[str] = []
    for p in range(pages):
        out.extend(lines[p * per_page : (p + 1) * per_page])
        if p == pages - 1:
            break
        foot = (f"Page {p + 1} of {pages}", f"- {p + 1} -", str(p + 1), f"{p + 1}")[style]
        out.extend(("", foot, "\f" + header if header else "\f", ""))
    return out


def apply_noise(
    text: str, spans: list[tuple[int, int]], rng: random.Random, level: float, source: str = ""
) -> str:
    """The text as a PDF extraction might give it (see the module docstring)."""
    if level <= 0 or rng.random() >= level:
        return text
    guard = _Guard(spans)
    if rng.random() < 0.5:
        text = ocr(text, guard, rng, 0.004 * level)
    lines = wrap(text, guard, rng, rng.randint(60, 100), rng.choice((0.0, 0.1, 0.25)))
    return "\n".join(paginate(lines, rng, source))


__all__ = ["CONFUSIONS", "apply_noise", "ocr", "paginate", "wrap"]
