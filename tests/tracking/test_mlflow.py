"""MLflow tracking against a real local store and a real ``mlflow server`` on loopback."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from mlflow.tracking import MlflowClient

from leasebench.runner import run_experiment

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "fixtures" / "tiny", tmp_path / "tiny")
    (tmp_path / "manifests").mkdir()
    target = tmp_path / "manifests" / "tiny.yaml"
    shutil.copy(ROOT / "fixtures" / "manifests" / "tiny.yaml", target)
    return target


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
    assert len(trials) == 2 and all("eval_f1" in t.data.metrics for t in trials)
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_logs_to_a_real_mlflow_server_over_http(manifest, tmp_path):
    port = _free_port()
    mlflow_bin = Path(sys.executable).with_name("mlflow")
    server = subprocess.Popen(
        [str(mlflow_bin), "server", "--host", "127.0.0.1", "--port", str(port),
         "--backend-store-uri", f"sqlite:///{tmp_path / 'server.db'}",
         "--default-artifact-root", str(tmp_path / "artifacts"), "--workers", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("mlflow server did not start: " + server.stderr.read1(4000).decode())
        run_experiment(manifest, runs_dir=tmp_path / "runs", quiet=True, mlflow=True,
                       tracking_uri=url)
        client = MlflowClient(tracking_uri=url)
        assert len(_runs(client, "round")) == 3
    finally:
        server.terminate()
        server.wait(timeout=30)


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
    history = client.get_metric_history(trial.info.run_id, "train_loss")
    assert [(m.step, m.value) for m in history] == [(1, 1.0), (2, 0.5), (3, 1 / 3)]
