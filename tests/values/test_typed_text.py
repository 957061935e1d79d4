"""Typed values inside text fields (``x-contains``): canonical amounts, areas, durations;
the lease schema's typed text fields; schema validation."""

from __future__ import annotations

import pytest

from leasebench.errors import DataError
from leasebench.records import Prediction, Record
from leasebench.schema import FieldSchema, builtin_schema
from leasebench.scoring import FieldMatchParams, FieldMatchScorer, summarize
from leasebench.values.typed_text import typed_text_key

SAME = [
    ("rent of RMB 1,462,231.62 per month, payable quarterly",
     "rent of CNY 1462231.62 monthly, payable quarterly", ["money"]),
    ("€917,359.20 per annum, payable annually in advance",
     "EUR 917,359.2 per year, payable annually in advance", ["money"]),
    ("Room 889, with a gross floor area of about 12,085 m2",
     "Room 889, with a gross floor area of about 12085 square metres", ["area"]),
    ("two (2) extension terms of five (5) years each", "two (2) extension terms of 60 months "
     "each", ["duration"]),
]
DIFFERENT = [
    ("rent of $5,000 per month, payable quarterly", "rent of $5,000 per month, payable "
     "monthly", ["money"]),
    ("rent of $5,000 per month", "rent of $5,500 per month", ["money"]),
    ("rent of $5,000 per month", "rent of $5,000 per year", ["money"]),
    ("a term of five (5) years", "a term of 5 months", ["duration"]),
]


@pytest.mark.parametrize(("a", "b", "kinds"), SAME)
def test_typed_mentions_in_other_surface_forms_match(a, b, kinds):
    assert typed_text_key(a, kinds) == typed_text_key(b, kinds)
    assert typed_text_key(a, []) != typed_text_key(b, [])


@pytest.mark.parametrize(("a", "b", "kinds"), DIFFERENT)
def test_different_values_or_wording_stay_different(a, b, kinds):
    assert typed_text_key(a, kinds) != typed_text_key(b, kinds)


def test_the_lease_schema_types_its_description_fields():
    schema = builtin_schema("lease")
    assert schema.contains("term_of_payment") == ("money",)
    assert schema.contains("leased_space") == ("area",)
    assert schema.contains("extension_period") == ("duration",)
    assert schema.contains("lessor") == ()
    gold = [Record(id="d", text="", labels={"term_of_payment": ["$12,000 per month"]})]
    pred = [Prediction(id="d", fields={"term_of_payment": ["USD 12000 monthly"]})]
    s = summarize(FieldMatchScorer(FieldMatchParams()).score(gold, pred, schema),
                  iterations=0)
    assert s.fields["term_of_payment"].tp == 1


def test_x_contains_is_validated():
    doc = {"properties": {"a": {"type": "array", "x-kind": "text", "x-contains": ["weight"]},
                          "b": {"type": "array", "x-kind": "date", "x-contains": ["money"]}}}
    with pytest.raises(DataError, match=r"a\.x-contains.*b\.x-contains: only for x-kind text"):
        FieldSchema("bad", doc)
