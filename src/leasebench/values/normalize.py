"""Value normalisers: null-like values, the exact form, and one normaliser per field kind.

Every normaliser takes any string and returns a canonical string, or ``None`` when the
value does not parse as that kind (the caller then falls back to the exact form). None
of them raises on any input.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation

NULL_LIKE = frozenset({"", "n/a", "none", "null", "nan"})
_WS = re.compile(r"\s+")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                         "\u2013": "-", "\u2014": "-", "\u00a0": " "})


def is_null_like(value: object) -> bool:
    """True for None, an empty list, and strings in ``NULL_LIKE`` (stripped, case-folded)."""
    if value is None:
        return True
    if isinstance(value, (list, tuple)):
        return len(value) == 0
    return str(value).strip().casefold() in NULL_LIKE


def exact_form(value: str) -> str:
    """NFKC-normalised, case-folded, whitespace collapsed and stripped."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", value).casefold()).strip()


# --- numbers and number words ---------------------------------------------------------

_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
          "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
          "seventeen", "eighteen", "nineteen"]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
NUMBER_WORDS: dict[str, int] = {w: i for i, w in enumerate(_UNITS)}
NUMBER_WORDS.update(_TENS)
NUMBER_WORDS.update({"a": 1, "an": 1, "hundred": 100})
for _t, _tv in _TENS.items():
    for _u in range(1, 10):
        NUMBER_WORDS[f"{_t}-{_UNITS[_u]}"] = _tv + _u
_ORD_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
              "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11,
              "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
              "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
              "twentieth": 20, "thirtieth": 30}
ORDINAL_WORDS: dict[str, int] = dict(_ORD_WORDS)
for _u in range(1, 10):
    _w = next(k for k, v in _ORD_WORDS.items() if v == _u)
    ORDINAL_WORDS[f"twenty-{_w}"] = 20 + _u
    ORDINAL_WORDS[f"twenty{_w}"] = 20 + _u
ORDINAL_WORDS["thirty-first"] = ORDINAL_WORDS["thirtyfirst"] = 31


def _int_token(tok: str) -> int | None:
    """An integer from digits, '3rd'-style ordinals, number words or ordinal words."""
    m = re.fullmatch(r"(\d{1,4})(st|nd|rd|th)?", tok)
    if m:
        return int(m.group(1))
    return NUMBER_WORDS.get(tok, ORDINAL_WORDS.get(tok))


# --- dates -----------------------------------------------------------------------------

MONTHS: dict[str, int] = {}
for _i in range(1, 13):
    MONTHS[calendar.month_name[_i].lower()] = _i
    MONTHS[calendar.month_abbr[_i].lower()] = _i
MONTHS["sept"] = 9
_DATE_FILLER = frozenset({"the", "day", "of", "on", "dated", "as", "in", "year", "a.d", "ad"})


def _year(tok: str) -> int | None:
    if re.fullmatch(r"\d{4}", tok):
        return int(tok)
    if re.fullmatch(r"'?\d{2}", tok):
        y = int(tok.lstrip("'"))
        return 2000 + y if y < 50 else 1900 + y
    return None


def _iso(y: int, m: int, d: int | None) -> str | None:
    if not 1 <= m <= 12:
        return None
    if d is None:
        return f"{y:04d}-{m:02d}"
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def normalize_date(value: str, day_first: bool = False) -> str | None:
    """ISO ``YYYY-MM-DD`` (or ``YYYY-MM`` without a day) from common written forms.

    Numeric ``a/b/yyyy`` uses ``day_first``; when that reading is impossible (a month
    above 12) the other order is used.
    """
    s = exact_form(value).replace(",", " ").strip(" .")
    m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", s)
    if m:
        return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.fullmatch(r"(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*('?\d{2}|\d{4})", s)
    if m:
        a, b, y = int(m.group(1)), int(m.group(2)), _year(m.group(3))
        if y is None:
            return None
        d, mo = (a, b) if day_first else (b, a)
        if mo > 12 and d <= 12:
            d, mo = mo, d
        return _iso(y, mo, d)
    s = re.sub(r"\b(twenty|thirty)[\s-]+(?=[a-z])", r"\1", s)
    tokens = [t for t in re.split(r"[\s/\-]+|\.(?=\s|$|\d)", s) if t and t not in _DATE_FILLER]
    tokens = [t.rstrip(".") for t in tokens]
    month = day = year = None
    for tok in tokens:
        if tok in MONTHS and month is None:
            month = MONTHS[tok]
        elif re.fullmatch(r"\d{4}", tok) and year is None:
            year = int(tok)
        elif (n := _int_token(tok)) is not None and day is None and 1 <= n <= 31:
            day = n
        elif year is None and day is not None and (y := _year(tok)) is not None:
            year = y
        else:
            return None
    if month is None or year is None:
        return None
    return _iso(year, month, day)


