"""Reading a value that starts at a position: a date, a party name, or a clause of text."""

from __future__ import annotations

import re

MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
         r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?")
ORD = r"\d{1,2}(?:st|nd|rd|th)?"
DATE = re.compile(
    rf"(?:{MONTH}\s+{ORD},?\s+\d{{4}}"
    rf"|{ORD}\s+(?:day\s+of\s+)?{MONTH},?\s+\d{{4}}"
    r"|\d{4}-\d{1,2}-\d{1,2}"
    r"|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4})",
    re.IGNORECASE,
)
CLAUSE_END = re.compile(
    r";|\n\s*\n|\.(?=\s+[A-Z(])|\.\s*$|\.\n|\n(?=\s*(?:\d+[.)]|[A-Z][.)]|LR\d|[•\-]|\"))",
    re.MULTILINE,
)
PARTY_END = re.compile(r"\s*(?:\(|,\s+(?:a|an|as)\s|\n|;|\s+and\s+(?=[A-Z]))")


def skip_separator(text: str, pos: int) -> int:
    """Past separators between a cue and its value: colon, tab, dots, spaces, 'means'."""
    m = re.compile(r"[\s:\t.,\u2026]*(?:means\s+)?").match(text, pos)
    return m.end() if m else pos


def read_date(text: str, pos: int, window: int = 40) -> str | None:
    """The first date starting within ``window`` characters of ``pos``."""
    m = DATE.search(text, pos, pos + window + 40)
    if m is None or m.start() - pos > window:
        return None
    return m.group(0)


def read_party(text: str, pos: int, max_chars: int) -> str | None:
    """A name: up to a parenthesis, ', a ...', a line end or ' and <Name>'."""
    chunk = text[pos : pos + max_chars]
    m = PARTY_END.search(chunk)
    value = (chunk[: m.start()] if m else chunk).strip(" \t,;:\"“”")
    return value if len(value) >= 2 and value[0].isalnum() else None


def read_clause(text: str, pos: int, max_chars: int) -> str | None:
    """Text up to the end of its clause (';', a sentence end, a blank line, the next
    numbered item), at most ``max_chars`` characters."""
    chunk = text[pos : pos + max_chars]
    m = CLAUSE_END.search(chunk)
    value = (chunk[: m.start()] if m else chunk).strip(" \t\n,;:\"“”")
    return value or None


__all__ = ["DATE", "read_clause", "read_date", "read_party", "skip_separator"]
