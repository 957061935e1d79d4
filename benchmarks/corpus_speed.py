"""Lease corpus benchmark: documents per second on one core, and diversity statistics.

Run with ``python benchmarks/corpus_speed.py [--n 2000] [--diversity 1000] [--seed 614]``.
"""

from __future__ import annotations

import argparse
import time

from leasebench.corpus import DEFAULT_NOISE, iter_leases
from leasebench.corpus.stats import absence_rates, jaccard_summary, length_summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=2000, help="documents to time")
    parser.add_argument("--diversity", type=int, default=1000, help="documents for Jaccard")
    parser.add_argument("--seed", type=int, default=614)
    parser.add_argument("--noise", type=float, default=DEFAULT_NOISE)
    args = parser.parse_args()

    start = time.perf_counter()
    records = list(iter_leases(args.n, args.seed, noise=args.noise))
    elapsed = time.perf_counter() - start
    print(f"generated {args.n} documents in {elapsed:.2f} s: {args.n / elapsed:,.0f} docs/s")
    words = sum(len(r.text.split()) for r in records)
    print(f"throughput: {words / elapsed:,.0f} words/s")
    print("lengths (words):", length_summary(records))
    print("absence rates:", {k: round(v, 3) for k, v in absence_rates(records).items()})

    sample = list(iter_leases(args.diversity, args.seed + 1, noise=args.noise))
    start = time.perf_counter()
    stats = jaccard_summary([r.text for r in sample])
    print(
        f"pairwise word 5-gram Jaccard over {len(sample)} documents: "
        f"mean {stats['mean']:.4f}, p95 {stats['p95']:.4f}, max {stats['max']:.4f} "
        f"({time.perf_counter() - start:.1f} s)"
    )


if __name__ == "__main__":
    main()
