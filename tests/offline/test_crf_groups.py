"""Fields that share values are tagged as one group and told apart by context, so the CRF
predicts every field of the lease schema on the built-in corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leasebench.crf.groups import (
    GROUPS_FILE,
    Resolver,
    context,
    group_examples,
    merged_labels,
    shared_groups,
)
from leasebench.errors import DataError
from leasebench.records import Record
from leasebench.scoring.stats import summarize

from .helpers import SCHEMA, component, corpus
from .helpers import context as make_context


def rec(i: int, text: str, **labels: list[str]) -> Record:
    return Record(id=f"d{i}", text=text, labels=labels)


def test_groups_join_fields_that_share_a_value_in_some_record():
    records = [
        rec(0, "x", end_date=["May 1, 2020"], expiration_date_of_lease=["May 1, 2020"]),
        rec(1, "x", start_date=["Jan 1"], signing_date=["Jan 1"], lessor=["A"]),
        rec(2, "x", signing_date=["Feb 2"], end_date=["Feb 2"], lessee=["B"]),
        rec(3, "x", lessor=["C"], lessee=["D"]),
    ]
    assert shared_groups(records) == [
        ("end_date", "expiration_date_of_lease", "signing_date", "start_date")]
    assert shared_groups(records[:2]) == [("end_date", "expiration_date_of_lease"),
                                          ("signing_date", "start_date")]
    assert shared_groups(records[3:]) == []
    assert shared_groups(records[:1], fields=["end_date", "lessor"]) == []


def test_merged_labels_give_the_group_one_tag_and_every_value_once():
    labels = {"end_date": ["May 1"], "expiration_date_of_lease": ["May 1", "June 2"],
              "lessor": ["A"]}
    merged = merged_labels(labels, [("end_date", "expiration_date_of_lease")])
    assert merged == {"lessor": ["A"], "end_date|expiration_date_of_lease": ["May 1", "June 2"]}
    assert merged_labels({"lessor": ["A"]}, [("end_date", "expiration_date_of_lease")]) == {
        "lessor": ["A"]}


def test_context_reads_the_words_around_a_span_within_its_paragraph():
    text = "Old heading\n\nThe term shall expire on May 1, 2020 (the Expiration Date)."
    start = text.index("May")
    feats = context(text, start, start + len("May 1, 2020"))
    assert {"p1=on", "p2=expire", "bw=term", "aw=expiration"} <= set(feats)
    assert not any("heading" in f for f in feats)
    examples = group_examples(
        [rec(0, text, end_date=["May 1, 2020"], expiration_date_of_lease=["May 1, 2020"])],
        ("end_date", "expiration_date_of_lease"))
    assert [label for _, label in examples] == ["end_date|expiration_date_of_lease"]


def test_a_bad_groups_file_is_a_data_error_naming_it(tmp_path):
    train, _ = corpus(40, 20)
    model = component("trainer", "crf", max_iterations=5).train(
        [*train[:12], rec(99, "Ends on May 1. Expires on May 1.", end_date=["May 1"],
                          expiration_date_of_lease=["May 1"])],
        [], make_context(tmp_path / "m"))
    assert model.metadata["groups"] == [["end_date", "expiration_date_of_lease"]]
    path = Path(model.uri).with_name(GROUPS_FILE)
    assert Resolver.load(path).groups == [("end_date", "expiration_date_of_lease")]
    extractor = component("extractor", "crf")
    data = json.loads(path.read_text())
    for bad in ("{not json", json.dumps({"groups": [{"fields": ["a"]}]}),
                json.dumps({"groups": [dict(data["groups"][0], weights={"b": {"x": "nan"}})]})):
        path.write_text(bad)
        with pytest.raises(DataError, match=GROUPS_FILE):
            list(extractor.extract(model, train[:1], make_context(tmp_path)))


def _scores(tmp_path: Path, name: str):
    train, holdout = corpus(40, 50)
    model = component("trainer", "crf", max_iterations=50).train(
        train, [], make_context(tmp_path / name, seed=614))
    preds = list(component("extractor", "crf", **model.params).extract(
        model, [r.unlabelled() for r in holdout], make_context(tmp_path)))
    scorer = component("scorer", "field-match", mode="normalized")
    return model, preds, summarize(scorer.score(holdout, preds, SCHEMA), iterations=0)


@pytest.mark.slow
def test_the_crf_predicts_every_field_of_the_lease_schema_on_the_builtin_corpus(
        tmp_path, monkeypatch):
    """Every field gets correct predictions on the hold-out, the expiration date too: with
    one tag per field it shared the end date's examples and was hardly ever predicted."""
    model, preds, grouped = _scores(tmp_path, "grouped")
    assert ["end_date", "expiration_date_of_lease"] in model.metadata["groups"]
    for field in SCHEMA.fields:
        assert grouped.fields[field].tp > 0, field
        assert any(p.fields[field] for p in preds), field
    monkeypatch.setattr("leasebench.crf.components.shared_groups", lambda *_: [])
    model, _, per_field = _scores(tmp_path, "per-field")
    assert model.metadata["groups"] == []
    exp = "expiration_date_of_lease"
    assert grouped.fields[exp].tp >= per_field.fields[exp].tp + 2
    assert grouped.macro_f1 > per_field.macro_f1
