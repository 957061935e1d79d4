"""Hand-computed outcome rules of the field-match scorer, one (document, field) at a time."""

from __future__ import annotations

import difflib

import pytest

from leasebench.errors import DataError
from leasebench.records import Prediction
from leasebench.scoring import FieldMatchScorer, failure_counts, summarize

from .helpers import gold, make_schema, pred

TN, TP, FP, FN, FPFN = (0, 0, 0, 1), (1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 0), (0, 1, 1, 0)


def outcome(g: list[str], p: list[str] | None, kind: str = "text", **params: object):
    schema = make_schema(v=kind)
    preds = [] if p is None else [pred("d", v=p)]
    out = FieldMatchScorer.from_dict(params).score([gold("d", v=g)], preds, schema)
    return tuple(int(x) for x in out.counts[0, 0])


# (gold, predicted, params, kind, expected (tp, fp, fn, tn))
CASES = [
    # presence rules
    ([], [], {}, "text", TN),
    ([], ["x"], {}, "text", FP),
    (["x"], [], {}, "text", FN),
    (["x"], ["x"], {}, "text", TP),
    (["x"], ["y"], {}, "text", FPFN),
    (["x"], ["y"], {"mismatch": "fp"}, "text", FP),
    # null-like predictions count as absent (stripped, case-insensitive)
    (["x"], ["N/A"], {}, "text", FN),
    (["x"], [" none "], {}, "text", FN),
    (["x"], ["NULL", "nan", ""], {}, "text", FN),
    ([], ["n/a"], {}, "text", TN),
    (["x"], ["None", "x"], {}, "text", TP),
    # exact: unicode, case and whitespace folded, nothing else
    (["Acme  Inc."], ["acme inc."], {"mode": "exact"}, "party", TP),
    (["\uff26\uff4f\uff4f"], ["foo"], {"mode": "exact"}, "text", TP),
    (["Acme Inc."], ["Acme Incorporated"], {"mode": "exact"}, "party", FPFN),
    # normalized by kind
    (["Acme Inc."], ["ACME Incorporated"], {}, "party", TP),
    (["Foo L.L.C."], ["Foo LLC"], {}, "party", TP),
    (["March 3, 2017"], ["3rd day of March, 2017"], {}, "date", TP),
    (["2017-03-04"], ["03/04/2017"], {}, "date", TP),
    (["2017-04-03"], ["03/04/2017"], {"day_first": True}, "date", TP),
    (["2017-03-04"], ["03/04/2017"], {"day_first": True}, "date", FPFN),
    (["$1,500.00"], ["USD 1500"], {}, "money", TP),
    (["$1,500.00"], ["EUR 1500"], {}, "money", FPFN),
    (["1,200 sq ft"], ["1200 square feet"], {}, "area", TP),
    (["five (5) years"], ["60 months"], {}, "duration", TP),
    (["not a date"], ["Not a  date"], {}, "date", TP),  # unparseable: exact fallback
    (["General office use."], ["general office use"], {}, "text", TP),
    # fuzzy: similarity >= threshold
    (["Acme Holdings"], ["Acme Holding"], {"mode": "fuzzy"}, "text", TP),
    (["Acme Holdings"], ["Zenith Corp"], {"mode": "fuzzy"}, "text", FPFN),
    (["abcde"], ["abcdx"], {"mode": "fuzzy", "threshold": 0.8}, "text", TP),  # 0.8 >= 0.8
    (["abcde"], ["abcdx"], {"mode": "fuzzy", "threshold": 0.81}, "text", FPFN),
    # list rules
    (["a", "b"], ["a", "b"], {"list_match": "joined"}, "text", TP),
    (["a", "b"], ["b", "a"], {"list_match": "joined"}, "text", FPFN),
    (["a", "b"], ["b", "z"], {"list_match": "any"}, "text", TP),
    (["a", "b"], ["y", "z"], {"list_match": "any"}, "text", FPFN),
    (["a", "b"], ["b", "a"], {"list_match": "set"}, "text", (2, 0, 0, 0)),
    (["a", "b", "c"], ["a", "z"], {"list_match": "set"}, "text", (1, 1, 2, 0)),
    (["a", "b", "c"], ["a", "z"], {"list_match": "set", "mismatch": "fp"}, "text", (1, 1, 1, 0)),
    (["a", "a"], ["A"], {"list_match": "set"}, "text", (1, 0, 0, 0)),
    ([], ["a", "b"], {"list_match": "set"}, "text", (0, 2, 0, 0)),
    (["a", "b"], [], {"list_match": "set"}, "text", (0, 0, 2, 0)),
    (["Acme Holdings", "Bob"], ["Bobb", "Acme Holding"],
     {"list_match": "set", "mode": "fuzzy", "threshold": 0.85}, "text", (2, 0, 0, 0)),
]


@pytest.mark.parametrize(("g", "p", "params", "kind", "expected"), CASES)
def test_hand_computed_cases(g, p, params, kind, expected):
    assert outcome(g, p, kind, **params) == expected


