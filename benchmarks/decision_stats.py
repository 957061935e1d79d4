"""The decision sections' intervals by simulation: coverage and the stop rule.

    python benchmarks/decision_stats.py [--reps 1000] [--iterations 500]

Worlds from ``leasebench.testing.seed_simulation.SeedWorld`` (documents with a difficulty
per field shared by every model, so tests pair; 5 fields). Side by side in one run:

* **proxy regret** (``decisions.proxy.regret``): three sweep trials of known quality scored
  on a dev split of 10 or 40 documents; the proxy picks a fixed trial. True regret = the
  best trial's true F1 minus the picked trial's. Coverage of the simultaneous interval
  against the naive one (the paired percentile interval of F1(dev-best) - F1(picked), the
  dev-best trial taken as given);
* **marginal gain** (``scoring.seeds.compare_repeats``): a round and the next one (3 seeds
  each, seed spread 0 or 0.5 on the logit) on 50 hold-out documents, true gain 0 or about
  2 or 5 points of micro F1. Coverage of the 95% interval of the gain, how often the stop rule
  says "continue" (a false "continue" when the gain is 0), and for a true gain equal to
  the reported minimum detectable effect (MDE), how often it is detected (the MDE is
  computed for 80% power).
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import replace

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

from leasebench.decisions.marginal import stop_verdict  # noqa: E402
from leasebench.decisions.proxy import regret  # noqa: E402
from leasebench.scoring.multiple import correct_comparisons  # noqa: E402
from leasebench.scoring.seeds import compare_repeats  # noqa: E402
from leasebench.scoring.stats import compare  # noqa: E402
from leasebench.testing.seed_simulation import SeedWorld  # noqa: E402


def _naive(dev, picked: int, iterations: int, seed: int) -> tuple[float, float]:
    """Paired percentile interval of F1(dev-best) - F1(picked), the dev-best as given."""
    f1 = [compare(dev[0], d, iterations=0).micro.delta for d in dev]
    best = int(np.argmax(f1))
    if best == picked:
        return 0.0, 0.0
    c = compare(dev[picked], dev[best], iterations=iterations, seed=seed)
    return c.micro.low, c.micro.high


def regret_coverage(n_dev: int, qualities: tuple[float, ...], picked: int, reps: int,
                    iterations: int) -> dict[str, float]:
    worlds = [SeedWorld(n_docs=n_dev, quality=q, seed_sd=0.0) for q in qualities]
    truth_f1 = [w.true_f1() for w in worlds]
    truth = max(truth_f1) - truth_f1[picked]
    rng = np.random.default_rng(11)
    hits = naive_hits = 0
    widths = []
    for r in range(reps):
        docs = worlds[0].documents(rng)
        dev = [w.model(rng, docs) for w in worlds]
        _, low, high = regret(dev, picked, iterations=iterations, seed=r)
        hits += low - 1e-12 <= truth <= high + 1e-12
        widths.append(high - low)
        lo, hi = _naive(dev, picked, iterations, r)
        naive_hits += lo - 1e-12 <= truth <= hi + 1e-12
    return {"truth": truth, "coverage": hits / reps, "naive": naive_hits / reps,
            "width": float(np.mean(widths))}


def gain_check(gain_logit: float, reps: int, iterations: int,
               world: SeedWorld) -> dict[str, float]:
    after_world = replace(world, quality=world.quality + gain_logit)
    truth = after_world.true_f1() - world.true_f1()
    rng = np.random.default_rng(5)
    hits = cont = 0
    mdes = []
    for r in range(reps):
        docs = world.documents(rng)
        before = [world.model(rng, docs) for _ in range(3)]
        after = [after_world.model(rng, docs) for _ in range(3)]
        comp = compare_repeats(before, after, iterations=iterations, seed=r)
        correct_comparisons({"after": comp}, method="holm")
        hits += comp.micro.low <= truth <= comp.micro.high
        verdict, _ = stop_verdict(comp, 0, 1, world.n_docs)
        cont += verdict == "continue"
        mdes.append(comp.micro.mde or 0.0)
    return {"truth": truth, "coverage": hits / reps, "continue": cont / reps,
            "mde": float(np.mean(mdes))}


def _gain_for(world: SeedWorld, target: float) -> float:
    """The logit shift that raises the true micro F1 by ``target``."""
    lo, hi = 0.0, 3.0
    base = world.true_f1(draws=400_000)
    for _ in range(30):
        mid = (lo + hi) / 2
        if replace(world, quality=world.quality + mid).true_f1(draws=400_000) - base < target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=1000)
    ap.add_argument("--iterations", type=int, default=500)
    args = ap.parse_args()
    reps, it = args.reps, args.iterations
    print(f"{reps} repetitions x {it} bootstrap iterations; 5 fields; 95% intervals\n")
    print("Proxy regret: 3 trials, the proxy picks trial `picked`")
    print(f"{'dev docs':>8} {'trial quality (logit)':>22} {'picked':>6} {'true regret':>11} | "
          f"{'coverage':>8} {'naive':>6} {'mean width':>10}")
    for n_dev in (10, 40):
        for qualities, picked in (((1.0, 0.2, 1.4), 1), ((1.0, 1.1, 1.2), 0),
                                  ((1.0, 1.1, 1.2), 2)):
            started = time.perf_counter()
            m = regret_coverage(n_dev, qualities, picked, reps, it)
            print(f"{n_dev:>8} {qualities!s:>22} {picked:>6} {100 * m['truth']:>10.1f}p | "
                  f"{m['coverage']:>8.1%} {m['naive']:>6.1%} {100 * m['width']:>9.1f}p"
                  f"   ({time.perf_counter() - started:.0f} s)", flush=True)
    for sd in (0.0, 0.5):
        gain_table(SeedWorld(n_docs=50, quality=1.0, seed_sd=sd), reps, it)


def gain_table(world: SeedWorld, reps: int, it: int) -> None:
    print(f"\nMarginal gain: 3 seeds per round (seed sd {world.seed_sd}), {world.n_docs} "
          "hold-out documents")
    print(f"{'true gain':>11} | {'coverage':>8} {'says continue':>13} {'mean MDE':>8}")
    mde = None
    for target in (0.0, 0.02, 0.05, "mde"):
        started = time.perf_counter()
        goal = mde if target == "mde" else float(target)
        assert goal is not None
        m = gain_check(_gain_for(world, goal) if goal else 0.0, reps, it, world)
        if target == 0.0:
            mde = m["mde"]
        label = f"{100 * m['truth']:.1f}p" + (" (MDE)" if target == "mde" else "")
        print(f"{label:>11} | {m['coverage']:>8.1%} {m['continue']:>13.1%} "
              f"{100 * m['mde']:>7.1f}p   ({time.perf_counter() - started:.0f} s)",
              flush=True)

if __name__ == "__main__":
    main()
