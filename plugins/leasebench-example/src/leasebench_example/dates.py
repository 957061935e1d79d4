"""Finding and normalising calendar dates in English contract text."""

from __future__ import annotations

import re
from datetime import date, datetime

MONTHS = ("January|February|March|April|May|June|July|August|September|October|November"
          "|December")
DATE = re.compile(
    rf"\b(?:(?:{MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:day\s+of\s+)?(?:{MONTHS}),?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})\b"
)
_FORMATS = ("%B %d %Y", "%d %B %Y", "%Y-%m-%d", "%m/%d/%Y")
_NOISE = re.compile(r"(?<=\d)(st|nd|rd|th)\b|,|\bday of\b")


def find_dates(text: str) -> list[re.Match[str]]:
    """Every date-like span in ``text``, in order."""
    return list(DATE.finditer(text))


def parse_date(value: str) -> date | None:
    """The calendar day ``value`` names, or None when it is not a date we can read."""
    cleaned = " ".join(_NOISE.sub(" ", value).split())
    for fmt in _FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    return None


__all__ = ["DATE", "find_dates", "parse_date"]
