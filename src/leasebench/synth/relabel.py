"""New label values of the same kind and surface form: parties, uses, counts, numbers.

Dates, money and areas are rewritten by :mod:`.atoms`; this module draws the rest. A
party is redrawn with the corpus' own generator until the new name has the old one's
shape (kind, entity suffix, capitalisation, comma, "and", middle initial); a permitted
use is swapped for another from the corpus' bank of the same property kind; counts
written as words and digits (``three (3)``) become another count in the same style.
"""

from __future__ import annotations

import random
import re

from ..corpus import surface_forms as v
from ..corpus.parties import party
from ..corpus.phrases import USES

_COMPANY_END = re.compile(
    r"(?:L\.L\.C\.|LLC|Inc\.|Corporation|Corp\.|L\.P\.|LP|Company|Limited|Ltd|PLC|LLP|"
    r"Co\., Ltd\.)$",
    re.IGNORECASE,
)
_GOVERNMENT = re.compile(
    r"^(?:City of|County of|State of)|Authority$|Agency$|Board of Supervisors$"
)
_INITIAL = re.compile(r" [A-Z]\. ")
_COUNT = re.compile(r"\b(?P<w>[A-Za-z]+(?:-[a-z]+)?) \((?P<n>\d+)\)")
_PLAIN = re.compile(r"\b(?P<n>\d+) (?P<u>years?|months?)\b")
_HOUSE = re.compile(
    r"(?<![\w$£€.,/-])(?P<n>\d{2,5})(?!\w|[.,/%-]\d| (?:square|sq|acres|SF|m2|rentable|usable))"
)


def party_kind(name: str) -> str:
    """``company``, ``government`` or ``person``, from the name's form."""
    if _GOVERNMENT.search(name):
        return "government"
    if _COMPANY_END.search(name.strip()):
        return "company"
    return "person"


def party_shape(name: str) -> tuple[object, ...]:
    """What a replacement name must share with ``name``."""
    suffix = _COMPANY_END.search(name)
    return (
        party_kind(name),
        suffix.group().lower() if suffix else "",
        name.isupper(),
        "," in name,
        " and " in name,
        bool(_INITIAL.search(name)),
    )


def new_party(
    name: str, role: str, locale: str, rng: random.Random, avoid: set[str], tries: int = 300
) -> str:
    """A different name with ``name``'s shape, drawn from the corpus' party generator."""
    kind = party_kind(name)
    if kind == "government" and locale != "us":
        kind = "company"
    want = party_shape(name)
    fallback = None
    for _ in range(tries):
        drawn = party(rng, role, locale, {kind: 1.0}, split="train").name
        if want[2] and not drawn.isupper():
            drawn = drawn.upper()
        if drawn == name or drawn in avoid:
            continue
        if party_shape(drawn) == want:
            return drawn
        if fallback is None and party_kind(drawn) == want[0]:
            fallback = drawn
    return fallback or name


def new_use(value: str, rng: random.Random) -> str | None:
    """Another permitted use from the same bank as ``value`` (None if not from a bank)."""
    for bank in USES.values():
        if value in bank:
            others = [u for u in bank if u != value]
            return rng.choice(others) if others else None
    return None


def _count_like(n: int, rng: random.Random) -> int:
    if n % 12 == 0 and n >= 12:
        return rng.choice([m for m in (12, 24, 36, 48, 60, 120) if m != n] or [n])
    return rng.choice([m for m in range(2, max(6, 2 * n)) if m != n])


def new_counts(value: str, rng: random.Random, memo: dict[int, int]) -> str:
    """Counts of 2 or more (``three (3)``, ``5 years``) changed, in the same style."""

    def pick(n: int) -> int:
        if n not in memo:
            memo[n] = _count_like(n, rng)
        return memo[n]

    def words(m: re.Match[str]) -> str:
        n = int(m.group("n"))
        if n < 2 or m.group("w").lower() != v.number_words(n):
            return m.group()
        k = pick(n)
        w = v.number_words(k)
        return f"{w.capitalize() if m.group('w')[0].isupper() else w} ({k})"

    def plain(m: re.Match[str]) -> str:
        n = int(m.group("n"))
        return m.group() if n < 2 else f"{pick(n)} {m.group('u')}"

    return _PLAIN.sub(plain, _COUNT.sub(words, value))


def new_numbers(value: str, rng: random.Random, memo: dict[str, str]) -> str:
    """House, suite and room numbers in ``value`` redrawn with the same number of digits."""

    def sub(m: re.Match[str]) -> str:
        old = m.group("n")
        if old not in memo:
            lo = 10 ** (len(old) - 1)
            memo[old] = str(rng.randint(lo, 10 * lo - 1))
        return memo[old]

    return _HOUSE.sub(sub, value)


__all__ = ["new_counts", "new_numbers", "new_party", "new_use", "party_kind", "party_shape"]
