"""Multiple-comparison corrections against hand computations; the minimum detectable
effect; significance decided by the adjusted p-value, raw p kept."""

from __future__ import annotations

import pytest

from leasebench.scoring.multiple import adjust, correct_comparisons, mde, smallest_adjusted_p
from leasebench.scoring.stats import Comparison, Difference


def test_holm_matches_a_hand_computation():
    # sorted: 0.010*4 = 0.040, 0.020*3 = 0.060, 0.030*2 = 0.060, 0.500*1 = 0.500
    assert adjust([0.03, 0.5, 0.01, 0.02], "holm") == pytest.approx([0.06, 0.5, 0.04, 0.06])
    # the running maximum keeps the adjusted values in the order of the raw ones
    assert adjust([0.010, 0.040, 0.030], "holm") == pytest.approx([0.03, 0.06, 0.06])
    assert adjust([0.4, 0.9], "holm") == pytest.approx([0.8, 0.9])
    assert adjust([0.6, 0.7], "holm") == [1.0, 1.0]


def test_bonferroni_fdr_and_none_match_hand_computations():
    assert adjust([0.01, 0.04, 0.03], "bonferroni") == pytest.approx([0.03, 0.12, 0.09])
    # BH: sorted 0.01*3/1 = 0.03, 0.03*3/2 = 0.045, 0.04*3/3 = 0.04 -> running minimum
    # from the largest: 0.04, min(0.045, 0.04) = 0.04, min(0.03, 0.04) = 0.03
    assert adjust([0.01, 0.04, 0.03], "fdr_bh") == pytest.approx([0.03, 0.04, 0.04])
    assert adjust([0.01, 0.04], "none") == [0.01, 0.04]
    assert adjust([], "holm") == []
    with pytest.raises(ValueError, match="unknown correction"):
        adjust([0.1], "sidak")


def _diff(p: float, low: float = 0.01) -> Difference:
    return Difference(delta=0.1, low=low, high=0.2, p_value=p, significant=low > 0, se=0.05)


def _comparison(ps: list[float]) -> Comparison:
    fields = {f"f{i}": _diff(p) for i, p in enumerate(ps)}
    return Comparison(n_docs=50, fields=fields, micro=_diff(0.004), macro=_diff(0.3, -0.1),
                      significant_fields=list(fields))


def test_correction_decides_significance_and_keeps_raw_p():
    comps = {"a": _comparison([0.01, 0.02, 0.04]), "b": _comparison([0.002, 0.5, 0.5])}
    correct_comparisons(comps, method="holm")
    a = comps["a"]
    assert [d.p_value for d in a.fields.values()] == [0.01, 0.02, 0.04]  # raw kept
    assert [d.p_adjusted for d in a.fields.values()] == pytest.approx([0.03, 0.04, 0.04])
    assert a.significant_fields == ["f0", "f1", "f2"] and a.correction == "holm"
    assert comps["b"].significant_fields == ["f0"]
    # micro across the two comparisons: 0.004 * 2 = 0.008
    assert a.micro.p_adjusted == pytest.approx(0.008) and a.micro.significant
    # one family for the whole run: six tests
    comps = {"a": _comparison([0.01, 0.02, 0.04]), "b": _comparison([0.002, 0.5, 0.5])}
    correct_comparisons(comps, method="holm", family="run")
    assert comps["a"].fields["f0"].p_adjusted == pytest.approx(0.05)  # 0.01 * 5
    assert comps["a"].significant_fields == ["f0"] and comps["b"].significant_fields == ["f0"]


def test_no_correction_keeps_the_interval_rule():
    comps = {"a": _comparison([0.01, 0.2, 0.04])}
    comps["a"].fields["f1"] = _diff(0.2, low=-0.05)
    correct_comparisons(comps, method="none")
    assert comps["a"].significant_fields == ["f0", "f2"]
    assert comps["a"].fields["f0"].p_adjusted is None


def test_minimum_detectable_effect():
    # (z 0.975 + z 0.8) * se = (1.95996 + 0.84162) * 0.05
    assert mde(0.05, 0.05, 0.8) == pytest.approx(0.140079, abs=1e-5)
    assert mde(None, 0.05, 0.8) is None
    comps = {"a": _comparison([0.01, 0.02, 0.04])}
    correct_comparisons(comps, method="holm")
    # per field at alpha / 3 = 0.01667: z 0.99167 = 2.39398
    assert comps["a"].fields["f0"].mde == pytest.approx((2.39398 + 0.84162) * 0.05, abs=1e-4)
    assert smallest_adjusted_p(1000, 10, "holm") == pytest.approx(0.01998, abs=1e-5)
    assert smallest_adjusted_p(200, 10, "holm") > 0.05
