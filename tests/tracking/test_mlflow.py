"""MLflow tracking against a real local store and a real ``mlflow server`` on loopback."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from mlflow.tracking import MlflowClient

from leasebench.reporting.browser import find_chromium, render_dom, screenshot
from leasebench.runner import run_experiment
from leasebench.testing.processes import running, wait_healthy
from leasebench.tracking import experiment_url

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def manifest(tiny_manifest: Path) -> Path:
    return tiny_manifest


def _runs(client: MlflowClient, level: str):
    exp = client.get_experiment_by_name("tiny")
    return client.search_runs([exp.experiment_id], f"tags.`leasebench.level` = '{level}'")


def test_parent_round_and_trial_runs_with_metrics(manifest, tmp_path):
    uri = f"sqlite:///{tmp_path / 'ml.db'}"
    out = run_experiment(manifest, runs_dir=tmp_path / "runs", quiet=True, mlflow=True,
                         tracking_uri=uri)
    client = MlflowClient(tracking_uri=uri)
    (parent,) = _runs(client, "experiment")
    assert parent.data.params["manifest_hash"] == out.result.manifest_hash
    assert parent.data.params["trainer.params.context"] == "3"
    assert parent.data.params["plugin.trainer.pattern"].startswith("leasebench==")
    rounds = {r.info.run_name: r for r in _runs(client, "round")}
    assert set(rounds) == {"real-only", "synth-1", "synth-2"}
    synth = rounds["synth-2"]
    assert synth.data.tags["mlflow.parentRunId"] == parent.info.run_id
    expected = out.result.round("synth-2").scores["field-match:exact"]
    assert synth.data.metrics["f1/lessor"] == pytest.approx(expected.fields["lessor"].f1)
    assert synth.data.metrics["micro_f1"] == pytest.approx(expected.micro.f1)
    assert {"micro_f1_low", "micro_f1_high", "delta_micro_f1", "cost", "tokens",
            "parse_failures"} <= set(synth.data.metrics)
    trials = [t for t in _runs(client, "trial")
              if t.data.tags["mlflow.parentRunId"] == synth.info.run_id]
    assert len(trials) == 2 and all("eval/f1" in t.data.metrics for t in trials)
    round_names = {k for r in rounds.values() for k in r.data.metrics}
    trial_names = {k for t in _runs(client, "trial") for k in t.data.metrics}
    assert trial_names and not trial_names & round_names  # eval-split F1 is not hold-out F1
    assert all(k.startswith(("eval/", "train/")) for k in trial_names)
    assert {t.info.run_name for t in trials} == {"synth-2 trial 0: min_precision=0.3",
                                                 "synth-2 trial 1: min_precision=0.6"}
    # every trained round's selected model is a version of one registered model
    versions = {v.tags["leasebench.round"]: v
                for v in client.search_model_versions("name = 'leasebench-tiny'")}
    assert set(versions) == {"real-only", "synth-1", "synth-2"}
    v = versions["synth-2"]
    assert v.run_id == synth.info.run_id
    assert float(v.tags["leasebench.micro_f1"]) == pytest.approx(expected.micro.f1, abs=1e-4)
    assert v.tags["leasebench.selection_metric"] == "eval_f1"
    assert Path(v.source).is_absolute() and Path(v.source).exists()
    # the headline, on the parent: every round's micro F1 and interval, deltas, the best
    metrics, result = parent.data.metrics, out.result
    for r in result.rounds:
        micro = r.scores["field-match:exact"].micro
        assert metrics[f"micro_f1/{r.name}"] == round(micro.f1, 4)  # 4 decimals: readable
        assert metrics[f"micro_f1_low/{r.name}"] == round(micro.f1_low, 4)
        assert metrics[f"micro_f1_high/{r.name}"] == round(micro.f1_high, 4)
    assert metrics["delta_micro_f1/synth-2"] == round(
        result.round("synth-2").vs_reference["field-match:exact"].micro.delta, 4)
    assert "delta_micro_f1/real-only" not in metrics  # the reference round itself
    assert metrics["best_micro_f1"] == round(expected.micro.f1, 4)
    assert parent.data.params["best_round"] == "synth-2"
    assert re.fullmatch(rf"tiny \d{{4}}-\d{{2}}-\d{{2}} {result.manifest_hash[:8]}",
                        parent.info.run_name)
    note = parent.data.tags["mlflow.note.content"]
    real_only = out.result.round("real-only")  # 12 real train documents, 2 of them dev
    assert f"real-only ({real_only.n_train_real} real + 0 synthetic)" in note
    assert real_only.n_train_real == 10 and "best round **synth-2**" in note
    assert "Selected trial" in synth.data.tags["mlflow.note.content"]
    exp = client.get_experiment(parent.info.experiment_id)
    assert exp.tags["mlflow.experimentKind"] == "custom_model_development"
    view = json.loads(exp.tags["mlflow.sharedViewState.leasebench"])
    assert "metrics.`micro_f1/synth-2`" in view["selectedColumns"]
    assert view["columnOrder"][:2] == ["attributes.`Run Name`", "duration"]
    assert view["columnWidths"]["attributes.`Run Name`"] >= 8 * len(parent.info.run_name)
    # durations from the stage log: a round spans its stages, inside the parent's span
    stages = {t["stage"]: t for t in json.loads((out.run_dir / "run.json").read_text())["stages"]}
    extract = stages["extract-b2"]
    assert synth.info.end_time == int(1000 * extract["ended_at"])
    assert synth.info.start_time == int(1000 * stages["train-b2-t0"]["started_at"])
    assert parent.info.start_time <= synth.info.start_time <= synth.info.end_time
    assert synth.info.end_time <= parent.info.end_time
    artifacts = {a.path for a in client.list_artifacts(parent.info.run_id, "report")}
    assert "report/report.json" in artifacts
    assert [a.path for a in client.list_artifacts(synth.info.run_id, "predictions")] == [
        "predictions/synth-2.jsonl"]


def test_cached_rerun_reuses_the_parent_run(manifest, tmp_path):
    uri = f"sqlite:///{tmp_path / 'ml.db'}"
    kwargs = {"runs_dir": tmp_path / "runs", "quiet": True, "mlflow": True, "tracking_uri": uri}
    run_experiment(manifest, **kwargs)
    run_experiment(manifest, **kwargs)
    client = MlflowClient(tracking_uri=uri)
    assert len(_runs(client, "experiment")) == 1
    assert len(_runs(client, "round")) == 3
    assert len(client.search_model_versions("name = 'leasebench-tiny'")) == 3


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def mlflow_server(tmp_path: Path) -> Iterator[str]:
    """A real ``mlflow server`` on a free loopback port; its URL. Always stopped after."""
    port = _free_port()
    mlflow_bin = Path(sys.executable).with_name("mlflow")
    log_path = tmp_path / "mlflow-server.log"
    url = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log, running(
        [str(mlflow_bin), "server", "--host", "127.0.0.1", "--port", str(port),
         "--backend-store-uri", f"sqlite:///{tmp_path / 'server.db'}",
         "--default-artifact-root", str(tmp_path / "artifacts"), "--workers", "1"],
        stdout=log, stderr=subprocess.STDOUT,
    ) as server:
        wait_healthy(f"{url}/health", server, log_path, what="mlflow server")
        yield url


@pytest.mark.slow
def test_logs_to_a_real_mlflow_server_over_http(manifest, tmp_path, mlflow_server):
    url = mlflow_server
    out = run_experiment(manifest, runs_dir=tmp_path / "runs", quiet=True, mlflow=True,
                         tracking_uri=url)
    client = MlflowClient(tracking_uri=url)
    assert len(_runs(client, "round")) == 3
    (parent,) = _runs(client, "experiment")
    page = experiment_url(url, parent.info.run_id)
    assert page is not None and f"/#/experiments/{parent.info.experiment_id}/runs?" in page
    if find_chromium() is None:
        pytest.skip("chromium not installed (apt-get install -y chromium): runs table "
                    "not checked in a browser")
    # the experiment opens on the runs table, the parent's headline in its columns
    dom = render_dom(page, timeout=120, budget_ms=30_000, width=2400).dom
    assert parent.info.run_name in dom
    for column in ("best_micro_f1", "micro_f1/real-only", "delta_micro_f1/synth-2"):
        assert column in dom, column
    best = out.result.round("synth-2").scores["field-match:exact"].micro.f1
    assert f"{best:.4f}".rstrip("0") in dom
    assert "Run Name" in dom and "matching runs" in dom  # the runs table, not Overview
    png = screenshot(page, tmp_path / "runs.png", 1800, 900, timeout=120, budget_ms=30_000)
    assert png.stat().st_size > 20_000


def test_trainer_curves_become_metric_histories(manifest, tmp_path, monkeypatch):
    from leasebench.pattern.components import PatternTrainer

    real_train = PatternTrainer.train

    def with_curves(self, train, eval, ctx):
        model = real_train(self, train, eval, ctx)
        model.metadata["curves"] = [{"step": s, "train_loss": 1.0 / s} for s in (1, 2, 3)]
        return model

    monkeypatch.setattr(PatternTrainer, "train", with_curves)
    uri = f"sqlite:///{tmp_path / 'ml.db'}"
    out = run_experiment(manifest, runs_dir=tmp_path / "runs", quiet=True, mlflow=True,
                         tracking_uri=uri)
    assert out.result.rounds[0].trials[0].curves[2] == {"step": 3.0, "train_loss": 1 / 3}
    client = MlflowClient(tracking_uri=uri)
    trial = _runs(client, "trial")[0]
    history = client.get_metric_history(trial.info.run_id, "train/loss")
    assert [(m.step, m.value) for m in history] == [(1, 1.0), (2, 0.5), (3, 1 / 3)]


@pytest.mark.slow
def test_the_run_says_how_to_open_a_local_store_and_the_command_serves_it(manifest, tmp_path):
    """`leasebench run` ends with the command that serves its local store and the URL of
    the experiment's runs table; running that command (on a free port) serves the run."""
    import shlex
    import urllib.request

    uri = f"sqlite:///{tmp_path / 'my store' / 'ml.db'}"
    (tmp_path / "my store").mkdir()
    res = subprocess.run([sys.executable, "-m", "leasebench", "run", str(manifest),
                          "--runs-dir", str(tmp_path / "runs"), "--mlflow", "--tracking-uri",
                          uri, "-q"], capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    command = next(line for line in lines if line.startswith("Open in MLflow: "))
    command = command.removeprefix("Open in MLflow: ")
    then = lines[lines.index(f"Open in MLflow: {command}") + 1]
    client = MlflowClient(tracking_uri=uri)
    (parent,) = _runs(client, "experiment")
    assert shlex.split(command) == ["mlflow", "ui", "--backend-store-uri", uri]
    assert then == (f"  then http://127.0.0.1:5000/#/experiments/{parent.info.experiment_id}"
                    "/runs?viewStateShareKey=leasebench&workflowType=machine_learning")
    port = _free_port()
    log_path = tmp_path / "ui.log"
    argv = [str(Path(sys.executable).with_name("mlflow")), *shlex.split(command)[1:],
            "--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
    with log_path.open("wb") as log, running(argv, stdout=log,
                                             stderr=subprocess.STDOUT) as server:
        base = f"http://127.0.0.1:{port}"
        wait_healthy(f"{base}/health", server, log_path, what="mlflow ui")
        api = (f"{base}/api/2.0/mlflow/experiments/get?experiment_id="
               f"{parent.info.experiment_id}")
        with urllib.request.urlopen(api, timeout=30) as reply:
            exp = json.load(reply)["experiment"]
    assert exp["name"] == "tiny"
    assert {"key": "mlflow.experimentKind", "value": "custom_model_development"} in exp["tags"]
