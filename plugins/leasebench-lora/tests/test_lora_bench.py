"""The throughput benchmark's CPU path (tiny shape) runs and reports both modes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import child_env

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "lora_throughput.py"


def test_benchmark_runs_on_cpu(tmp_path):
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--device", "cpu", "--steps", "2", "--seq-len", "64",
         "--opt-batch", "2", "--plain-batch", "2", "--out", str(out)],
        capture_output=True, text=True, env=child_env(), timeout=900,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(out.read_text("utf-8"))
    assert result["shape"] == "tiny" and result["seq_len"] == 64
    for mode in ("plain", "optimised"):
        assert result[mode]["steps"] == 2 and result[mode]["tokens_per_s"] > 0
        assert result[mode]["peak_rss_mib"] > 0
    assert result["optimised"]["packing"] and result["optimised"]["gradient_checkpointing"]
    assert result["speedup"] > 0
    assert "speedup" in done.stdout
