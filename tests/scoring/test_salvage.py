"""Cut-off and malformed answers keep their sound pairs; answers that name no field fail."""

from __future__ import annotations

import json

import pytest

from leasebench.parsing import parse_answer, parse_labels
from leasebench.salvage import salvage_pairs
from leasebench.schema import builtin_schema

from .helpers import make_schema

SCHEMA = make_schema(lessor="party", lessee="party", signing_date="date", rent="money")
LEASE = builtin_schema("lease")


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_a_cut_off_answer_with_n_complete_fields_yields_those_n(n):
    values = {"lessor": ["Acme Ltd"], "lessee": ["Beta, Inc."], "signing_date": ["2017-05-01"],
              "rent": ["1,200 USD"]}
    whole = json.dumps(values)
    kept = dict(list(values.items())[:n])
    body = json.dumps(kept)[:-1]  # the object without its closing brace
    for cut in (body, body + ",", body + ', "', body + ', "ren', body + ', "rent": ["12',
                body + ', "rent": ["1,200 USD", "'):
        parsed = parse_answer(cut, SCHEMA)
        assert parsed.error is None and parsed.partial, cut
        assert {k: v for k, v in parsed.labels.items() if v} == kept, cut
    assert parse_answer(whole, SCHEMA).partial is False


def test_a_repetition_loop_keeps_the_fields_before_it():
    loop = "_date_of_expiration" * 200
    text = ('{"lessor": ["A"], "lessee": ["B"], '
            f'"expiration_date_of_lease_contract{loop}')
    parsed = parse_answer(text, LEASE)
    assert parsed.partial and parsed.error is None
    assert {k: v for k, v in parsed.labels.items() if v} == {"lessor": ["A"], "lessee": ["B"]}
    assert set(parsed.labels) == set(LEASE.fields)
    values = '{"lessor": ["A"], "start_date": ["2017"' + ', "2017"' * 500
    parsed = parse_answer(values, LEASE)
    assert parsed.partial and parsed.labels["lessor"] == ["A"]
    assert parsed.labels["start_date"] == []  # a list cut off is not kept


@pytest.mark.parametrize(("text", "kept"), [
    ('```json\n{"lessor": ["A"], "lessee": "B", "rent": [12.5], "signing_date": ["2', {
        "lessor": ["A"], "lessee": ["B"], "rent": ["12.5"]}),
    ('Here: {"lessor": ["A"] "lessee": ["B"]  oops', {"lessor": ["A"], "lessee": ["B"]}),
    ('{"lessor": ["A",], "lessee": ["B"], "rent": {', {"lessor": ["A"], "lessee": ["B"]}),
    ('{"labels": {"Lessor": ["A"], "lessee": ["B"', {"lessor": ["A"]}),
    ('{"lessor": [{"name": "A"}], "lessee": ["B"]}', {"lessee": ["B"]}),
    ('{"lessor": ["A"], "rent": 1200', {"lessor": ["A"]}),  # a number at the end: cut?
    ('{"lessor": ["A"], "rent": 1200 "lessee": [', {"lessor": ["A"], "rent": ["1200"]}),
])
def test_malformed_answers_keep_their_complete_schema_pairs(text, kept):
    parsed = parse_answer(text, SCHEMA)
    assert parsed.partial and parsed.error is None
    assert {k: v for k, v in parsed.labels.items() if v} == kept


def test_a_sound_object_later_in_the_answer_wins_over_salvage():
    text = '{"foo": 1} then {"lessor": ["A"]} and {"lessee": ["B"'
    parsed = parse_answer(text, SCHEMA)
    assert not parsed.partial and parsed.labels["lessor"] == ["A"]
    assert parsed.labels["lessee"] == []


@pytest.mark.parametrize(("text", "fragment"), [
    ('x = {"foo": 1}', "names no field"),
    ("{}", "names no field"),
    ('{"lessor": [], "rent": null}', "2 of 4 fields"),
    ('{"lessor": [], "lessee": [], "rent": [], "signing_date": ["2', "no valid JSON"),
    ('{"lessor": ["A"', "no valid JSON"),
    ('{"foo": ["A"], "bar": [', "no valid JSON"),
])
def test_an_answer_with_no_field_value_is_a_parse_failure(text, fragment):
    labels, error = parse_labels(text, SCHEMA)
    assert labels is None and error and fragment in error


def test_an_explicit_nothing_found_answer_lists_every_field():
    text = '{"lessor": [], "lessee": null, "signing_date": [], "rent": []}'
    parsed = parse_answer(text, SCHEMA)
    assert parsed.error is None and not parsed.partial
    assert all(v == [] for v in parsed.labels.values())
    labels, error = parse_labels('x = {"foo": 1}', LEASE)
    assert labels is None and "'foo'" in error


def test_without_a_schema_every_complete_pair_is_kept():
    parsed = parse_answer('{"a": "x", "b": [1, 2], "c": "cu', None)
    assert parsed.partial and parsed.labels == {"a": ["x"], "b": ["1", "2"]}
    assert parse_answer("{}", None).labels == {}


def test_salvage_pairs_reads_complete_values_only():
    assert salvage_pairs('{"a": 1, "b": "two", "c": [3], "d": {"e": 4}, "f": tr') == [
        ("a", 1), ("b", "two"), ("c", [3]), ("d", {"e": 4})]
    assert salvage_pairs('{"a": true}') == [("a", True)]
    assert salvage_pairs('{"a": true') == []
    assert salvage_pairs("['a']") == [] and salvage_pairs("{'a': 1}") == []
    # too deep to decode on every supported Python (3.13 decodes 5,000): stops there
    deep = '{"a": ' + "[" * 100_000 + "]" * 100_000 + ', "b": 1}'
    assert salvage_pairs(deep) == []
    nested = '{"x": ' * 3000
    assert salvage_pairs(nested) == []


def test_prediction_fields_mark_partial_answers():
    from leasebench.records import Prediction

    pred = Prediction(id="d1", **parse_answer('{"lessor": ["A"], "le', SCHEMA)
                      .prediction_fields())
    assert pred.partial and pred.parse_error is None and pred.fields["lessor"] == ["A"]
    old = Prediction.model_validate({"id": "d2", "fields": {"lessor": ["A"]}})
    assert old.partial is False  # stored predictions without the field still load
