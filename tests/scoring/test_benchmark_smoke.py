"""The speed benchmark script runs (at a small size)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "scoring_speed.py"


@pytest.mark.slow
def test_benchmark_script_runs():
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--docs", "300", "--iterations", "50"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "pairs/s" in result.stdout
