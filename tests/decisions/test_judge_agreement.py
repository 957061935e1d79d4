"""Judge agreement on constructed verdicts: counts, Cohen's kappa (known values), the
disagreements listed, and agreement with gold validity (a judge that rejects only good
samples has negative kappa)."""

from __future__ import annotations

import pytest

from leasebench.decisions.judge_agreement import cohen_kappa, gold_pairs, judge_pairs
from leasebench.records import Verdict


def _verdicts(judge: str, passed: list[bool], prefix: str = "s") -> dict[str, Verdict]:
    return {f"{prefix}{i}": Verdict(record_id=f"{prefix}{i}", judge=judge, passed=p,
                                    reason="ok" if p else f"{judge} says no")
            for i, p in enumerate(passed)}


def test_kappa_of_known_tables():
    # 20 both pass, 5 a only, 10 b only, 15 both reject: po 0.7, pe 0.5 -> 0.4
    a = [True] * 25 + [False] * 25
    b = [True] * 20 + [False] * 5 + [True] * 10 + [False] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    assert cohen_kappa(a, a) == pytest.approx(1.0)
    assert cohen_kappa(a, [not x for x in a]) == pytest.approx(-1.0)
    assert cohen_kappa([True] * 4, [True] * 4) is None
    assert cohen_kappa([], []) is None


def test_pairs_count_the_common_samples_and_list_disagreements():
    a = [True] * 25 + [False] * 25
    b = [True] * 20 + [False] * 5 + [True] * 10 + [False] * 15
    batches = [(1, {"llm": _verdicts("llm", a[:30]), "rules": _verdicts("rules", b[:30])}),
               (2, {"llm": _verdicts("llm", a[30:], "t"), "rules": _verdicts("rules", b[30:],
                                                                             "t")})]
    (p,) = judge_pairs(batches, ["llm", "rules"])
    assert (p.n, p.both_pass, p.a_only, p.b_only, p.both_reject) == (50, 20, 5, 10, 15)
    assert p.kappa == pytest.approx(0.4)
    assert len(p.disagreements) == 10
    first = p.disagreements[0]
    assert (first.batch, first.passed_by, first.rejected_by, first.reason) == (
        1, "llm", "rules", "rules says no")
    # a judge that scored only some samples is compared on those
    partial = [(1, {"llm": _verdicts("llm", a[:10]), "rules": _verdicts("rules", b)})]
    assert judge_pairs(partial, ["llm", "rules"])[0].n == 10
    assert judge_pairs([(1, {"llm": _verdicts("llm", a)})], ["llm", "rules"]) == []


def test_a_judge_that_rejects_only_good_samples_disagrees_with_gold():
    valid = [True] * 30 + [False] * 10
    perverse = [not v if i % 2 == 0 or not v else True for i, v in enumerate(valid)]
    sound = list(valid)
    batches = [(1, {"perverse": _verdicts("perverse", perverse),
                    "sound": _verdicts("sound", sound)})]
    gold = [(1, {f"s{i}": v for i, v in enumerate(valid)})]
    bad, good = gold_pairs(batches, ["perverse", "sound"], gold)
    assert (bad.a, bad.b, bad.b_only, bad.a_only) == ("perverse", "gold", 15, 10)
    assert bad.kappa < 0 < good.kappa == pytest.approx(1.0)
    assert gold_pairs(batches, ["sound"], [(1, {})]) == []
