"""Generator ``swap``: labels stay verbatim substrings, values change in kind and form."""

from __future__ import annotations

import random
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leasebench.records import Record
from leasebench.runner.synthetic import make_tasks
from leasebench.synth.atoms import parse_date
from leasebench.synth.relabel import party_shape
from leasebench.synth.swap import SwapGenerator

from .helpers import SCHEMA, component, context, corpus

TRAIN, _ = corpus(40, 0)
DATES = ("signing_date", "start_date", "end_date", "expiration_date_of_lease")


def _swap(source: Record, seed: int, vary: float = 0.5) -> tuple[str, dict[str, list[str]]]:
    gen = SwapGenerator.from_dict({"vary": vary})
    assert isinstance(gen, SwapGenerator)
    return gen.swap(source, random.Random(seed), SCHEMA.fields)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    index=st.integers(0, len(TRAIN) - 1),
    seed=st.integers(0, 2**32 - 1),
    vary=st.sampled_from([0.0, 0.5, 1.0]),
)
def test_every_label_is_a_verbatim_substring(index, seed, vary):
    source = TRAIN[index]
    text, labels = _swap(source, seed, vary)
    assert set(labels) == set(SCHEMA.fields)
    for field, values in labels.items():
        assert len(values) == len(source.labels[field]), field
        for value in values:
            assert value in text, (field, value)


def test_new_values_keep_kind_form_and_date_order():
    changed = total = 0
    for i, source in enumerate(TRAIN):
        _, labels = _swap(source, 1000 + i)
        for field in ("lessor", "lessee"):
            for old, new in zip(source.labels[field], labels[field], strict=True):
                assert party_shape(new) == party_shape(old)
                changed += old != new
                total += 1
        day_first = source.meta.get("family") == "uk"
        for field in DATES:
            for old, new in zip(source.labels[field], labels[field], strict=True):
                # same surface form: the same pattern of digits and letters classes
                assert re.sub(r"[A-Za-z]+", "a", re.sub(r"\d", "9", old)) == re.sub(
                    r"[A-Za-z]+", "a", re.sub(r"\d", "9", new)
                ) or parse_date(new, day_first) is not None
        old_dates = {f: parse_date(v[0], day_first) for f, v in source.labels.items()
                     if f in DATES and v}
        new_dates = {f: parse_date(v[0], day_first) for f, v in labels.items()
                     if f in DATES and v}
        for a, b in (("signing_date", "start_date"), ("start_date", "end_date")):
            if old_dates.get(a) and old_dates.get(b) and old_dates[a] <= old_dates[b]:
                assert new_dates[a] <= new_dates[b], (source.id, a, b)
        if source.labels["end_date"][:1] == source.labels["expiration_date_of_lease"][:1]:
            assert labels["end_date"][:1] == labels["expiration_date_of_lease"][:1]
    assert changed >= 0.95 * total


def test_money_keeps_currency_and_words():
    source = next(r for r in TRAIN if "Pounds Sterling (£" in r.labels["term_of_payment"][0])
    _, labels = _swap(source, 3)
    new = labels["term_of_payment"][0]
    assert "Pounds Sterling (£" in new and new != source.labels["term_of_payment"][0]


def test_generate_through_plugin_is_seeded(tmp_path):
    gen = component("generator", "swap")
    tasks = make_tasks(TRAIN, 1, 12, 7)
    ctx = context(tmp_path, TRAIN)
    first = list(gen.generate(tasks, ctx))
    again = list(gen.generate(tasks, ctx))
    assert [r.id for r in first] == [t.sample_id for t in tasks]
    assert [r.model_dump() for r in first] == [r.model_dump() for r in again]
    other = list(gen.generate(make_tasks(TRAIN, 1, 12, 8), ctx))
    assert [r.text for r in other] != [r.text for r in first]
    for task, record in zip(tasks, first, strict=True):
        assert record.origin.kind == "synthetic" and record.origin.source_id == task.source.id
        assert record.text != task.source.text
