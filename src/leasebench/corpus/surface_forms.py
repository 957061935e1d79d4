"""Value generators: dates, money, areas, durations and numbers in several surface forms.

Every function is pure given its ``random.Random``; none keeps state between calls, so the
banks can be reused by other generators.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

# fmt: off
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)
_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)
_TENS = (
    "_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
)
# fmt: on

DATE_STYLES = ("long", "ordinal", "slash", "iso", "uk", "uk_ordinal", "abbr", "short_slash")
US_DATE_STYLES = ("long", "long", "long", "ordinal", "slash", "short_slash", "abbr", "iso")
UK_DATE_STYLES = ("uk", "uk", "uk_ordinal", "ordinal", "slash_dmy")
CN_DATE_STYLES = ("long", "iso", "cn_ordinal", "uk", "slash")

CURRENCIES = {
    "USD": ("$", "Dollars", "cents"),
    "GBP": ("£", "Pounds Sterling", "pence"),
    "EUR": ("€", "Euros", "cents"),
    "CNY": ("RMB ", "Renminbi", "fen"),
    "HKD": ("HK$", "Hong Kong Dollars", "cents"),
    "CAD": ("C$", "Canadian Dollars", "cents"),
}


def ordinal(n: int) -> str:
    """``3`` -> ``3rd``."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def number_words(n: int) -> str:
    """English words for a non-negative integer below one billion (``60`` -> ``sixty``)."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} hundred" + (f" {number_words(rest)}" if rest else "")
    for size, word in ((1_000_000, "million"), (1000, "thousand")):
        if n >= size:
            big, rest = divmod(n, size)
            return f"{number_words(big)} {word}" + (f" {number_words(rest)}" if rest else "")
    raise ValueError(n)


def title_words(n: int) -> str:
    """``1250`` -> ``One Thousand Two Hundred Fifty``."""
    words = number_words(n).split(" ")
    return " ".join("-".join(p.capitalize() for p in w.split("-")) for w in words)


def words_and_digits(n: int, rng: random.Random) -> str:
    """``thirty (30)`` / ``Thirty (30)`` / ``30``."""
    style = rng.random()
    if style < 0.55:
        return f"{number_words(n)} ({n})"
    if style < 0.7:
        return f"{number_words(n).capitalize()} ({n})"
    return str(n)


def rand_date(rng: random.Random, lo_year: int = 1998, hi_year: int = 2024) -> date:
    start = date(lo_year, 1, 1).toordinal()
    return date.fromordinal(rng.randint(start, date(hi_year, 12, 31).toordinal()))


def add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise ValueError(d)


def first_of_month(rng: random.Random, lo_year: int = 1998, hi_year: int = 2024) -> date:
    d = rand_date(rng, lo_year, hi_year)
    return d.replace(day=1) if rng.random() < 0.7 else d


def term_end(start: date, months: int) -> date:
    """The last day of a term of ``months`` starting on ``start``."""
    return add_months(start, months) - timedelta(days=1)


def fmt_date(d: date, style: str) -> str:
    """One date in one surface form (see ``DATE_STYLES``)."""
    month = MONTHS[d.month - 1]
    if style == "long":
        return f"{month} {d.day}, {d.year}"
    if style == "ordinal":
        return f"{ordinal(d.day)} day of {month}, {d.year}"
    if style == "slash":
        return f"{d.month:02d}/{d.day:02d}/{d.year}"
    if style == "short_slash":
        return f"{d.month}/{d.day}/{d.year}"
    if style == "slash_dmy":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if style == "iso":
        return d.isoformat()
    if style == "uk":
        return f"{d.day} {month} {d.year}"
    if style == "uk_ordinal":
        return f"{ordinal(d.day)} {month} {d.year}"
    if style == "abbr":
        short = month[:3] + ("." if len(month) > 3 else "")
        return f"{short} {d.day}, {d.year}"
    if style == "cn_ordinal":
        return f"{month} {ordinal(d.day)}, {d.year}"
    raise ValueError(f"unknown date style {style!r}")


def date_style(rng: random.Random, locale: str = "us") -> str:
    bank = {"us": US_DATE_STYLES, "uk": UK_DATE_STYLES, "cn": CN_DATE_STYLES}[locale]
    return rng.choice(bank)


def money_digits(amount: float, currency: str = "USD", cents: bool = True) -> str:
    sym = CURRENCIES[currency][0]
    body = f"{amount:,.2f}" if cents else f"{round(amount):,}"
    return f"{sym}{body}"


def money(amount: float, rng: random.Random, currency: str = "USD") -> str:
    """An amount as digits, or as words followed by digits in brackets."""
    cents = rng.random() < 0.7 or amount != round(amount)
    digits = money_digits(amount, currency, cents)
    r = rng.random()
    if r < 0.35 and amount < 1_000_000_000:
        whole = int(amount)
        words = f"{title_words(whole)} {CURRENCIES[currency][1]}"
        frac = round((amount - whole) * 100)
        if frac:
            words += f" and {frac:02d}/100"
        return f"{words} ({digits})"
    if r < 0.45 and currency == "USD":
        return f"US{digits}" if rng.random() < 0.5 else f"{digits} USD"
    if r < 0.5 and currency in ("EUR", "GBP", "HKD", "CAD"):
        return f"{currency} {money_digits(amount, currency, cents)[len(CURRENCIES[currency][0]) :]}"
    return digits


def round_amount(rng: random.Random, lo: float, hi: float, step: float = 25.0) -> float:
    return round(rng.uniform(lo, hi) / step) * step


def area(value: float, unit: str, rng: random.Random) -> str:
    """``12,345 rentable square feet`` / ``1,147 square metres`` / ``2.5 acres``."""
    if unit == "sqft":
        qual = rng.choice(("", "", "rentable ", "usable ", "gross ", "net rentable "))
        form = rng.choice(("square feet", "square feet", "sq. ft.", "sq ft", "SF"))
        return f"{round(value):,} {qual}{form}"
    if unit == "sqm":
        form = rng.choice(("square metres", "square meters", "sq.m.", "m2", "square metres"))
        num = f"{value:,.2f}" if rng.random() < 0.4 else f"{round(value):,}"
        return f"{num} {form}"
    if unit == "acres":
        return f"{value:.2f} acres" if rng.random() < 0.6 else f"{value:.3f} acres of land"
    raise ValueError(unit)


def duration(months: int, rng: random.Random) -> str:
    """A term length: ``sixty (60) months``, ``five (5) years``, ``5 years``, ``one year``."""
    if months % 12 == 0 and rng.random() < 0.65:
        n, unit = months // 12, "year"
    else:
        n, unit = months, "month"
    unit = unit if n == 1 else unit + "s"
    r = rng.random()
    if r < 0.55:
        return f"{number_words(n)} ({n}) {unit}"
    if r < 0.75:
        return f"{number_words(n)} {unit}"
    return f"{n} {unit}"


def days(n: int, rng: random.Random) -> str:
    return f"{words_and_digits(n, rng)} days"


def pick_weighted(rng: random.Random, items: dict[str, float]) -> str:
    return rng.choices(list(items), weights=list(items.values()))[0]


__all__ = [
    "CURRENCIES",
    "DATE_STYLES",
    "MONTHS",
    "add_months",
    "area",
    "date_style",
    "days",
    "duration",
    "first_of_month",
    "fmt_date",
    "money",
    "money_digits",
    "number_words",
    "ordinal",
    "pick_weighted",
    "rand_date",
    "round_amount",
    "term_end",
    "title_words",
    "words_and_digits",
]
