"""The document builder: text assembled from templates whose field slots become labels.

A template is a string with ``{slot}`` placeholders. A slot named after a schema field
(``{lessor}``, ``{start_date}``...) is a labelled span: its value is appended to that
field's labels and its character range is protected from noise. Any other slot is plain
text. :class:`Outline` numbers headings in one of several styles.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache

FIELDS: tuple[str, ...] = (
    "lessor",
    "lessee",
    "signing_date",
    "start_date",
    "end_date",
    "leased_space",
    "designated_use",
    "term_of_payment",
    "extension_period",
    "expiration_date_of_lease",
)
_FIELD_SET = frozenset(FIELDS)
_SLOT = re.compile(r"\{(\w+)\}")
_ORDINAL_DAY = re.compile(r"\d+(st|nd|rd|th) day of ")
_ONES_R = ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")
_ROMAN = tuple(("", "X", "XX", "XXX")[n // 10] + _ONES_R[n % 10] for n in range(36))


@lru_cache(maxsize=4096)
def _parse(template: str) -> tuple[tuple[str, bool], ...]:
    """Alternating (literal, False) and (slot, True) pieces."""
    pieces = _SLOT.split(template)
    return tuple((p, i % 2 == 1) for i, p in enumerate(pieces) if p or i % 2 == 1)


class Plain(str):
    """A value that fills a field slot without being labelled (it does not state the field)."""


class Doc:
    """Accumulates text, labels and the protected (labelled) character ranges."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.spans: list[tuple[int, int]] = []
        self.labels: dict[str, list[str]] = {f: [] for f in FIELDS}

    def add(self, text: str) -> Doc:
        self.parts.append(text)
        self.size += len(text)
        return self

    def label(self, field: str, value: str) -> Doc:
        """Append ``value`` as a labelled span of ``field``."""
        if not value:
            return self
        self.spans.append((self.size, self.size + len(value)))
        values = self.labels[field]
        if value not in values:
            values.append(value)
        return self.add(value)

    def fill(self, template: str, values: dict[str, str]) -> Doc:
        """Render ``template``; slots named after fields become labels."""
        for piece, is_slot in _parse(template):
            if not is_slot:
                self.add(piece)
                continue
            value = values[piece]
            prev = self.parts[-1] if self.parts else ""
            if (
                _ORDINAL_DAY.match(value)
                and prev.endswith(" ")
                and not prev.endswith(("this ", "the "))
            ):
                self.add("the ")
            if piece in _FIELD_SET and not isinstance(value, Plain):
                self.label(piece, value)
            else:
                self.add(value)
        return self

    def para(self, template: str, values: dict[str, str] | None = None) -> Doc:
        self.fill(template, values or {})
        return self.add("\n\n")

    def line(self, template: str, values: dict[str, str] | None = None) -> Doc:
        self.fill(template, values or {})
        return self.add("\n")

    def text(self) -> str:
        return "".join(self.parts)

    def words(self) -> int:
        return sum(p.count(" ") for p in self.parts)


class Outline:
    """Article / section numbering and heading style for one document."""

    STYLES = ("article_arabic", "article_roman", "decimal", "section", "plain_caps", "dotted")

    def __init__(self, rng: random.Random, style: str | None = None) -> None:
        self.style = style or rng.choice(self.STYLES)
        self.upper = rng.random() < 0.7
        self.sub_style = rng.choice(("dot", "dot2", "paren", "section"))
        self.n = 0
        self.sub_n = 0

    def heading(self, title: str) -> str:
        self.n += 1
        self.sub_n = 0
        t = title.upper() if self.upper else title
        n, s = self.n, self.style
        if s == "article_arabic":
            return f"ARTICLE {n}\n{t}"
        if s == "article_roman":
            return f"ARTICLE {_ROMAN[min(n, 35)]}. {t}"
        if s == "decimal":
            return f"{n}. {t}"
        if s == "section":
            return f"SECTION {n}. {t}"
        if s == "dotted":
            return f"{n}.0 {t}"
        return t

    def sub(self) -> str:
        """The next subsection number, with a trailing space ('' in the plain style)."""
        self.sub_n += 1
        n, k = self.n, self.sub_n
        if self.style == "plain_caps":
            return f"({chr(96 + min(k, 26))}) "
        if self.sub_style == "dot":
            return f"{n}.{k} "
        if self.sub_style == "dot2":
            return f"{n}.{k:02d} "
        if self.sub_style == "paren":
            return f"({chr(96 + min(k, 26))}) "
        return f"Section {n}.{k}. "


def table_row(rng_style: str, index: int, label: str) -> str:
    """The left part of one summary-table row in a style (the value follows)."""
    if rng_style == "colon":
        return f"{label}: "
    if rng_style == "lettered":
        return f"{chr(65 + index % 26)}. {label}: "
    if rng_style == "numbered":
        return f"{index + 1}. {label}. "
    if rng_style == "leaders":
        return f"{label} {'.' * max(3, 28 - len(label))} "
    return f"{label}\t"


TABLE_STYLES = ("colon", "lettered", "numbered", "leaders", "tab")

__all__ = ["FIELDS", "TABLE_STYLES", "Doc", "Outline", "Plain", "table_row"]
