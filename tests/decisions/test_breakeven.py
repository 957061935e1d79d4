"""Break-even volume: the arithmetic and its wording."""

from __future__ import annotations

import pytest

from leasebench.decisions.breakeven import Volume, break_even, describe_volume


def test_volume_where_the_saving_per_document_pays_the_one_off_cost():
    # 1,200 one-off over 12 months = 100 a month; saving 0.002 a document -> 50,000
    v = break_even(1200.0, 12, per_doc_trained=0.001, per_doc_prompted=0.003)
    assert v == Volume(pytest.approx(50_000.0), False)
    assert describe_volume(v) == "from ~50,000 docs/month"
    assert describe_volume(break_even(1000.0, 12, 0.001, 0.004)) == "from ~28,000 docs/month"
    assert describe_volume(break_even(1.0, 1, 0.0, 0.2)) == "from ~5 docs/month"


def test_never_and_always():
    assert break_even(10.0, 12, 0.003, 0.003).never
    assert break_even(10.0, 12, 0.004, 0.003).never
    assert describe_volume(break_even(10.0, 12, 0.004, 0.003)) == "never"
    free = break_even(0.0, 12, 0.001, 0.003)
    assert free.docs_per_month == 0 and describe_volume(free) == "always"
    with pytest.raises(ValueError):
        break_even(1.0, 0, 0.0, 1.0)
