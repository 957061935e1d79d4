"""Calls that may have been paid twice: a run SIGKILLed with requests in flight, resumed.

The loopback server answers the first extraction requests and holds the next ones
unanswered; the ``leasebench run`` process is SIGKILLed while they are held. The resumed
run sends them again. The server's log says how many requests were sent twice; the
resumed run's terminal, run.json, report.md and report.html, and ``leasebench report``
on the run directory, say the same number. report.json stays byte-identical to an
uninterrupted run's.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml

from leasebench.runner import run_experiment
from leasebench.testing.llm_server import Reply
from leasebench.testing.processes import running

from .test_run_level import handler, write_manifest

ANSWERED = 3  # extraction requests answered before the server starts holding them


def _manifest(tmp_path: Path, url: str) -> Path:
    path = write_manifest(tmp_path, url, concurrency=2)
    m = yaml.safe_load(path.read_text())
    for key in ("generator", "judges"):
        m.pop(key)
    m["rounds"] = [{"name": "prompted", "baseline": True},
                   {"name": "real-only", "synthetic_batches": 0}]
    m["tracking"] = {"mlflow": False}
    m["reporters"] = [{"name": "json"}, {"name": "markdown"}, {"name": "html"}]
    m["baseline"]["params"]["endpoint"]["timeout_s"] = 600  # held requests never time out
    path.write_text(yaml.safe_dump(m, sort_keys=False))
    return path


def _cmd(path: Path, runs: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "leasebench", "run", str(path), "--runs-dir", str(runs),
            "--no-mlflow", *extra]


@pytest.mark.slow
def test_calls_lost_at_a_kill_and_sent_again_are_said_in_the_cost_section(serve, tmp_path):
    state = {"hold": False, "answered": 0}

    def hold(body, req):
        if state["hold"] and state["answered"] >= ANSWERED:
            return Reply(hang=True)
        state["answered"] += 1
        return handler(body, req)

    srv = serve(hold)
    path = _manifest(tmp_path, srv.url)
    cold = tmp_path / "cold"
    run_experiment(path, runs_dir=cold, quiet=True, mlflow=False)
    [expected] = cold.glob("llm-run/*/report/report.json")
    srv.clear_log()

    runs = tmp_path / "runs"
    state.update(hold=True, answered=0)
    with running(_cmd(path, runs, "-q"), stdout=subprocess.DEVNULL,
                 stderr=subprocess.DEVNULL) as proc:
        deadline = time.monotonic() + 120
        while len(srv.requests) < ANSWERED + 2:  # two held, at concurrency 2
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the extraction stage did not get going")
            time.sleep(0.01)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    held = [r for r in srv.requests if r.answered is None]
    assert len(held) == 2
    state["hold"] = False

    done = subprocess.run(_cmd(path, runs), capture_output=True, text=True, timeout=300,
                          env={**os.environ, "COLUMNS": "200"})
    assert done.returncode == 0, done.stderr
    bodies = Counter(json.dumps(r.body, sort_keys=True) for r in srv.requests)
    twice = sum(n - 1 for n in bodies.values())
    assert twice == 2  # what the server saw: the two held requests, sent again

    [report] = runs.glob("llm-run/*/report/report.json")
    assert report.read_bytes() == expected.read_bytes()  # the results are the same
    run_dir = report.parent.parent
    usage = json.loads((run_dir / "run.json").read_text())["usage"]
    assert usage["extract-baseline"]["resent_calls"] == 2
    assert sum(u.get("resent_calls", 0) for u in usage.values()) == 2
    said = "At least 2 calls may have been paid twice"
    assert said in (run_dir / "report" / "report.md").read_text()
    assert said in (run_dir / "report" / "report.html").read_text()
    output = " ".join((done.stdout + done.stderr).split())  # wrapped lines joined
    assert "at least 2 calls may have been paid twice" in output
    assert said in output

    # the count stays with the run's stages: a re-run from checkpoints says it again,
    # and so does `leasebench report` on the run directory
    again = subprocess.run(_cmd(path, runs, "-q"), capture_output=True, text=True,
                           timeout=300)
    assert again.returncode == 0, again.stderr
    assert json.loads((run_dir / "run.json").read_text())["usage"]["extract-baseline"][
        "resent_calls"] == 2
    shown = subprocess.run([sys.executable, "-m", "leasebench", "report", str(run_dir),
                            "--format", "md"], capture_output=True, text=True, timeout=120)
    assert shown.returncode == 0, shown.stderr
    assert said in shown.stdout

    # an uninterrupted run of the same manifest says nothing of the kind
    assert "paid twice" not in (expected.parent / "report.md").read_text()


def test_run_file_counts_are_read_only_from_this_runs_run_json(tmp_path):
    from leasebench.errors import DataError
    from leasebench.records import Usage
    from leasebench.reporting.compare import resent_calls
    from leasebench.runner.accounting import describe_usage, stage_usage

    usage = stage_usage({"extract-a": {"recorded": Usage(calls=4), "paid_now": Usage(calls=2)},
                         "judge": {"recorded": Usage(calls=1)}}, {"extract-a": 1})
    assert usage["extract-a"]["resent_calls"] == 1 and "resent_calls" not in usage["judge"]
    assert describe_usage(usage).endswith("; at least 1 call may have been paid twice (sent "
                                          "before a run was interrupted, answer lost, sent "
                                          "again)")

    class Result:
        manifest_hash = "abc"

    path = tmp_path / "run.json"
    assert resent_calls(path, Result()) == {}  # no run.json: nothing said
    path.write_text(json.dumps({"manifest_hash": "abc", "usage": usage}))
    assert resent_calls(path, Result()) == {"extract-a": 1}
    path.write_text(json.dumps({"manifest_hash": "other", "usage": usage}))
    assert resent_calls(path, Result()) == {}  # another run's file
    for bad in ({"manifest_hash": "abc", "usage": []},
                {"manifest_hash": "abc", "usage": {"x": {"resent_calls": "2"}}},
                {"manifest_hash": "abc", "usage": {"x": {"resent_calls": -1}}}):
        path.write_text(json.dumps(bad))
        with pytest.raises(DataError, match=r"run\.json: not a leasebench run file"):
            resent_calls(path, Result())
    path.write_text('{"manifest_hash": "abc", "usage": {"x": {"resent_calls": 1e999}}}')
    with pytest.raises(DataError, match=r"run\.json"):
        resent_calls(path, Result())
