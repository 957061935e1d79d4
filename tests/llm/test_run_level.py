"""LLM experiments through ``leasebench run``: dry run, cost budget, secrets, crash resume."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from mlflow.tracking import MlflowClient

from leasebench.cli.main import make_cli
from leasebench.runner import run_experiment
from leasebench.runner.plan import plan_experiment
from leasebench.testing.processes import running

from .test_budget_secrets import SENTINEL
from .test_components import generator_handler

ROOT = Path(__file__).resolve().parents[2]
KEY_ENV = "LB_RUN_TEST_KEY"


def handler(body, req):
    prompt = body["messages"][0]["content"]
    if "Real labels:" in prompt:
        return generator_handler(body, req)
    if "Here is a real contract" in prompt:  # a distinct document per sample
        return generator_handler(body, req).replace("\n```", f" (no. {body.get('seed')})\n```")
    if 'Answer only "0" or "1"' in prompt:
        return "1"
    return json.dumps({"lessor": ["Harbor Point Properties LLC"]})


def write_manifest(tmp_path: Path, url: str, batch_size: int = 4, concurrency: int = 4,
                   latency_docs: int = 8) -> Path:
    shutil.copytree(ROOT / "fixtures" / "tiny", tmp_path / "tiny")
    endpoint = {"base_url": url, "model": "test-model", "api_key_env": KEY_ENV,
                "concurrency": concurrency, "timeout_s": 10, "backoff_s": 0.01,
                "prices": {"prompt_per_1k": 1.0, "completion_per_1k": 2.0}}
    manifest = {
        "name": "llm-run", "seed": 3, "schema": "lease",
        "data": {"train": "tiny/train.jsonl", "holdout": "tiny/holdout.jsonl"},
        "generator": {"name": "llm", "batch_size": batch_size, "params": {"endpoint": endpoint}},
        "judges": [{"name": "llm-labels", "params": {"endpoint": endpoint}},
                   {"name": "llm-grounding", "params": {"endpoint": endpoint}}],
        "trainer": {"name": "pattern"},
        "baseline": {"name": "llm", "params": {"endpoint": endpoint}},
        "scorers": [{"name": "field-match", "params": {"mode": "exact"}}],
        "rounds": [{"name": "prompted", "baseline": True},
                   {"name": "real-only", "synthetic_batches": 0},
                   {"name": "synth-1", "synthetic_batches": 1}],
        "stats": {"bootstrap": 50},
        "tracking": {"mlflow": True, "tracking_uri": f"sqlite:///{tmp_path / 'ml.db'}"},
    }
    path = tmp_path / "llm.yaml"
    path.write_text(yaml.safe_dump(manifest, sort_keys=False))
    return path


def test_dry_run_estimates_and_calls_nothing(serve, tmp_path):
    srv = serve(handler)
    path = write_manifest(tmp_path, srv.url)
    plan = plan_experiment(path, runs_dir=tmp_path / "runs")
    rows = {s.stage: s for s in plan.stages}
    assert rows["generate-b1"].calls == 8  # two calls per sample
    assert rows["judge-b1-0llm-labels"].calls == 4
    assert rows["extract-baseline"].calls == 8 and rows["extract-baseline"].cost > 0
    assert plan.total_cost > 0 and srv.requests == []
    out = CliRunner().invoke(make_cli(), ["run", str(path), "--runs-dir",
                                          str(tmp_path / "runs"), "--dry-run"])
    assert out.exit_code == 0 and "extract-baseline" in out.output and srv.requests == []
    [note] = [line for line in out.output.splitlines() if "without the model's context" in line]
    assert "extract-baseline" in note and "judge-b1-1llm-grounding" in note
    assert "generate-b1" in note  # a long source may be shown as its beginning
    # after a real run, the dry run says everything is cached
    run_experiment(path, runs_dir=tmp_path / "runs", quiet=True, mlflow=False)
    calls = len(srv.requests)
    plan = plan_experiment(path, runs_dir=tmp_path / "runs")
    assert {s.status for s in plan.stages} == {"cached"} and len(srv.requests) == calls
    assert plan.context_note() is None


def test_max_cost_stops_cleanly_and_a_rerun_continues(serve, tmp_path):
    srv = serve(handler)
    path = write_manifest(tmp_path, srv.url)
    cmd = ["run", str(path), "--runs-dir", str(tmp_path / "runs"), "--no-mlflow", "-q"]
    stopped = CliRunner().invoke(make_cli(), [*cmd, "--max-cost", "5"])
    assert stopped.exit_code == 3, stopped.output
    assert "cost budget 5 reached" in stopped.output
    paid = len(srv.requests)
    assert paid > 0
    done = CliRunner().invoke(make_cli(), cmd)
    assert done.exit_code == 0, done.output
    bodies = [json.dumps(r.body, sort_keys=True) for r in srv.requests]
    assert len(bodies) == len(set(bodies)), "a paid call was repeated"


@pytest.mark.slow
def test_the_key_reaches_no_file_log_or_mlflow_param(serve, tmp_path, monkeypatch):
    srv = serve(handler, api_key=SENTINEL)
    path = write_manifest(tmp_path, srv.url)
    env = {**os.environ, KEY_ENV: SENTINEL, "LEASEBENCH_TRACE_HOOKS": "1"}
    out = subprocess.run(
        [sys.executable, "-m", "leasebench", "run", str(path), "--runs-dir",
         str(tmp_path / "runs")], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert srv.requests and all(r.auth_ok for r in srv.requests)
    assert SENTINEL not in out.stdout + out.stderr
    for file in tmp_path.rglob("*"):
        if file.is_file():
            assert SENTINEL.encode() not in file.read_bytes(), file
    client = MlflowClient(tracking_uri=f"sqlite:///{tmp_path / 'ml.db'}")
    exp = client.get_experiment_by_name("llm-run")
    runs = client.search_runs([exp.experiment_id])
    assert runs
    for run in runs:
        assert SENTINEL not in json.dumps(run.data.params) + json.dumps(run.data.tags)


@pytest.mark.slow
def test_sigkill_mid_llm_stage_repeats_no_completed_call(serve, tmp_path):
    srv = serve(handler, latency=0.15)
    path = write_manifest(tmp_path, srv.url, batch_size=12, concurrency=2)
    runs = tmp_path / "runs"
    cmd = [sys.executable, "-m", "leasebench", "run", str(path), "--runs-dir", str(runs),
           "--no-mlflow", "-q"]
    with running(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as proc:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            items = list(runs.glob("llm-run/stages/generate-b1-*/items.jsonl"))
            if items and len(items[0].read_bytes().splitlines()) >= 3:
                break
            time.sleep(0.02)
        else:
            pytest.fail("the generation stage did not get going")
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    before = len(srv.requests)
    assert 0 < before < 24
    assert subprocess.run(cmd, capture_output=True).returncode == 0
    bodies = [json.dumps(r.body, sort_keys=True) for r in srv.requests]
    # only calls in flight at the kill (at most `concurrency` of them, unanswered when the
    # process died) may be made again; every call whose answer arrived is never repeated
    assert len(bodies) - len(set(bodies)) <= 2, "a completed call was made again"
    report = json.loads(next(runs.glob("llm-run/*/report/report.json")).read_text())
    assert report["funnel"][0]["generated"] == 12
