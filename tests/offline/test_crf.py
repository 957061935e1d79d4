"""Trainer and extractor ``crf``: BIO spans, learning, determinism, predictions."""

from __future__ import annotations

from pathlib import Path

from leasebench.crf.bio import bio_tags, decode, fields_from, gold_spans, segments
from leasebench.records import ModelRef, Record
from leasebench.scoring.stats import summarize

from .helpers import SCHEMA, component, context, corpus

TRAIN, HOLDOUT = corpus(40, 20)


def test_spans_tags_and_decoding_round_trip():
    text = "Lease dated March 3, 2017 between Acme LLC and Beta Inc.\n\nIt ends March 3, 2019."
    labels = {"lessor": ["Acme LLC"], "end_date": ["March 3, 2019"],
              "expiration_date_of_lease": ["March 3, 2019"], "signing_date": ["March 3, 2017"]}
    spans = gold_spans(text, labels)
    assert [t for _, _, t in spans] == [
        "signing_date", "lessor", "end_date|expiration_date_of_lease"]
    found = []
    for seg in segments(text):
        found.extend(decode(text, seg, bio_tags(seg, spans)))
    out = fields_from(found, SCHEMA.fields)
    assert out["lessor"] == ["Acme LLC"] and out["end_date"] == ["March 3, 2019"]
    assert out["expiration_date_of_lease"] == ["March 3, 2019"] and out["lessee"] == []


def _f1(model: ModelRef, tmp_path: Path, records: list[Record]) -> float:
    extractor = component("extractor", "crf", **model.params)
    preds = list(extractor.extract(model, [r.unlabelled() for r in records],
                                   context(tmp_path / "x")))
    scorer = component("scorer", "field-match", mode="normalized")
    return summarize(scorer.score(records, preds, SCHEMA), iterations=0).micro.f1


def test_crf_learns_and_is_deterministic(tmp_path):
    params = {"max_iterations": 40, "c1": 0.1}
    trained = component("trainer", "crf", **params).train(
        TRAIN, HOLDOUT[:5], context(tmp_path / "a", seed=3))
    assert trained.extractor == "crf" and Path(trained.uri).is_file()
    assert Path(trained.uri).parent == tmp_path / "a"
    assert trained.metrics["token_accuracy"] > 0.9
    assert {f"f1/{f}" for f in SCHEMA.fields} <= set(trained.metrics)
    blank = [r.model_copy(update={"labels": SCHEMA.empty_labels()}) for r in TRAIN]
    untrained = component("trainer", "crf", **params).train(
        blank, [], context(tmp_path / "b", seed=3))
    good, bad = _f1(trained, tmp_path, HOLDOUT), _f1(untrained, tmp_path, HOLDOUT)
    assert good > 0.5 and good > bad + 0.4
    again = component("trainer", "crf", **params).train(
        TRAIN, HOLDOUT[:5], context(tmp_path / "c", seed=3))
    assert Path(again.uri).read_bytes() == Path(trained.uri).read_bytes()
    assert again.metrics == trained.metrics | {"train_seconds": again.metrics["train_seconds"]}


def test_fields_from_keeps_document_order_and_the_most_confident():
    found = [(50, "lessor", "B", 0.9), (10, "lessor", "A", 0.6), (70, "lessor", "A", 0.7),
             (30, "lessee", "C", 0.8)]
    assert fields_from(found, ["lessor", "lessee"]) == {"lessor": ["A", "B"], "lessee": ["C"]}
    assert fields_from(found, ["lessor"], max_values=1) == {"lessor": ["B"]}


def test_extractor_returns_document_spans(tmp_path):
    model = component("trainer", "crf", max_iterations=25, max_values=0).train(
        TRAIN[:20], [], context(tmp_path / "m"))
    extractor = component("extractor", "crf")
    for record, pred in zip(HOLDOUT[:8], extractor.extract(model, HOLDOUT[:8],
                                                          context(tmp_path)), strict=True):
        assert pred.id == record.id and set(pred.fields) == set(SCHEMA.fields)
        for values in pred.fields.values():
            assert len(values) == len(set(values))
            assert all(v and v in record.text for v in values)


def test_crf_reports_iterations_through_the_context(tmp_path):
    from dataclasses import replace

    seen = []
    ctx = replace(context(tmp_path / "p", seed=3), on_progress=lambda *a: seen.append(a))
    component("trainer", "crf", max_iterations=6).train(TRAIN[:10], [], ctx)
    assert seen[0] == (0, 6, "iterations") and len(seen) >= 3
    done = [d for d, _, _ in seen]
    assert done == sorted(done) and 1 <= done[-1] <= 6
