"""Cold run vs cached re-run of one manifest, side by side in one process.

    python benchmarks/rerun_speed.py [MANIFEST]

Prints both wall times and their ratio; the re-run must execute no stage.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from leasebench.plugin_manager import build_registry
from leasebench.runner import run_experiment

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    manifest = Path(sys.argv[1]) if len(sys.argv) > 1 else (
        ROOT / "fixtures" / "manifests" / "lease-offline.yaml")
    registry = build_registry()
    with tempfile.TemporaryDirectory() as tmp:
        runs = Path(tmp) / "runs"
        started = time.perf_counter()
        cold = run_experiment(manifest, runs_dir=runs, quiet=True, registry=registry,
                              mlflow=False)
        cold_s = time.perf_counter() - started
        started = time.perf_counter()
        warm = run_experiment(manifest, runs_dir=runs, quiet=True, registry=registry,
                              mlflow=False)
        warm_s = time.perf_counter() - started
    assert warm.stages_run == 0, "the re-run executed stages"
    print(f"manifest: {manifest.name}")
    print(f"cold run:  {cold_s:8.3f} s  ({cold.stages_run} stages run)")
    print(f"re-run:    {warm_s:8.3f} s  ({warm.stages_cached} stages cached, 0 run)")
    print(f"ratio re-run / cold: {warm_s / cold_s:.4f}  (speed-up {cold_s / warm_s:.0f}x)")


if __name__ == "__main__":
    main()
