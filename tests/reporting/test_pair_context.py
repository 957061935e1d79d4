"""The text around a wrong pair's gold and predicted values (the error browser's)."""

from __future__ import annotations

from leasebench.records import Prediction
from leasebench.reporting.context import MAX_CHARS, pair_context
from leasebench.spans import Grounder

TEXT = ("Preamble. " * 30 + "The Lessor is Harbor Point LLC. " + "Filler. " * 10
        + "Signed by Harbor Point Holdings LLC as agent." + " Tail." * 200)


def test_excerpt_holds_gold_and_predicted_spans() -> None:
    pred = Prediction(id="d", fields={"lessor": ["Harbor Point Holdings LLC"]})
    ctx = pair_context(Grounder(TEXT), "lessor", ["Harbor Point LLC"], pred)
    assert ctx is not None and ctx.seen is None
    [(a, b)] = ctx.gold
    [(c, d)] = ctx.pred
    assert TEXT[a:b] == "Harbor Point LLC" and TEXT[c:d] == "Harbor Point Holdings LLC"
    assert ctx.text == TEXT[ctx.start:ctx.start + len(ctx.text)]
    assert ctx.start < a and d < ctx.start + len(ctx.text) <= ctx.start + MAX_CHARS


def test_far_apart_values_centre_on_the_gold_one_and_recorded_spans_are_used() -> None:
    far = len(TEXT) - 20
    pred = Prediction(id="d", fields={"lessor": ["Tail."]}, spans={"lessor": [(far, far + 5,
                                                                              "exact")]},
                      truncated=True, seen_chars=100)
    ctx = pair_context(Grounder(TEXT), "lessor", ["Harbor Point LLC"], pred)
    assert ctx is not None and len(ctx.text) == MAX_CHARS and ctx.pred == [] and ctx.seen == 100
    assert ctx.start <= ctx.gold[0][0]


def test_no_value_in_the_text_gives_no_context() -> None:
    pred = Prediction(id="d", fields={"lessor": ["Nowhere Corp"]})
    assert pair_context(Grounder(TEXT), "lessor", ["Absent Ltd"], pred) is None
    assert pair_context(Grounder(TEXT), "lessor", [], None) is None
