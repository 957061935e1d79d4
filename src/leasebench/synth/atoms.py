"""Value atoms inside text: dates, money amounts and areas, rewritten consistently.

A :class:`Rewrite` holds one document's new "details": a shift in months for every date,
a factor for every amount of money and one for every area. Each atom keeps its surface
form (a date its style and zero padding, money its currency, words and cents, an area its
unit and decimals). Rewriting is a pure function of the atom's text, so the same atom
becomes the same new text wherever it occurs (in a label or in the body), and a shift
applied to every date keeps their order (signing <= start <= end) and equalities.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from ..corpus import surface_forms as v

_MONTH = "|".join(v.MONTHS)
_ABBR = "|".join(m[:3] for m in v.MONTHS)
_SP = r"[ \t]*\n?[ \t]*"
DATE = re.compile(
    rf"(?P<ord>(?P<od>\d{{1,2}})(?:st|nd|rd|th) day of{_SP}(?P<om>{_MONTH}),{_SP}(?P<oy>\d{{4}}))"
    rf"|(?P<cn>(?P<cm>{_MONTH}){_SP}(?P<cd>\d{{1,2}})(?:st|nd|rd|th),{_SP}(?P<cy>\d{{4}}))"
    rf"|(?P<long>(?P<lm>{_MONTH}){_SP}(?P<ld>\d{{1,2}}),{_SP}(?P<ly>\d{{4}}))"
    rf"|(?P<abbr>(?P<am>{_ABBR})\.?{_SP}(?P<ad>\d{{1,2}}),{_SP}(?P<ay>\d{{4}}))"
    rf"|(?P<uko>(?P<ud2>\d{{1,2}})(?:st|nd|rd|th){_SP}(?P<um2>{_MONTH}){_SP}(?P<uy2>\d{{4}}))"
    rf"|(?P<uk>(?P<ud>\d{{1,2}}){_SP}(?P<um>{_MONTH}){_SP}(?P<uy>\d{{4}}))"
    r"|(?P<iso>(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2}))"
    r"|(?P<slash>(?P<s1>\d{1,2})/(?P<s2>\d{1,2})/(?P<sy>\d{4}))"
)
_WORDS = (
    "One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|Eleven|Twelve|Thirteen|Fourteen|Fifteen|"
    "Sixteen|Seventeen|Eighteen|Nineteen|Twenty|Thirty|Forty|Fifty|Sixty|Seventy|Eighty|Ninety|"
    "Hundred|Thousand|Million"
)
_CUR_WORDS = "|".join(sorted((c[1] for c in v.CURRENCIES.values()), key=len, reverse=True))
MONEY = re.compile(
    rf"(?P<words>(?:(?:{_WORDS})(?:-(?:{_WORDS}))?{_SP})+(?P<cw>{_CUR_WORDS})"
    rf"(?: and (?P<frac>\d{{2}})/100)?{_SP}\()?"
    r"(?P<sym>US\$|HK\$|C\$|\$|£|€|RMB |(?:EUR|GBP|HKD|CAD) )"
    r"(?P<num>\d{1,3}(?:,\d{3})*(?:\.\d{2})?|\d+(?:\.\d{2})?)(?!\d|,\d)"
)
_UNITS = (
    r"(?:(?:rentable|usable|gross|net rentable) )?"
    r"(?:square feet|sq\. ft\.|sq ft|SF|square metres|square meters|sq\.m\.|m2|acres)"
)
AREA = re.compile(rf"(?<![\d,.$£€])(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+)(?P<dec>\.\d+)? (?={_UNITS})")
_SYM_CURRENCY = {"US$": "USD", "$": "USD", "£": "GBP", "€": "EUR", "RMB ": "CNY", "HK$": "HKD",
                 "C$": "CAD", "EUR ": "EUR", "GBP ": "GBP", "HKD ": "HKD", "CAD ": "CAD"}


def keep_breaks(old: str, new: str) -> str:
    """``new`` with a line break where ``old`` had one (at the nearest space)."""
    if "\n" not in old:
        return new
    at = old.index("\n")
    spaces = [i for i, c in enumerate(new) if c == " "]
    if not spaces:
        return new
    i = min(spaces, key=lambda s: abs(s - at))
    return new[:i] + "\n" + new[i + 1 :]


def _month(name: str) -> int:
    return next(i for i, m in enumerate(v.MONTHS, 1) if m.startswith(name[:3]))


def match_date(m: re.Match[str], day_first: bool = False) -> tuple[date, str]:
    """The date a ``DATE`` match states and its style (``ValueError`` if not a real date)."""
    g = m.groupdict()
    if g["ord"]:
        return date(int(g["oy"]), _month(g["om"]), int(g["od"])), "ordinal"
    if g["cn"]:
        return date(int(g["cy"]), _month(g["cm"]), int(g["cd"])), "cn_ordinal"
    if g["long"]:
        return date(int(g["ly"]), _month(g["lm"]), int(g["ld"])), "long"
    if g["abbr"]:
        return date(int(g["ay"]), _month(g["am"]), int(g["ad"])), "abbr"
    if g["uko"]:
        return date(int(g["uy2"]), _month(g["um2"]), int(g["ud2"])), "uk_ordinal"
    if g["uk"]:
        return date(int(g["uy"]), _month(g["um"]), int(g["ud"])), "uk"
    if g["iso"]:
        return date(int(g["iy"]), int(g["im"]), int(g["id"])), "iso"
    a, b = g["s1"], g["s2"]
    day, month = (a, b) if day_first else (b, a)
    style = ("dmy" if day_first else "mdy") + ("0" if len(a) == 2 else "") + (
        "0" if len(b) == 2 else "")
    return date(int(g["sy"]), int(month), int(day)), style


def format_date(d: date, style: str, old: str = "") -> str:
    """``d`` in a style from :func:`match_date` (slash styles keep their zero padding)."""
    if style[:3] in ("dmy", "mdy"):
        first, second = (d.day, d.month) if style.startswith("dmy") else (d.month, d.day)
        pad = style[3:]
        a = f"{first:02d}" if len(pad) >= 1 else str(first)
        b = f"{second:02d}" if len(pad) == 2 else str(second)
        return f"{a}/{b}/{d.year}"
    text = v.fmt_date(d, style)
    if style == "abbr" and old and "." not in old:
        text = text.replace(".", "", 1)
    return text


def parse_date(text: str, day_first: bool = False) -> date | None:
    """The date ``text`` states in one of the corpus' forms, or None."""
    m = DATE.fullmatch(text.strip())
    if m is None:
        return None
    try:
        return match_date(m, day_first)[0]
    except ValueError:
        return None


