"""Judges ``schema``, ``grounding`` (exact and normalised) and ``dedup``, through the registry."""

from __future__ import annotations

import random

from leasebench.records import Origin, Record
from leasebench.synth.swap import SwapGenerator

from .helpers import SCHEMA, component, context, corpus

TRAIN, HOLDOUT = corpus(40, 20)


def _verdicts(judge, records, ctx):
    return {v.record_id: v for v in judge.judge(records, ctx)}


def test_schema_judge_checks_keys_and_types(tmp_path):
    good = TRAIN[0].model_copy(update={"id": "g"})
    bad = TRAIN[0].model_copy(update={"id": "b", "labels": {"lessor": "Acme"}})
    v = _verdicts(component("judge", "schema"), [good, bad], context(tmp_path))
    assert v["g"].passed and not v["b"].passed


def test_grounding_rejects_a_document_with_a_value_removed(tmp_path):
    source = TRAIN[3]
    value = source.labels["lessee"][0]
    removed = source.model_copy(update={"id": "r", "text": source.text.replace(value, "")})
    for params in ({}, {"match": "normalized", "threshold": 0.9}):
        judge = component("judge", "grounding", **params)
        v = _verdicts(judge, [source, removed], context(tmp_path))
        assert v[source.id].passed and not v["r"].passed, params
        assert "lessee" in v["r"].reason


def test_grounding_normalized_forgives_case_space_and_punctuation(tmp_path):
    text = "Lease between ACME  HOLDINGS INC and Beta LLC, dated March 3 2017."
    labels = {**SCHEMA.empty_labels(), "lessor": ["Acme Holdings, Inc."],
              "signing_date": ["March 3, 2017"], "lessee": ["Gamma Corp."]}
    record = Record(id="n", text=text, labels=labels)
    exact = _verdicts(component("judge", "grounding"), [record], context(tmp_path))
    assert not exact["n"].passed
    norm = component("judge", "grounding", match="normalized", threshold=0.9)
    v = _verdicts(norm, [record], context(tmp_path))
    assert not v["n"].passed and "Gamma" in v["n"].reason and "Acme" not in v["n"].reason
    ok = record.model_copy(update={"labels": {**labels, "lessee": ["Beta, LLC"]}})
    assert _verdicts(norm, [ok], context(tmp_path))["n"].passed


def test_dedup_rejects_a_near_copy_of_a_holdout_document(tmp_path):
    target = HOLDOUT[5]
    words = target.text.split(" ")
    for i in range(0, len(words), 40):
        words[i] = "changed"
    copy = Record(id="copy", text=" ".join(words), labels=target.labels,
                  origin=Origin(kind="synthetic", source_id=TRAIN[0].id))
    swapped_text, labels = SwapGenerator().swap(TRAIN[0], random.Random(1), SCHEMA.fields)
    swapped = Record(id="swap", text=swapped_text, labels=labels,
                     origin=Origin(kind="synthetic", source_id=TRAIN[0].id))
    holdout = [r.unlabelled() for r in HOLDOUT]
    for params in ({}, {"num_perm": 0}):
        judge = component("judge", "dedup", **params)
        v = _verdicts(judge, [copy, swapped], context(tmp_path, TRAIN, holdout))
        assert not v["copy"].passed and target.id in v["copy"].reason, params
        assert v["copy"].score is not None and v["copy"].score > 0.6
        assert v["swap"].passed and f"source {TRAIN[0].id}" in v["swap"].reason
