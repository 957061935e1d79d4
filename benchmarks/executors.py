"""CRF extraction through each executor, side by side, and the peak memory of whole runs.

    python benchmarks/executors.py [--docs 5000] [--workers 2] [--repeats 3] [--rss 5000,20000]

Trains a CRF on 50 built-in documents, extracts ``--docs`` hold-out documents with the
``local``, ``processes`` (``--workers``) and ``spark`` (``local[<workers>]``) executors,
and prints documents/s, the ratio to ``local`` and whether the predictions are identical.
Then runs ``leasebench run`` (pattern trainer, one round) on hold-outs of the ``--rss``
sizes, each in its own process, and prints each run's peak RSS. Needs pyspark and Java.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from leasebench.components import Executor
from leasebench.corpus import lease_dataset
from leasebench.crf.components import CRFExtractor, CRFTrainer
from leasebench.executors import LocalExecutor, MapWork, ProcessesExecutor, SparkExecutor
from leasebench.records import Prediction
from leasebench.testing.conformance import make_context


def extraction(args: argparse.Namespace, tmp: Path) -> None:
    train, holdout = lease_dataset(50, args.docs, 2024)
    docs = [r.unlabelled() for r in holdout]
    ctx = make_context(tmp / "crf", seed=2024)
    model = CRFTrainer.from_dict({"max_iterations": 50}).train(train, [], ctx)
    work = MapWork("extract-bench", CRFExtractor.from_dict({}), ctx, model)
    spark = SparkExecutor.from_dict({"master": f"local[{args.workers}]"})
    executors: dict[str, Executor] = {
        "local": LocalExecutor(),
        "processes": ProcessesExecutor.from_dict({"workers": args.workers}),
        "spark": spark,
    }
    spark.spark  # noqa: B018  (start the JVM before the clock)
    list(spark.map(work, docs[: 4 * args.workers]))  # and its Python workers
    results: dict[str, dict] = {}
    runs: dict[str, list[float]] = {name: [] for name in executors}
    cpu: dict[str, float] = {}
    for _ in range(args.repeats):  # executors take turns, so drifting load hits them all
        for name, executor in executors.items():
            started, cpu_started = time.perf_counter(), time.process_time()
            preds = list(executor.map(work, docs))
            runs[name].append(time.perf_counter() - started)
            cpu.setdefault(name, time.process_time() - cpu_started)  # this process only
            results.setdefault(name, {p.id: p.fields for p in preds if isinstance(p, Prediction)})
    for executor in executors.values():
        executor.close()
    seconds = {name: statistics.median(times) for name, times in runs.items()}
    print(f"CRF extraction of {len(docs)} built-in documents, {args.workers} workers, "
          f"median of {args.repeats} runs each")
    print(f"{'executor':<10} {'seconds':>8} {'docs/s':>8} {'vs local':>9} {'ms/doc':>7}  same"
          "  runs (s)")
    for name, s in seconds.items():
        same = results[name] == results["local"]
        spread = ", ".join(f"{t:.1f}" for t in runs[name])
        print(f"{name:<10} {s:8.1f} {len(docs) / s:8.1f} {seconds['local'] / s:8.2f}x "
              f"{1000 * s / len(docs):7.1f}  {'yes' if same else 'NO':<4}  {spread}")
    print(f"local CPU time: {1000 * cpu['local'] / len(docs):.1f} ms/document on one core "
          "(what the wall time would be on an idle core)")


def peak_rss(n: int, tmp: Path) -> tuple[float, float]:
    """Peak RSS (MiB) and wall seconds of a one-round run with an ``n``-document hold-out."""
    manifest = {"name": f"rss-{n}", "seed": 1, "data": {"builtin": "lease", "train": 50,
                                                         "holdout": n},
                "trainer": {"name": "pattern"}, "rounds": [{"name": "real-only",
                                                            "synthetic_batches": 0}],
                "stats": {"bootstrap": 200}, "tracking": {"mlflow": False}}
    path = tmp / f"rss-{n}.yaml"
    path.write_text(yaml.safe_dump(manifest))
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    cmd = [sys.executable, "-c", probe, sys.executable, "-m", "leasebench", "run", str(path),
           "--runs-dir", str(tmp / "runs"), "-q", "--no-mlflow"]
    started = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    kib = int(out.stdout.strip().splitlines()[-1])
    return kib / 1024, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=5000, help="0: skip the extraction")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3, help="runs per executor (median)")
    parser.add_argument("--rss", default="5000,20000", help="hold-out sizes; empty: skip")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp:
        if args.docs > 0:
            extraction(args, Path(tmp))
        sizes = [int(s) for s in args.rss.split(",") if s.strip()]
        if sizes:
            print("\nwhole run (pattern trainer, one round), its own process")
            print(f"{'hold-out':>8} {'peak RSS MiB':>13} {'seconds':>8}")
            for n in sizes:
                rss, seconds = peak_rss(n, Path(tmp))
                print(f"{n:>8} {rss:13.0f} {seconds:8.1f}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
