"""Lenient labels-from-model-text parsing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leasebench.parsing import coerce_values, parse_labels

from .helpers import make_schema

SCHEMA = make_schema(lessor="party", signing_date="date")


@pytest.mark.parametrize(("text", "expected"), [
    ('{"lessor": ["Acme"], "signing_date": []}', {"lessor": ["Acme"], "signing_date": []}),
    ('Sure! Here it is:\n```json\n{"lessor": ["Acme"],}\n```\nAnything else?',
     {"lessor": ["Acme"], "signing_date": []}),
    ('```\n{"lessor": "Acme", "signing_date": null}\n```',
     {"lessor": ["Acme"], "signing_date": []}),
    ('The answer is {"lessor": ["A", "B",], "signing_date": ["2017",],} as requested.',
     {"lessor": ["A", "B"], "signing_date": ["2017"]}),
    ("{'lessor': ['O\\'Brien'], 'signing_date': None}",
     {"lessor": ["O'Brien"], "signing_date": []}),
    ('{"Lessor": ["Acme"], "Signing Date": ["x"], "extra": ["y"]}',
     {"lessor": ["Acme"], "signing_date": ["x"]}),
    ('{"labels": {"lessor": ["Acme"]}}', {"lessor": ["Acme"], "signing_date": []}),
    ('{"lessor": ["say \\"hi,}\\""], "signing_date": [2017, null]}',
     {"lessor": ['say "hi,}"'], "signing_date": ["2017"]}),
])
def test_parses(text, expected):
    labels, error = parse_labels(text, SCHEMA)
    assert error is None
    assert labels == expected


@pytest.mark.parametrize(("text", "fragment"), [
    ("", "empty"), ("I cannot help with that.", "no"), ("[1, 2]", "object"),
    ('{"lessor": [{"name": "A"}]}', "lessor"), ('{"lessor": ["A"', "no"),
])
def test_failures_carry_a_reason(text, fragment):
    labels, error = parse_labels(text, SCHEMA)
    assert labels is None and error and fragment in error


def test_without_schema_keeps_every_key():
    labels, _ = parse_labels('{"a": "x", "b": [1.5, true]}', None)
    assert labels == {"a": ["x"], "b": ["1.5", "true"]}


def test_coerce_values():
    assert coerce_values(None) == [] and coerce_values("x") == ["x"]
    assert coerce_values([None, "a", 3]) == ["a", "3"]
    assert coerce_values({"a": 1}) is None


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet='{}[]",:\' \nabc`json\\', max_size=40)))
def test_never_raises(text):
    labels, error = parse_labels(text, SCHEMA)
    assert (labels is None) != (error is None)
