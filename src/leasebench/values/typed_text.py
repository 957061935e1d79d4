"""Text with typed values inside: amounts, areas and durations put in canonical form
where they occur in a free-text value, the rest compared as text.

``"rent of RMB 1,462,231.62 per month, payable quarterly"`` and ``"rent of CNY
1462231.62 monthly, payable quarterly"`` get the same key: each money mention becomes
``<money:1462231.62 CNY/month>``. A schema field opts in with ``"x-contains": ["money"]``
(or ``area``, ``duration``) beside ``"x-kind": "text"``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from .normalize import (
    _AREA_RE,
    _CUR_RE,
    _MULT_RE,
    DURATION_UNITS,
    NUMBER_WORDS,
    PERIODS,
    exact_form,
    normalize_area,
    normalize_duration,
    normalize_money,
    normalize_text,
)

TYPED_KINDS = ("money", "area", "duration")
_NUM = r"\d[\d,.']*\d|\d"
_PER = "|".join(re.escape(p) for p in sorted(PERIODS, key=len, reverse=True))
_MENTIONS: dict[str, re.Pattern[str]] = {
    "money": re.compile(
        rf"(?:(?:{_CUR_RE})\s*(?:{_NUM})(?:\s*(?:{_MULT_RE})\b)?"
        rf"|(?:{_NUM})(?:\s*(?:{_MULT_RE})\b)?\s*(?:{_CUR_RE})\b)(?:\s*(?:{_PER}))?"
    ),
    "area": re.compile(rf"(?:{_NUM})\s*(?:{_AREA_RE})(?![a-z])"),
    "duration": re.compile(
        rf"\b(?:{_NUM}|{'|'.join(sorted(NUMBER_WORDS, key=len, reverse=True))})"
        rf"(?:\s*\(\s*\d+\s*\))?\s+(?:{'|'.join(sorted(DURATION_UNITS, key=len, reverse=True))})"
        r"\b"
    ),
}
_NORMALIZE: dict[str, Callable[[str], str | None]] = {
    "money": normalize_money, "area": normalize_area, "duration": normalize_duration,
}


def typed_text_key(value: str, contains: Sequence[str]) -> str | None:
    """The text key of ``value`` with every parseable mention of ``contains`` canonical."""
    s = exact_form(value)
    for kind in TYPED_KINDS:
        if kind not in contains:
            continue

        def canonical(m: re.Match[str], kind: str = kind) -> str:
            out = _NORMALIZE[kind](m.group(0))
            return f"<{kind}:{out}>" if out is not None else m.group(0)

        s = _MENTIONS[kind].sub(canonical, s)
    return normalize_text(s)


__all__ = ["TYPED_KINDS", "typed_text_key"]
