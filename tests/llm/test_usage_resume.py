"""Usage is booked once, when paid: killed and resumed runs, forced stages, cache hits.

A real ``leasebench run`` subprocess is SIGKILLed mid-generation, resumed, SIGKILLed
again mid-extraction and resumed; its report.json must equal, byte for byte, the one an
uninterrupted run of the same manifest writes (tokens and cost included). Forcing an
unchanged LLM stage re-runs that stage only (its answers come from the cache and carry
their original usage) and leaves report.json unchanged.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from leasebench.records import Prediction, Record, Usage, Verdict
from leasebench.runner import run_experiment
from leasebench.runner.accounting import USAGE_FILE, read_results, write_results
from leasebench.testing.processes import running

from .test_run_level import handler, write_manifest


def _cmd(path: Path, runs: Path) -> list[str]:
    return [sys.executable, "-m", "leasebench", "run", str(path), "--runs-dir", str(runs),
            "--no-mlflow", "-q"]


def _kill_when(proc: subprocess.Popen, pattern: str, runs: Path, lines: int) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        items = list(runs.glob(f"llm-run/stages/{pattern}/items.jsonl"))
        if items and len(items[0].read_bytes().splitlines()) >= lines:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return
        if proc.poll() is not None:
            pytest.fail(f"the run ended before {pattern} got going")
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)
    pytest.fail(f"{pattern} did not get going")


def _report(runs: Path) -> bytes:
    [path] = runs.glob("llm-run/*/report/report.json")
    return path.read_bytes()


@pytest.mark.slow
def test_killed_and_resumed_run_books_what_an_uninterrupted_run_books(serve, tmp_path):
    srv = serve(handler, latency=0.1)
    path = write_manifest(tmp_path, srv.url, batch_size=8, concurrency=2)
    path.write_text(path.read_text().replace("mlflow: true", "mlflow: false"))
    cold = tmp_path / "cold"
    run_experiment(path, runs_dir=cold, quiet=True, mlflow=False)
    expected = _report(cold)
    report = json.loads(expected)
    assert report["usage"]["generate"]["calls"] == 16 and report["usage"]["extract"]["cost"] > 0

    runs = tmp_path / "killed"
    cmd = _cmd(path, runs)
    with running(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as proc:
        _kill_when(proc, "generate-b1-*", runs, 3)
    with running(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as proc:
        _kill_when(proc, "extract-baseline-*", runs, 2)
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert _report(runs) == expected  # the same tokens and cost, byte for byte

    [run_json] = runs.glob("llm-run/*/run.json")
    usage = json.loads(run_json.read_text())["usage"]
    for stage in usage.values():  # what the last process paid plus what it reused
        now, earlier, recorded = (Usage(**stage[k]) for k in ("paid_now", "paid_earlier",
                                                              "recorded"))
        assert now.calls + earlier.calls == recorded.calls
        assert now.cost + earlier.cost == pytest.approx(recorded.cost)
    assert sum(Usage(**s["paid_earlier"]).calls for s in usage.values()) > 0

    # an unchanged LLM stage, forced: its answers come from the cache with their usage,
    # its output is byte-identical, and nothing downstream runs again
    requests = len(srv.requests)
    forced = run_experiment(path, runs_dir=runs, quiet=True, mlflow=False,
                            force=("generate-b1", "extract-baseline"))
    assert forced.stages_run == 2 and len(srv.requests) == requests
    assert _report(runs) == expected
    paid = {k: Usage(**v["paid_now"]) for k, v in forced.usage.items()}
    assert all(u.calls == 0 and u.cost == 0 for u in paid.values())
    assert Usage(**forced.usage["generate-b1"]["paid_earlier"]).calls == 16


def test_stage_files_keep_usage_beside_the_results(tmp_path):
    usage = Usage(prompt_tokens=10, completion_tokens=5, calls=1, cost=0.5)
    preds = [Prediction(id="a", fields={"x": ["1"]}, usage=usage.as_cached(), latency_s=1.5)]
    out, accounts = write_results(tmp_path / "predictions.jsonl", preds)
    assert out[0].usage == usage and out[0].latency_s == 1.5  # cache marks dropped
    stored = (tmp_path / "predictions.jsonl").read_text()
    assert "usage" not in stored and "latency" not in stored
    again, _ = read_results(tmp_path / "predictions.jsonl", Prediction)
    assert again == out and accounts["a"].usage == usage

    rec = Record(id="s", text="t", meta={"usage": usage.model_dump(), "latency_s": 2.0,
                                          "raw_labels": {}})
    (tmp_path / "gen").mkdir()
    recs, accounts = write_results(tmp_path / "gen" / "output.jsonl", [rec])
    assert recs[0].meta == {"raw_labels": {}} and accounts["s"].latency_s == 2.0
    assert json.loads((tmp_path / "gen" / USAGE_FILE).read_text())["usage"]["calls"] == 1

    verdicts = [Verdict(record_id="s", judge="j", passed=True, usage=usage)]
    (tmp_path / "j").mkdir()
    write_results(tmp_path / "j" / "verdicts.jsonl", verdicts)
    (tmp_path / "j" / USAGE_FILE).unlink()  # a stage written before the split
    legacy = tmp_path / "j" / "verdicts.jsonl"
    legacy.write_text(verdicts[0].model_dump_json() + "\n")
    back, accounts = read_results(legacy, Verdict)
    assert back[0].usage == usage and accounts["s"].usage == usage
