"""Metrics, bootstrap intervals and paired tests: hand-computed values and properties."""

from __future__ import annotations

import difflib
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from leasebench.scoring import FieldMatchScorer, Outcomes, compare, summarize
from leasebench.scoring.stats import mcnemar

from .helpers import gold, make_schema, pred


def outcomes(counts, fields=None) -> Outcomes:
    counts = np.asarray(counts, dtype=np.int64)
    fields = fields or tuple(f"f{i}" for i in range(counts.shape[1]))
    return Outcomes(tuple(f"d{i}" for i in range(counts.shape[0])), tuple(fields), counts)


def test_hand_computed_metrics():
    # field a: TP, TP, FP+FN, FN  -> tp 2, fp 1, fn 2: P 2/3, R 1/2, F1 4/7
    # field b: FP, TN, TP, TN     -> tp 1, fp 1, fn 0: P 1/2, R 1,   F1 2/3
    counts = [[[1, 0, 0, 0], [0, 1, 0, 0]], [[1, 0, 0, 0], [0, 0, 0, 1]],
              [[0, 1, 1, 0], [1, 0, 0, 0]], [[0, 0, 1, 0], [0, 0, 0, 1]]]
    s = summarize(outcomes(counts, ("a", "b")), iterations=0)
    a, b = s.fields["a"], s.fields["b"]
    assert (a.precision, a.recall, a.f1, a.support) == pytest.approx((2 / 3, 1 / 2, 4 / 7, 4))
    assert (b.precision, b.recall, b.f1, b.tn) == pytest.approx((1 / 2, 1, 2 / 3, 2))
    assert s.micro.f1 == pytest.approx(2 * 3 / (2 * 3 + 2 + 2))
    assert s.macro_f1 == pytest.approx((4 / 7 + 2 / 3) / 2)
    assert a.f1_low is None and s.iterations == 0


def test_vacuous_field_is_perfect_and_left_out_of_macro():
    counts = [[[1, 0, 0, 0], [0, 0, 0, 1]], [[0, 1, 1, 0], [0, 0, 0, 1]]]
    s = summarize(outcomes(counts, ("a", "b")), iterations=50)
    assert s.fields["b"].vacuous and s.fields["b"].f1 == 1.0
    assert s.macro_f1 == pytest.approx(s.fields["a"].f1)


def test_no_predictions_at_all_is_zero():
    s = summarize(outcomes([[[0, 0, 1, 0]], [[0, 0, 1, 0]]]), iterations=20)
    assert (s.micro.precision, s.micro.recall, s.micro.f1) == (0.0, 0.0, 0.0)


def test_mcnemar_exact_values():
    ref = np.array([True] * 10 + [False] * 2)
    other = np.array([False] * 10 + [True] * 2)
    # b=10, c=2: p = 2 * P(X <= 2), X ~ Bin(12, 1/2)
    expected = 2 * sum(math.comb(12, i) for i in range(3)) / 2**12
    assert mcnemar(ref, other) == pytest.approx(expected)
    assert mcnemar(ref, ref) == 1.0
    big = np.arange(200_000) % 2 == 0
    assert 0 <= mcnemar(big, ~big) <= 1  # large n stays fast and finite


def test_compare_identical_rounds_is_zero_and_not_significant():
    rng = np.random.default_rng(1)
    o = outcomes(rng.multinomial(1, [0.5, 0.2, 0.2, 0.1], size=(80, 3)))
    c = compare(o, o, iterations=200)
    assert c.micro.delta == 0 and not c.micro.significant and c.micro.p_value == 1.0
    assert c.micro.mcnemar_p == 1.0 and c.significant_fields == []


def test_compare_detects_a_real_difference_and_is_antisymmetric():
    rng = np.random.default_rng(2)
    good = outcomes(rng.multinomial(1, [0.8, 0.05, 0.05, 0.1], size=(300, 2)))
    bad = outcomes(rng.multinomial(1, [0.4, 0.25, 0.25, 0.1], size=(300, 2)))
    c = compare(bad, good, iterations=300, seed=3)
    assert c.micro.delta > 0 and c.micro.significant and c.micro.p_value < 0.01
    assert c.micro.low <= c.micro.delta <= c.micro.high
    assert c.significant_fields == ["f0", "f1"]
    assert compare(good, bad, iterations=0).micro.delta == pytest.approx(-c.micro.delta)


def test_compare_pairs_documents_by_id_and_checks_them():
    a = outcomes([[[1, 0, 0, 0]], [[0, 1, 1, 0]]])
    b = Outcomes(("d1", "d0"), ("f0",), np.array([[[0, 1, 1, 0]], [[1, 0, 0, 0]]]))
    assert compare(a, b, iterations=50).micro.delta == 0
    with pytest.raises(ValueError, match="same documents"):
        compare(a, outcomes([[[1, 0, 0, 0]]]), iterations=0)


def test_bad_arguments():
    o = outcomes([[[1, 0, 0, 0]]])
    with pytest.raises(ValueError):
        summarize(o, iterations=-1)
    with pytest.raises(ValueError):
        summarize(o, confidence=1.0)
    with pytest.raises(ValueError, match="shape"):
        Outcomes(("a",), ("f",), np.zeros((2, 1, 4), dtype=np.int64))


