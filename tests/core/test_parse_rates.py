"""Parse rates per round and sweep trial: counts, selection, warnings."""

from __future__ import annotations

from leasebench.records import Prediction
from leasebench.reporting.answers import parsed_cell
from leasebench.results import RoundResult, RunResult, TrialResult
from leasebench.runner.answers import (
    PARSE_RATE,
    answer_warnings,
    count_answers,
    parse_rate,
    without_salvage,
)
from leasebench.runner.training import select_trial


def _preds() -> list[Prediction]:
    return [
        Prediction(id="a", fields={"lessor": ["A"]}, raw="{...}"),
        Prediction(id="b", fields={"lessor": ["B"], "lessee": ["C"]}, raw="{...", partial=True),
        Prediction(id="c", raw="x = {}", parse_error="the object names no field"),
        Prediction(id="d", error="HTTP 500"),
    ]


def test_counts_and_rates_leave_call_failures_out():
    r = RoundResult(name="r", kind="baseline")
    count_answers(r, _preds())
    assert (r.n_predictions, r.call_failures, r.parse_failures) == (4, 1, 1)
    assert (r.partial_answers, r.salvaged_values) == (1, 2)
    assert r.parse_rate == round(2 / 3, 4) and r.partial_rate == round(1 / 3, 4)
    assert parsed_cell(r) == "66.7 (33.3 partial)" and parsed_cell(r, partial=False) == "66.7"
    assert parse_rate(_preds()) == 2 / 3
    crf = RoundResult(name="crf", kind="trained")
    count_answers(crf, [Prediction(id="a", fields={"lessor": ["A"]})])
    assert crf.parse_rate is None and parsed_cell(crf) == "-"
    assert parse_rate([Prediction(id="a")]) is None


def test_without_salvage_turns_partial_answers_into_parse_failures():
    before = without_salvage(_preds())
    assert before[1].parse_error and before[1].fields == {} and not before[1].partial
    assert before[0] == _preds()[0] and before[3] == _preds()[3]


def _trial(i: int, f1: float, rate: float | None) -> TrialResult:
    metrics = {"eval_f1": f1, **({} if rate is None else {PARSE_RATE: rate})}
    return TrialResult(index=i, params={}, metrics=metrics)


def test_eval_f1_selection_ranks_trials_whose_answers_do_not_parse_last():
    trials = [_trial(0, 0.30, 0.4), _trial(1, 0.20, 0.9), _trial(2, 0.25, None)]
    assert select_trial(trials, "eval_f1", "max") == 2
    assert select_trial(trials[:2], "eval_f1", "max") == 1
    assert select_trial([_trial(0, 0.3, 0.1), _trial(1, 0.2, 0.2)], "eval_f1", "max") == 0
    proxy = [TrialResult(index=i, params={}, metrics={"loss": v, PARSE_RATE: r})
             for i, (v, r) in enumerate([(0.1, 0.0), (0.2, 1.0)])]
    assert select_trial(proxy, "loss", "min") == 0  # only eval_f1 selection looks at it


def test_warnings_name_the_rounds_and_trials():
    low = RoundResult(name="low", kind="baseline", n_predictions=10, parse_failures=7,
                      parse_rate=0.3, partial_rate=0.0)
    cut = RoundResult(name="cut", kind="trained", n_predictions=10, partial_answers=6,
                      salvaged_values=9, parse_rate=1.0, partial_rate=0.6,
                      trials=[_trial(0, 0.1, 0.2), _trial(1, 0.3, 0.5)])
    result = RunResult(name="x", manifest_hash="h", seed=1, schema_name="lease", fields=[],
                       n_train=1, n_holdout=10, scorers=["s"], primary_scorer="s",
                       reference_round="low", confidence=0.95, rounds=[low, cut])
    w = answer_warnings(result)
    assert w[0].startswith("round low: only 3 of 10 answers parsed (under 50%)")
    assert w[1].startswith("round cut: 6 of 10 answers were cut off or malformed")
    assert w[2] == ("round cut: sweep trial(s) 0 parsed under 50% of their dev answers "
                    "(selection ranks them last)")
    assert len(w) == 3