@dataclass
class Rewrite:
    """New details for one document: a date shift, money and area factors, a memo."""

    months: int
    money_factor: float
    area_factor: float
    day_first: bool = False
    memo: dict[str, str] = field(default_factory=dict)

    def date(self, m: re.Match[str]) -> str:
        old = m.group()
        try:
            d, style = match_date(m, self.day_first)
            new = format_date(self._shift(d), style, old)
        except ValueError:
            return old
        return keep_breaks(old, new)

    def _shift(self, d: datetime.date) -> datetime.date:
        return v.add_months(d, self.months)

    def money(self, m: re.Match[str]) -> str:
        old, sym, num = m.group(), m.group("sym"), m.group("num")
        amount = float(num.replace(",", ""))
        cents = "." in num
        new_amount = amount * self.money_factor
        if amount == round(amount) and amount % 50 == 0 and amount >= 100:
            new_amount = max(50.0, round(new_amount / 50) * 50)
        elif amount == round(amount):
            new_amount = float(max(1, round(new_amount)))
        else:
            new_amount = round(new_amount, 2)
        body = f"{new_amount:,.2f}" if cents else f"{round(new_amount):,}"
        if "," not in num and new_amount >= 1000:
            body = body.replace(",", "")
        digits = f"{sym}{body}"
        if not m.group("words"):
            return digits
        whole = int(new_amount)
        words = f"{v.title_words(whole)} {m.group('cw')}"
        frac = round((new_amount - whole) * 100)
        if frac:
            words += f" and {frac:02d}/100"
        return keep_breaks(old, f"{words} ({digits}")

    def area(self, m: re.Match[str]) -> str:
        num, dec = m.group("num"), m.group("dec") or ""
        value = float(num.replace(",", "") + dec) * self.area_factor
        places = len(dec) - 1 if dec else 0
        text = f"{value:,.{places}f}" if "," in num or value < 1000 else f"{value:.{places}f}"
        if "," in num and value < 1000:
            text = f"{value:.{places}f}"
        return text + " "

    def apply(self, text: str) -> str:
        """Every date, amount and area in ``text`` rewritten (memoised per atom text)."""
        text = DATE.sub(self._memo(self.date), text)
        text = MONEY.sub(self._memo(self.money), text)
        return AREA.sub(self._memo(self.area), text)

    def _memo(self, fn: Callable[[re.Match[str]], str]) -> Callable[[re.Match[str]], str]:
        def sub(m: re.Match[str]) -> str:
            key = f"{fn.__name__}:{m.group()}"
            if key not in self.memo:
                self.memo[key] = fn(m)
            return self.memo[key]

        return sub


def looks_day_first(texts: list[str]) -> bool:
    """Whether the slash dates in ``texts`` are day first (one has a first part above 12)."""
    for text in texts:
        for m in DATE.finditer(text):
            if m.group("slash"):
                if int(m.group("s1")) > 12:
                    return True
                if int(m.group("s2")) > 12:
                    return False
    return False


__all__ = [
    "AREA",
    "DATE",
    "MONEY",
    "Rewrite",
    "format_date",
    "keep_breaks",
    "looks_day_first",
    "match_date",
    "parse_date",
]