# --- money -----------------------------------------------------------------------------

CURRENCIES = {"$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD",
              "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "£": "GBP",
              "gbp": "GBP", "pound": "GBP", "pounds": "GBP", "¥": "JPY", "jpy": "JPY",
              "yen": "JPY", "chf": "CHF", "cad": "CAD", "c$": "CAD", "aud": "AUD",
              "a$": "AUD", "sek": "SEK", "nok": "NOK", "dkk": "DKK", "inr": "INR",
              "₹": "INR", "cny": "CNY", "rmb": "CNY", "hkd": "HKD", "sgd": "SGD"}
MULTIPLIERS = {"k": 1_000, "thousand": 1_000, "m": 1_000_000, "mm": 1_000_000,
               "million": 1_000_000, "bn": 1_000_000_000, "billion": 1_000_000_000}
PERIODS = {"per month": "month", "a month": "month", "monthly": "month", "/month": "month",
           "per annum": "year", "per year": "year", "a year": "year", "annually": "year",
           "yearly": "year", "/year": "year", "per quarter": "quarter", "quarterly": "quarter"}
_CUR_RE = "|".join(sorted((re.escape(c) for c in CURRENCIES), key=len, reverse=True))
_MULT_RE = "|".join(sorted(MULTIPLIERS, key=len, reverse=True))
_MONEY = re.compile(
    rf"(?P<c1>{_CUR_RE})?\s*(?P<num>\d[\d,.' ]*\d|\d)\s*(?P<mult>{_MULT_RE})?\.?\s*"
    rf"(?P<c2>{_CUR_RE})?(?:\s*only)?\s*(?P<per>{'|'.join(PERIODS)})?"
)


def parse_number(text: str) -> Decimal | None:
    """A decimal from '1,234.50', '1.234,50', "1'234", '1 234'; the last separator
    followed by other than exactly three digits, or of the second kind, is the decimal."""
    t = text.replace("'", "").replace(" ", "")
    if not re.fullmatch(r"\d[\d,.]*", t):
        return None
    last = max(t.rfind(","), t.rfind("."))
    if last >= 0:
        sep = t[last]
        other = "." if sep == "," else ","
        tail = t[last + 1 :]
        if other in t or (t.count(sep) == 1 and len(tail) != 3):
            t = t[:last].replace(",", "").replace(".", "") + "." + tail
        else:
            t = t.replace(sep, "")
        if other in t[: t.find(".") if "." in t else len(t)]:
            t = t.replace(other, "")
    try:
        return Decimal(t)
    except InvalidOperation:
        return None


