"""Seed-inclusive statistics: reduction to the document bootstrap, pooling, and a
simulation of interval coverage and false positives with seed variation.

Simulation (``SeedWorld``: 50 documents x 5 fields, 3 seeds per arm, seed effect sd 0.5
on the logit): this test runs 150 repetitions x 300 bootstrap iterations; the full numbers
come from ``python benchmarks/seed_stats.py`` (docs/metrics.md, section 8).
"""

from __future__ import annotations

import numpy as np
import pytest

from leasebench.outcomes import Outcomes
from leasebench.scoring.multiple import correct_comparisons
from leasebench.scoring.seeds import compare_repeats, pool, summarize_repeats
from leasebench.scoring.stats import compare, summarize
from leasebench.testing.seed_simulation import SeedWorld

WORLD = SeedWorld()


def test_one_model_per_arm_is_exactly_the_document_bootstrap():
    rng = np.random.default_rng(1)
    docs = WORLD.documents(rng)
    a, b = WORLD.model(rng, docs), WORLD.model(rng, docs)
    assert summarize_repeats([a], iterations=200, seed=3) == summarize(a, iterations=200, seed=3)
    assert compare_repeats([a], [b], iterations=200, seed=3) == compare(
        a, b, iterations=200, seed=3)


def test_identical_seeds_add_no_seed_variation():
    rng = np.random.default_rng(2)
    a = WORLD.model(rng, WORLD.documents(rng))
    s = summarize_repeats([a, a, a], iterations=300, seed=4)
    plain = summarize(pool([a, a, a]), iterations=300, seed=4)
    assert s.n_models == 3 and s.micro.f1_seed_sd == 0.0
    assert (s.micro.f1, s.micro.f1_low, s.micro.f1_high) == (
        plain.micro.f1, plain.micro.f1_low, plain.micro.f1_high)
    assert s.micro.tp == 3 * a.counts[..., 0].sum()


def test_seed_variation_widens_the_interval():
    world = SeedWorld(seed_sd=1.0)
    rng = np.random.default_rng(3)
    docs = world.documents(rng)
    models = [world.model(rng, docs) for _ in range(3)]
    with_seeds = summarize_repeats(models, iterations=400, seed=5)
    documents_only = summarize(pool(models), iterations=400, seed=5)
    assert with_seeds.micro.f1 == documents_only.micro.f1
    assert with_seeds.micro.f1_seed_sd > 0.01
    width = with_seeds.micro.f1_high - with_seeds.micro.f1_low
    assert width > 1.5 * (documents_only.micro.f1_high - documents_only.micro.f1_low)
    assert with_seeds.micro.f1_low >= 0 and with_seeds.micro.f1_high <= 1


def test_pool_sums_counts_in_the_first_models_document_order():
    rng = np.random.default_rng(4)
    a = WORLD.model(rng, WORLD.documents(rng))
    order = a.doc_ids[::-1]
    b = a.reindexed(order)
    pooled = pool([a, b])
    assert pooled.doc_ids == a.doc_ids
    assert np.array_equal(pooled.counts, 2 * a.counts)
    assert isinstance(pooled, Outcomes)


@pytest.mark.slow
def test_simulation_coverage_and_false_positives_with_seed_variation():
    reps, iterations = 150, 300
    truth = WORLD.true_f1()
    rng = np.random.default_rng(2024)
    covered = naive_covered = any_field = any_field_raw = 0
    for r in range(reps):
        docs = WORLD.documents(rng)
        arm_a = [WORLD.model(rng, docs) for _ in range(3)]
        arm_b = [WORLD.model(rng, docs) for _ in range(3)]
        s = summarize_repeats(arm_a, iterations=iterations, seed=r)
        covered += s.micro.f1_low <= truth <= s.micro.f1_high
        naive = summarize(pool(arm_a), iterations=iterations, seed=r)
        naive_covered += naive.micro.f1_low <= truth <= naive.micro.f1_high
        comp = compare_repeats(arm_a, arm_b, iterations=iterations, seed=r)
        any_field_raw += any(d.low > 0 or d.high < 0 for d in comp.fields.values())
        correct_comparisons({"b": comp}, method="holm")
        any_field += bool(comp.significant_fields)
    assert 0.90 <= covered / reps <= 0.99, covered / reps
    assert naive_covered / reps < 0.85, naive_covered / reps  # documents alone are not enough
    assert any_field / reps <= 0.08, any_field / reps  # nominal 0.05, Monte Carlo slack
    assert any_field_raw > any_field
