"""The decision intervals by simulation, at a small size (benchmarks/decision_stats.py
has the full figures): the regret interval covers the true regret where the naive one,
which takes the dev-best trial as given, does not; the script runs."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "decision_stats.py"


def _module():
    spec = importlib.util.spec_from_file_location("decision_stats", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_regret_interval_covers_where_the_naive_one_does_not():
    m = _module().regret_coverage(40, (1.0, 1.1, 1.2), 0, reps=150, iterations=300)
    assert 0.02 < m["truth"] < 0.05
    assert m["coverage"] >= 0.9
    assert m["naive"] < m["coverage"] - 0.08


@pytest.mark.slow
def test_the_benchmark_script_runs():
    done = subprocess.run([sys.executable, str(SCRIPT), "--reps", "4", "--iterations", "40"],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "Proxy regret" in done.stdout and "(MDE)" in done.stdout