def _decimal_str(d: Decimal) -> str:
    text = format(d.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def normalize_money(value: str) -> str | None:
    """``'<amount> <CUR>[/<period>]'``: amount without trailing zeros, a currency code (if
    stated) and a payment period ('per month', 'annually', ...) if stated."""
    s = exact_form(value)
    m = _MONEY.fullmatch(s)
    if not m or (m.group("c1") and m.group("c2")):
        return None
    amount = parse_number(m.group("num"))
    if amount is None:
        return None
    if m.group("mult"):
        amount *= MULTIPLIERS[m.group("mult")]
    cur = m.group("c1") or m.group("c2")
    out = f"{_decimal_str(amount)} {CURRENCIES[cur]}" if cur else _decimal_str(amount)
    return out + "/" + PERIODS[m.group("per")] if m.group("per") else out


# --- areas -----------------------------------------------------------------------------

AREA_UNITS = {"sq ft": "sqft", "sq. ft": "sqft", "sq.ft": "sqft", "sqft": "sqft",
              "sf": "sqft", "square feet": "sqft", "square foot": "sqft", "ft2": "sqft",
              "ft²": "sqft", "rsf": "sqft", "rentable square feet": "sqft",
              "m2": "m2", "m²": "m2", "sqm": "m2", "sq m": "m2", "sq. m": "m2",
              "square meters": "m2", "square metres": "m2", "square meter": "m2",
              "square metre": "m2", "acre": "acre", "acres": "acre", "ha": "ha",
              "hectare": "ha", "hectares": "ha"}
_AREA_RE = "|".join(sorted((re.escape(u) for u in AREA_UNITS), key=len, reverse=True))
_AREA = re.compile(rf"(?:approximately |approx\.? |about )?(?P<num>\d[\d,.' ]*\d|\d)\s*"
                   rf"(?P<unit>{_AREA_RE})\.?")


def normalize_area(value: str) -> str | None:
    """``'<number> <unit>'`` with units folded to sqft, m2, acre or ha (not converted)."""
    m = _AREA.fullmatch(exact_form(value))
    if not m:
        return None
    n = parse_number(m.group("num"))
    return None if n is None else f"{_decimal_str(n)} {AREA_UNITS[m.group('unit')]}"


# --- durations -------------------------------------------------------------------------

# months per unit, or "w" / "d" for units counted in days
DURATION_UNITS: dict[str, int | str] = {
    "year": 12, "years": 12, "yr": 12, "yrs": 12, "month": 1, "months": 1, "mo": 1, "mos": 1,
    "mths": 1, "weeks": "w", "week": "w", "days": "d", "day": "d",
}
_DUR_FILLER = frozenset({"and", "for", "of", "period", "term", "the", "a", "an", "full",
                         "calendar", "consecutive", "additional", "further", "plus"})


def normalize_duration(value: str) -> str | None:
    """Months as ``'<n> months'`` (years x 12 + months); weeks and days as days."""
    s = exact_form(value).replace(",", " ").strip(" .")
    s = re.sub(r"\(\s*\d+\s*\)", " ", s)  # "five (5) years"
    s = re.sub(r"(\d)([a-z])", r"\1 \2", s)
    tokens = [t for t in s.split() if t not in _DUR_FILLER or t in ("a", "an")]
    months, days, i, seen = Decimal(0), Decimal(0), 0, False
    while i < len(tokens):
        tok = tokens[i]
        if tok in _DUR_FILLER:
            if i + 1 < len(tokens) and tokens[i + 1] in DURATION_UNITS:
                tok = "1"
            else:
                i += 1
                continue
        n = parse_number(tok) if tok[0].isdigit() else NUMBER_WORDS.get(tok)
        if n is None or i + 1 >= len(tokens) or tokens[i + 1] not in DURATION_UNITS:
            return None
        unit = DURATION_UNITS[tokens[i + 1]]
        if unit == "w":
            days += Decimal(n) * 7
        elif unit == "d":
            days += Decimal(n)
        elif isinstance(unit, int):
            months += Decimal(n) * unit
        seen, i = True, i + 2
    if not seen:
        return None
    parts = []
    if months:
        parts.append(f"{_decimal_str(months)} months")
    if days:
        parts.append(f"{_decimal_str(days)} days")
    return " ".join(parts) or "0 months"


# --- party names -----------------------------------------------------------------------

LEGAL_SUFFIXES = [("limited liability company", "llc"), ("limited liability partnership", "llp"),
                  ("limited partnership", "lp"), ("public limited company", "plc"),
                  ("incorporated", "inc"), ("corporation", "corp"), ("company", "co"),
                  ("limited", "ltd"), ("l l c", "llc"), ("l l p", "llp"), ("l p", "lp")]
_SUFFIX_RES = [(re.compile(rf"\b{re.escape(a)}\b"), b) for a, b in LEGAL_SUFFIXES]


def normalize_party(value: str) -> str | None:
    """Case, accents, punctuation, '&'/'and', a leading 'the' and legal suffixes folded."""
    s = unicodedata.normalize("NFKD", exact_form(value))
    s = "".join(c for c in s if not unicodedata.combining(c)).replace("&", " and ")
    s = re.sub(r"[.'\u2019`]", " ", s)
    s = re.sub(r"[^\w\s]", " ", s)
    s = re.sub(r"\b(\w)\s+(?=\w\b)", r"\1", _WS.sub(" ", s).strip())  # "l l c" -> "llc"
    s = _WS.sub(" ", s).strip()
    for pattern, repl in _SUFFIX_RES:
        s = pattern.sub(repl, s)
    s = re.sub(r"^the ", "", s)
    return s or None


def normalize_text(value: str) -> str | None:
    """Exact form with typographic quotes/dashes unified and trailing ``.,;:`` stripped."""
    s = exact_form(value.translate(_QUOTES)).rstrip(" .,;:")
    return s or None


NORMALIZERS: dict[str, Callable[[str], str | None]] = {
    "party": normalize_party, "money": normalize_money, "area": normalize_area,
    "duration": normalize_duration, "text": normalize_text,
}


__all__ = [
    "NORMALIZERS", "NULL_LIKE", "exact_form", "is_null_like", "normalize_area",
    "normalize_date", "normalize_duration", "normalize_money", "normalize_party",
    "normalize_text", "parse_number",
]