def test_missing_prediction_is_all_absent():
    assert outcome(["x"], None) == FN
    assert outcome([], None) == TN


@pytest.mark.parametrize("failure", [{"parse_error": "bad json"}, {"error": "timeout"}])
def test_failed_predictions_are_all_absent_and_counted(failure):
    schema = make_schema(v="text", w="text")
    golds = [gold("a", v=["x"], w=[]), gold("b", v=["y"], w=["z"])]
    preds = [Prediction(id="a", fields={"v": ["x"]}, **failure), pred("b", v=["y"], w=["z"])]
    out = FieldMatchScorer().score(golds, preds, schema)
    assert out.counts[0].tolist() == [list(FN), list(TN)]
    key = "parse_failures" if "parse_error" in failure else "call_failures"
    assert getattr(out, key) == 1
    summary = summarize(out, iterations=0)
    assert summary.parse_failure_rate == (0.5 if key == "parse_failures" else 0.0)
    assert failure_counts(preds)[key] == 1


def test_unknown_prediction_ids_are_an_error_naming_them():
    schema = make_schema(v="text")
    with pytest.raises(DataError, match="'ghost'"):
        FieldMatchScorer().score([gold("a", v=["x"])], [pred("ghost", v=["x"])], schema)


def test_duplicate_ids_are_errors():
    schema = make_schema(v="text")
    with pytest.raises(DataError, match="duplicate"):
        FieldMatchScorer().score([gold("a"), gold("a")], [], schema)
    with pytest.raises(DataError, match="more than one"):
        FieldMatchScorer().score([gold("a")], [pred("a"), pred("a")], schema)


def test_per_field_overrides():
    schema = make_schema(v="party", w="party")
    scorer = FieldMatchScorer.from_dict({"mode": "exact", "fields": {"w": {"mode": "normalized"}}})
    out = scorer.score([gold("d", v=["Acme Inc."], w=["Acme Inc."])],
                       [pred("d", v=["Acme Incorporated"], w=["Acme Incorporated"])], schema)
    assert out.counts[0, :, 0].tolist() == [0, 1]
    with pytest.raises(DataError, match="not in schema"):
        FieldMatchScorer.from_dict({"fields": {"nope": {"mode": "exact"}}}).score([], [], schema)


def test_params_forbid_unknown_keys():
    with pytest.raises(ValueError, match="extra"):
        FieldMatchScorer.from_dict({"mdoe": "exact"})


def test_documents_follow_gold_order_and_predictions_any_order():
    schema = make_schema(v="text")
    out = FieldMatchScorer().score([gold("b", v=["1"]), gold("a", v=["2"])],
                                   [pred("a", v=["2"]), pred("b", v=["x"])], schema)
    assert out.doc_ids == ("b", "a")
    assert out.counts[:, 0].tolist() == [list(FPFN), list(TP)]


# --- reference mode ----------------------------------------------------------------------


def test_exact_tie_is_not_a_match():
    assert difflib.SequenceMatcher(None, "abcde", "abcdx").ratio() == 0.8
    assert outcome(["abcde"], ["abcdx"], mode="reference") == FP
    assert outcome(["abcdef"], ["abcdex"], mode="reference") == TP  # 10/12 > 0.8


REFERENCE_CASES = [
    ([], [], TN),
    ([], ["x"], FP),
    (["x"], [], FN),
    (["x"], ["N/A"], FN),
    (["x"], ["none"], FN),
    (["x"], ["None"], FP),  # literal, case-sensitive null set, as in the notebooks
    (["Acme Inc."], ["acme inc."], FP),  # no case folding: ratio 0.667
    (["Acme Inc.", "Bob"], ["Acme Inc., Bob"], TP),  # lists joined with ", "
    (["x"], ["y"], FP),  # mismatch counts FP only
]


@pytest.mark.parametrize(("g", "p", "expected"), REFERENCE_CASES)
def test_reference_cases(g, p, expected):
    assert outcome(g, p, mode="reference") == expected


def test_reference_ignores_other_params():
    assert outcome(["x"], ["y"], mode="reference", mismatch="fp_fn", list_match="set") == FP


def test_reference_micro_pooled_by_hand():
    schema = make_schema(a="text", b="text")
    golds = [gold("1", a=["Acme Corp"], b=["2017"]), gold("2", a=["Foo"], b=[]),
             gold("3", a=[], b=["x"])]
    preds = [pred("1", a=["Acme Corp."], b=["2018"]), pred("2", a=["Foo"], b=["y"]),
             pred("3", a=["N/A"], b=[])]
    out = FieldMatchScorer.from_dict({"mode": "reference"}).score(golds, preds, schema)
    # a: TP (ratio 0.95), TP, TN ; b: FP ("2017" vs "2018": 0.75), FP, FN
    s = summarize(out, iterations=0)
    assert (s.micro.tp, s.micro.fp, s.micro.fn) == (2, 2, 1)
    assert s.micro.f1 == pytest.approx(2 * 2 / (2 * 2 + 2 + 1))
    assert s.micro.precision == pytest.approx(0.5)
    assert s.micro.recall == pytest.approx(2 / 3)
