"""Proxy audit on constructed sweeps: a proxy that disagrees with F1 has a regret whose
interval excludes zero; one that agrees has none."""

from __future__ import annotations

import numpy as np
import pytest

from leasebench.decisions.proxy import (
    agreement,
    audit_sweep,
    dev_f1,
    pick,
    proxies_of,
    regret,
)
from leasebench.results import TrialResult

from .helpers import outcomes, share_right


def _trials(metrics: list[dict[str, float]], selected: int = 0) -> list[TrialResult]:
    return [TrialResult(index=i, params={}, metrics=m, selected=i == selected)
            for i, m in enumerate(metrics)]


def test_pick_takes_the_first_best_in_either_direction():
    assert pick([0.2, 0.5, 0.5], "max") == 1
    assert pick([3.0, 1.0, 1.0], "min") == 1


def test_proxies_are_the_known_ones_every_trial_reports_plus_a_proxy_selection():
    trials = [{"token_accuracy": 0.9, "perplexity": 3.0, "patterns": 4.0},
              {"token_accuracy": 0.8, "perplexity": float("nan")}]
    assert proxies_of(trials, "eval_f1", "max") == {"token_accuracy": "max"}
    assert proxies_of(trials, "patterns", "min", {"x": "max"}) == {"token_accuracy": "max"}
    assert proxies_of(trials[:1], "patterns", "min") == {
        "token_accuracy": "max", "perplexity": "min", "patterns": "min"}


def test_regret_of_a_proxy_that_picks_a_clearly_worse_trial():
    dev = [share_right(200, [0.9, 0.9], 1), share_right(200, [0.5, 0.5], 2),
           share_right(200, [0.85, 0.85], 3)]
    f1 = dev_f1(dev)
    assert f1 == pytest.approx([0.9, 0.5, 0.85])
    r, low, high = regret(dev, 1, iterations=500, seed=0)
    assert r == pytest.approx(0.4)
    assert 0.25 < low < r < high < 0.55
    # the best trial itself has no regret; its interval starts at zero
    r0, low0, high0 = regret(dev, 0, iterations=500, seed=0)
    assert (r0, low0) == (0.0, 0.0) and 0 < high0 < 0.15


def test_regret_interval_is_the_same_for_any_document_order():
    dev = [share_right(60, [0.8, 0.6], 1), share_right(60, [0.7, 0.5], 2)]
    order = list(reversed(dev[0].doc_ids))
    shuffled = [o.reindexed(tuple(order)) for o in dev]
    assert regret(dev, 1, iterations=300) == regret(shuffled, 1, iterations=300)


def test_audit_names_the_disagreeing_proxy_and_its_regret():
    dev = [share_right(100, [0.6, 0.6], 1), share_right(100, [0.9, 0.9], 2)]
    trials = _trials([{"token_accuracy": 0.95, "eval_loss": 0.9},
                      {"token_accuracy": 0.90, "eval_loss": 0.4}], selected=1)
    audit = audit_sweep("crf", 2, ["crf-synth-2"], trials, dev, "eval_f1", "max", 100,
                        iterations=400)
    assert audit.f1_trial == 1 and audit.selected == 1
    acc, loss = audit.picks
    assert (acc.proxy, acc.trial, acc.agrees) == ("token_accuracy", 0, False)
    assert acc.regret == pytest.approx(0.3) and acc.low > 0.1
    assert (loss.proxy, loss.trial, loss.agrees, loss.regret) == ("eval_loss", 1, True, 0.0)
    agree = {(a.proxy, a.other): (a.agreed, a.sweeps) for a in agreement([audit, audit])}
    assert agree == {("token_accuracy", "eval_f1"): (0, 2), ("token_accuracy", "eval_loss"):
                     (0, 2), ("eval_loss", "eval_f1"): (2, 2)}


def test_audit_without_dev_outcomes_or_proxies_says_why():
    trials = _trials([{"token_accuracy": 0.9}, {"token_accuracy": 0.8}])
    audit = audit_sweep("lora", 0, ["r"], trials, [None, None], "token_accuracy", "max", 10)
    assert not audit.picks and "audit_proxies" in audit.note
    none = audit_sweep("pattern", 0, ["r"], _trials([{"patterns": 1.0}, {"patterns": 2.0}]),
                       [outcomes(np.ones((4, 1))), outcomes(np.ones((4, 1)))], "eval_f1",
                       "max", 4)
    assert not none.picks and "no proxy" in none.note and none.f1_trial == 0
