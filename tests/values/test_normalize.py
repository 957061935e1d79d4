"""Normalisers: worked examples and never raising on arbitrary strings."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leasebench.values.keys import exact_key, normalized_key
from leasebench.values.normalize import (
    is_null_like,
    normalize_area,
    normalize_date,
    normalize_duration,
    normalize_money,
    normalize_party,
    normalize_text,
    parse_number,
)

DATES = [
    ("3rd day of March, 2017", "2017-03-03"), ("March 3, 2017", "2017-03-03"),
    ("3 March 2017", "2017-03-03"), ("Mar. 3rd 2017", "2017-03-03"),
    ("the first day of April, 2018", "2018-04-01"), ("twenty-first of June 1999", "1999-06-21"),
    ("2017-03-03", "2017-03-03"), ("3-Mar-17", "2017-03-03"), ("March 2017", "2017-03"),
    ("03/04/2017", "2017-03-04"), ("13/05/2017", "2017-05-13"), ("12.05.19", "2019-12-05"),
    ("31 February 2020", None), ("Thursday", None), ("March 3, 2017 at noon", None),
]


@pytest.mark.parametrize(("text", "iso"), DATES)
def test_dates(text, iso):
    assert normalize_date(text) == iso


def test_day_first_policy():
    assert normalize_date("03/04/2017", day_first=True) == "2017-04-03"
    assert normalize_date("04/13/2017", day_first=True) == "2017-04-13"  # impossible: swapped


@pytest.mark.parametrize(("text", "canon"), [
    ("$1,234.50", "1234.5 USD"), ("USD 1234.5", "1234.5 USD"), ("1.234,50 EUR", "1234.5 EUR"),
    ("€1,500.00", "1500 EUR"), ("1500 dollars", "1500 USD"), ("$1.5 million", "1500000 USD"),
    ("$10k", "10000 USD"), ("1,500", "1500"), ("$12,000.00 per month", "12000 USD/month"),
    ("EUR 5.000 monthly", "5000 EUR/month"), ("$ 12,000 and utilities", None),
])
def test_money(text, canon):
    assert normalize_money(text) == canon


@pytest.mark.parametrize(("text", "canon"), [
    ("1,500 sq ft", "1500 sqft"), ("1500 square feet", "1500 sqft"), ("150 m²", "150 m2"),
    ("150 sqm", "150 m2"), ("approximately 2,000 rentable square feet", "2000 sqft"),
    ("2 acres", "2 acre"), ("the second floor", None),
])
def test_areas(text, canon):
    assert normalize_area(text) == canon


@pytest.mark.parametrize(("text", "canon"), [
    ("5 years", "60 months"), ("five (5) years", "60 months"), ("18 months", "18 months"),
    ("2 years and 6 months", "30 months"), ("one year", "12 months"),
    ("a period of three years", "36 months"), ("90 days", "90 days"), ("6mos", "6 months"),
    ("years", None), ("until terminated", None),
])
def test_durations(text, canon):
    assert normalize_duration(text) == canon


@pytest.mark.parametrize(("a", "b"), [
    ("Acme Inc.", "ACME Incorporated"), ("Foo L.L.C.", "Foo LLC"), ("The Foo Company", "Foo Co."),
    ("Smith & Sons, Ltd.", "Smith and Sons Limited"), ("Müller GmbH", "Muller GmbH"),
    ("Bar Corporation", "Bar Corp"), ("Baz Limited Liability Company", "Baz, LLC"),
])
def test_parties_fold(a, b):
    assert normalize_party(a) == normalize_party(b)


def test_parties_keep_distinct_names_apart():
    assert normalize_party("Acme Inc.") != normalize_party("Acme Ltd.")


def test_text_and_keys():
    assert normalize_text("  “General” office use. ") == '"general" office use'
    assert exact_key("  A\u00a0 B ") == "a b"
    assert exact_key("N/A") is None
    assert normalized_key("none", "date") is None
    assert normalized_key("not a date", "date") == "=not a date"
    assert is_null_like([]) and is_null_like(None) and is_null_like(" Null ")
    assert not is_null_like("0")


@pytest.mark.parametrize(("text", "value"), [
    ("1,234.5", "1234.5"), ("1.234,5", "1234.5"), ("1'234", "1234"), ("1,234,567", "1234567"),
    ("1.5", "1.5"), ("12", "12"), ("abc", None),
])
def test_parse_number(text, value):
    got = parse_number(text)
    assert (None if got is None else str(got.normalize())) == (
        None if value is None else str(type(got)(value).normalize()))


NORMALISERS = [normalize_date, normalize_money, normalize_area, normalize_duration,
               normalize_party, normalize_text, exact_key]
SURFACE = st.one_of(
    st.text(),
    st.text(alphabet="0123456789/.,-$€£ ()'", max_size=20),
    st.lists(st.sampled_from(["3rd", "March", "2017", "of", "day", "the", "$", "1,500", "sq",
                              "ft", "years", "five", "(5)", "Inc.", "L.L.C.", "and", "-", ","]),
             max_size=8).map(" ".join),
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(SURFACE, st.booleans())
def test_normalisers_never_raise(text, day_first):
    for fn in NORMALISERS:
        out = fn(text)
        assert out is None or isinstance(out, str)
    date = normalize_date(text, day_first)
    assert date is None or len(date) in (7, 10)
    for kind in ("party", "date", "money", "area", "duration", "text"):
        key = normalized_key(text, kind, day_first)
        assert key is None or isinstance(key, str)


@settings(max_examples=200, deadline=None)
@given(st.text(), st.sampled_from(["party", "date", "money", "area", "duration", "text"]))
def test_keys_ignore_surrounding_whitespace(text, kind):
    assert normalized_key(text, kind) == normalized_key(f"  {text}\n", kind)
