"""Lenient labels-from-model-text parsing."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leasebench.parsing import (
    coerce_values,
    fenced_blocks,
    find_json_object,
    parse_labels,
    strip_fence,
)
from leasebench.testing.adversarial import answers

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


# -- untrusted answers: any size, any nesting, bounded work ----------------------------


@pytest.mark.slow
@pytest.mark.parametrize("shape", sorted(answers(1 << 10)))
def test_adversarial_answers_of_a_megabyte_never_raise(shape):
    labels, error = parse_labels(answers(1 << 20)[shape], SCHEMA)
    assert (labels is None) != (error is None)


def _cpu_time(text: str, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.thread_time()
        parse_labels(text, SCHEMA)
        best = min(best, time.thread_time() - start)
    return best


@pytest.mark.slow
@pytest.mark.parametrize("shape", sorted(answers(1 << 10)))
def test_parsing_scales_linearly(shape):
    """Four times the answer costs about four times the work (16 would be quadratic)."""
    small, large = answers(1 << 17)[shape], answers(1 << 19)[shape]
    t_small, t_large = _cpu_time(small), _cpu_time(large)
    if t_large < 0.005:
        return  # too little work to time (the shape is rejected early)
    assert t_large / max(t_small, 1e-4) < 10, (shape, t_small, t_large)


def test_huge_integers_and_deep_nesting_are_values_or_failures():
    labels, error = parse_labels('{"lessor": [' + "7" * 5000 + "]}", SCHEMA)
    assert error is None and labels["lessor"] == ["7" * 5000]
    labels, error = parse_labels("{'lessor': [" + "7" * 5000 + "]}", SCHEMA)
    assert labels is None and error
    for deep in ('{"a": ' * 5000 + "1" + "}" * 5000, "[" * 5000 + "]" * 5000):
        labels, error = parse_labels(deep, SCHEMA)
        assert labels is None and error
    assert find_json_object(None) == (None, "expected text, got NoneType")


def test_fences_are_found_in_one_pass():
    text = "a\n```json\n{\"x\": 1}\n```\nb ```python\n{'y': 2}\n``` ```"
    assert fenced_blocks(text) == [("json", '{"x": 1}\n'), ("python", "{'y': 2}\n")]
    assert strip_fence("```text\nhello\n```") == "hello"
    assert strip_fence("```" * 1000) == "```" * 1000
