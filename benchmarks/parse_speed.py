"""Parsing model answers: adversarial shapes vs a normal answer of the same size.

    python benchmarks/parse_speed.py [--size BYTES] [--repeat N]

For each adversarial shape (``leasebench.testing.adversarial``) it prints the time
``parse_labels`` takes at ``--size`` (default 1 MB), its ratio to a normal labels answer
of the same size, and the scaling ratio time(size) / time(size / 4): about 4 for linear
work, 16 for quadratic. Each time is the best of ``--repeat`` runs, measured side by side.
"""

from __future__ import annotations

import argparse
import time

from leasebench.parsing import parse_labels
from leasebench.schema import builtin_schema
from leasebench.testing.adversarial import answers, normal_answer


def best_time(text: str, repeat: int) -> float:
    schema = builtin_schema("lease")
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        parse_labels(text, schema)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=1 << 20)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    size, repeat = args.size, args.repeat
    normal = best_time(normal_answer(size), repeat)
    print(f"answer size {size:,} chars; normal answer: {normal * 1000:.1f} ms")
    print(f"{'shape':20s} {'time':>10s} {'vs normal':>10s} {'x4 size':>8s}")
    small, large = answers(size // 4), answers(size)
    worst = 0.0
    for name, text in large.items():
        t = best_time(text, repeat)
        quarter = best_time(small[name], repeat)
        worst = max(worst, t)
        scaling = t / quarter if quarter > 1e-4 else float("nan")
        print(f"{name:20s} {t * 1000:8.1f}ms {t / normal:9.1f}x {scaling:8.1f}")
    print(f"slowest adversarial shape: {worst:.3f}s (goal: under 0.5s)")


if __name__ == "__main__":
    main()
