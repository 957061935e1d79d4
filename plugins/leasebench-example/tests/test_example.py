"""leasebench-example: the conformance suite, registration, and what the components do."""

from __future__ import annotations

import importlib.metadata as md

import pytest
from leasebench_example import RegexDatesExtractor, StrictDatesScorer, plugin

from leasebench.outcomes import FN, FP, TP
from leasebench.records import ModelRef, Prediction, Record
from leasebench.testing.conformance import check_extractor, check_scorer


def test_extractor_conforms():
    check_extractor(RegexDatesExtractor)


def test_extractor_conforms_with_params():
    check_extractor(RegexDatesExtractor, {"window": 80, "cues": {"start_date": ["commence"]}})


def test_scorer_conforms():
    check_scorer(StrictDatesScorer)


def test_plugin_registers_both_components(lb_register):
    registry = lb_register(plugin, distribution="leasebench-example", version="0.1.0")
    assert registry.info("extractor", "example/regex-dates").cls is RegexDatesExtractor
    assert registry.info("scorer", "example/strict-dates").distribution == "leasebench-example"


def test_entry_point_is_installed():
    try:
        dist = md.distribution("leasebench-example")
    except md.PackageNotFoundError:
        pytest.skip("leasebench-example is not installed (pip install -e .)")
    eps = [ep for ep in dist.entry_points if ep.group == "leasebench"]
    assert [ep.value for ep in eps] == ["leasebench_example.plugin"]


def test_extracts_every_date_of_the_tiny_corpus(lb_tiny_corpus, lb_context):
    train, holdout = lb_tiny_corpus
    docs = train + holdout
    ctx = lb_context()
    preds = {p.id: p for p in RegexDatesExtractor().extract(
        ModelRef(extractor="example/regex-dates"), [d.unlabelled() for d in docs], ctx)}
    for doc in docs:
        for field in ("signing_date", "start_date", "end_date"):
            assert preds[doc.id].fields[field] == doc.labels[field], (doc.id, field)


def test_a_date_matches_the_same_day_in_any_format(lb_schema):
    gold = [Record(id="a", text="", labels={"start_date": ["March 3, 2021"]}),
            Record(id="b", text="", labels={"start_date": ["March 3, 2021"]})]
    preds = [Prediction(id="a", fields={"start_date": ["2021-03-03"]}),
             Prediction(id="b", fields={"start_date": ["2021-03-04"]})]
    out = StrictDatesScorer().score(gold, preds, lb_schema)
    f = lb_schema.fields.index("start_date")
    assert out.counts[0, f, TP] == 1
    assert (out.counts[1, f, FP], out.counts[1, f, FN]) == (1, 1)
