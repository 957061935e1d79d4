"""Seed-inclusive statistics by simulation: interval coverage and false positives.

    python benchmarks/seed_stats.py [--reps 1000] [--iterations 500] [--seeds 3]

For each seed spread (logit sd 0, 0.5, 1.0 of ``SeedWorld``: 50 documents x 5 fields),
side by side in one run:

* coverage of the 95% micro-F1 and one-field intervals of an arm trained with ``--seeds``
  seeds: the seed-inclusive bootstrap (``summarize_repeats``) against the document-only
  bootstrap of the pooled counts;
* two arms of equal true quality compared field by field: the share of repetitions that
  call at least one field significant, without correction and after Holm (nominal 5%),
  and the share calling micro F1 significant.
"""

from __future__ import annotations

import argparse
import os
import time

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

from leasebench.scoring.multiple import correct_comparisons  # noqa: E402
from leasebench.scoring.seeds import compare_repeats, pool, summarize_repeats  # noqa: E402
from leasebench.scoring.stats import summarize  # noqa: E402
from leasebench.testing.seed_simulation import SeedWorld  # noqa: E402


def _covers(s, truth: float) -> tuple[bool, bool]:
    f0 = s.fields["f0"]
    return (s.micro.f1_low <= truth <= s.micro.f1_high, f0.f1_low <= truth <= f0.f1_high)


def run(world: SeedWorld, reps: int, iterations: int, seeds: int) -> dict[str, float]:
    truth = world.true_f1()
    rng = np.random.default_rng(7)
    hits = np.zeros(4)
    false = np.zeros(3)
    for r in range(reps):
        docs = world.documents(rng)
        a = [world.model(rng, docs) for _ in range(seeds)]
        b = [world.model(rng, docs) for _ in range(seeds)]
        hits[:2] += _covers(summarize_repeats(a, iterations=iterations, seed=r), truth)
        hits[2:] += _covers(summarize(pool(a), iterations=iterations, seed=r), truth)
        comp = compare_repeats(a, b, iterations=iterations, seed=r)
        raw = any(d.low > 0 or d.high < 0 for d in comp.fields.values())
        correct_comparisons({"b": comp}, method="holm")
        false += [raw, bool(comp.significant_fields), comp.micro.significant]
    return {"truth": truth, "cov_micro": hits[0] / reps, "cov_field": hits[1] / reps,
            "naive_micro": hits[2] / reps, "naive_field": hits[3] / reps,
            "fp_raw": false[0] / reps, "fp_holm": false[1] / reps,
            "fp_micro": false[2] / reps}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=1000)
    ap.add_argument("--iterations", type=int, default=500)
    ap.add_argument("--seeds", type=int, default=3)
    args = ap.parse_args()
    print(f"{args.reps} repetitions x {args.iterations} bootstrap iterations, "
          f"{args.seeds} seeds per arm, 50 documents x 5 fields")
    print(f"{'seed sd':>7} {'true F1':>7} | {'coverage: seeds+docs':>20} | "
          f"{'docs only':>17} | {'any field sig.':>20} | {'micro sig.':>10}")
    print(f"{'':>7} {'':>7} | {'micro':>9} {'field':>10} | {'micro':>8} {'field':>8} | "
          f"{'raw':>9} {'Holm':>10} | {'':>10}")
    for sd in (0.0, 0.5, 1.0):
        started = time.perf_counter()
        m = run(SeedWorld(seed_sd=sd), args.reps, args.iterations, args.seeds)
        print(f"{sd:>7.1f} {m['truth']:>7.3f} | {m['cov_micro']:>9.1%} {m['cov_field']:>10.1%}"
              f" | {m['naive_micro']:>8.1%} {m['naive_field']:>8.1%} | {m['fp_raw']:>9.1%} "
              f"{m['fp_holm']:>10.1%} | {m['fp_micro']:>10.1%}   "
              f"({time.perf_counter() - started:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