def test_bootstrap_is_seeded():
    rng = np.random.default_rng(4)
    o = outcomes(rng.multinomial(1, [0.5, 0.2, 0.2, 0.1], size=(50, 2)))
    assert summarize(o, seed=7, iterations=100) == summarize(o, seed=7, iterations=100)
    assert summarize(o, seed=7, iterations=100) != summarize(o, seed=8, iterations=100)


# --- properties ------------------------------------------------------------------------

COUNTS = st.integers(1, 30).flatmap(lambda n: st.integers(1, 4).flatmap(
    lambda f: arrays(np.int64, (n, f, 4), elements=st.integers(0, 3))))


def _all_f1(s):
    yield s.micro.f1_low, s.micro.f1, s.micro.f1_high
    yield s.macro_f1_low, s.macro_f1, s.macro_f1_high
    for m in s.fields.values():
        yield m.f1_low, m.f1, m.f1_high


@settings(max_examples=60, deadline=None)
@given(COUNTS, st.integers(0, 2**16))
def test_f1_in_unit_interval_and_interval_contains_point(counts, seed):
    s = summarize(outcomes(counts), iterations=60, seed=seed)
    for low, point, high in _all_f1(s):
        assert 0.0 <= low <= point <= high <= 1.0


@settings(max_examples=40, deadline=None)
@given(COUNTS, st.randoms(use_true_random=False))
def test_permuting_documents_changes_nothing(counts, rnd):
    order = list(range(counts.shape[0]))
    rnd.shuffle(order)
    o = outcomes(counts)
    shuffled = Outcomes(tuple(o.doc_ids[i] for i in order), o.fields, counts[order])
    assert summarize(o, iterations=50) == summarize(shuffled, iterations=50)


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(COUNTS, st.data())
def test_adding_a_tn_changes_nothing(counts, data):
    more = counts.copy()
    d = data.draw(st.integers(0, counts.shape[0] - 1))
    f = data.draw(st.integers(0, counts.shape[1] - 1))
    more[d, f, 3] += 1
    a, b = summarize(outcomes(counts), iterations=50), summarize(outcomes(more), iterations=50)
    for (name, ma), mb in zip(a.fields.items(), b.fields.values(), strict=True):
        assert ma.model_dump(exclude={"tn"}) == mb.model_dump(exclude={"tn"}), name
    assert a.micro.model_dump(exclude={"tn"}) == b.micro.model_dump(exclude={"tn"})
    assert (a.macro_f1, a.macro_f1_low, a.macro_f1_high) == (
        b.macro_f1, b.macro_f1_low, b.macro_f1_high)


VALUES = st.lists(st.sampled_from(["Acme Inc.", "March 3, 2017", "$1,500", "x", "", "N/A",
                                   "5 years", "Foo LLC", "  spaced  out "]), max_size=3)
LABELS = st.fixed_dictionaries({"p": VALUES, "d": VALUES, "t": VALUES})
MODES = st.sampled_from(["exact", "normalized", "fuzzy"])
LISTS = st.sampled_from(["joined", "any", "set"])


@settings(max_examples=60, deadline=None)
@given(st.lists(LABELS, min_size=1, max_size=8), MODES, LISTS,
       st.sampled_from(["fp_fn", "fp"]))
@pytest.mark.slow
def test_perfect_predictions_give_one(labels, mode, list_match, mismatch):
    schema = make_schema(p="party", d="date", t="text")
    golds = [gold(f"d{i}", **lab) for i, lab in enumerate(labels)]
    preds = [pred(f"d{i}", **lab) for i, lab in enumerate(labels)]
    params = {"mode": mode, "list_match": list_match, "mismatch": mismatch}
    s = summarize(FieldMatchScorer.from_dict(params).score(golds, preds, schema),
                  iterations=30)
    assert s.micro.f1 == 1.0 and s.macro_f1 == 1.0
    assert all(m.f1 == 1.0 and m.fp == 0 and m.fn == 0 for m in s.fields.values())


def notebook_metric(pairs: list[tuple[list[str], list[str]]]) -> tuple[int, int, int]:
    """An independent transcription of the reference notebooks' metric."""
    tp = fp = fn = 0
    for g, p in pairs:
        gs, ps = ", ".join(g), ", ".join(p)
        g_null = gs in ["", "N/A", "none", "null", "nan"]
        p_null = ps in ["", "N/A", "none", "null", "nan"]
        if g_null and p_null:
            continue
        if g_null:
            fp += 1
        elif p_null:
            fn += 1
        elif difflib.SequenceMatcher(None, gs, ps).ratio() > 0.8:
            tp += 1
        else:
            fp += 1
    return tp, fp, fn


TEXTISH = st.lists(st.sampled_from(["abcde", "abcdx", "abcd", "Acme", "acme", "N/A", "none",
                                    "", "nan", "Acme Corp", "Acme Corp."]), max_size=2)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(TEXTISH, TEXTISH), min_size=1, max_size=10))
def test_reference_mode_matches_notebook_metric(pairs):
    schema = make_schema(v="text")
    golds = [gold(f"d{i}", v=g) for i, (g, _) in enumerate(pairs)]
    preds = [pred(f"d{i}", v=p) for i, (_, p) in enumerate(pairs)]
    out = FieldMatchScorer.from_dict({"mode": "reference"}).score(golds, preds, schema)
    s = summarize(out, iterations=0)
    assert (s.micro.tp, s.micro.fp, s.micro.fn) == notebook_metric(pairs)
