"""MLflow logging is idempotent: a run SIGKILLed while logging leaves a parent run that
the next run completes; two runs creating one new SQLite store at once both succeed."""

from __future__ import annotations

import shutil

import pytest
from mlflow.tracking import MlflowClient


def _runs(uri: str, experiment: str = "tiny") -> dict[str, list]:
    client = MlflowClient(tracking_uri=uri)
    exp = client.get_experiment_by_name(experiment)
    return {level: client.search_runs([exp.experiment_id],
                                      f"tags.`leasebench.level` = '{level}'")
            for level in ("experiment", "round", "trial")}


@pytest.mark.slow
def test_kill_during_logging_then_rerun_completes_the_parent(procs, tiny, tmp_path):
    point = "mlflow-round"  # parent params and one round logged, its trials not yet
    uri = f"sqlite:///{tmp_path / 'ml.db'}"
    args = ("run", str(tiny), "--runs-dir", str(tmp_path / "runs"), "-q", "--mlflow",
            "--tracking-uri", uri)
    killed = procs.start(*args, name="killed", LEASEBENCH_PAUSE_AT=point)
    killed.wait_for(f"paused at {point}")
    killed.kill()
    before = _runs(uri)
    (parent,) = before["experiment"]
    assert parent.info.status == "RUNNING"
    assert len(before["round"]) == 1 and before["round"][0].info.status == "RUNNING"

    again = procs.run(*args, name="again")
    assert again.popen.returncode == 0, again.stderr()
    after = _runs(uri)
    (completed,) = after["experiment"]
    assert completed.info.run_id == parent.info.run_id
    assert completed.info.status == "FINISHED"
    assert completed.data.params["manifest_hash"] == parent.data.tags[
        "leasebench.manifest_hash"]
    rounds = after["round"]
    assert sorted(r.info.run_name for r in rounds) == ["real-only", "synth-1", "synth-2"]
    assert all(r.info.status == "FINISHED" and "micro_f1" in r.data.metrics for r in rounds)
    assert all(r.data.tags["mlflow.parentRunId"] == parent.info.run_id for r in rounds)
    trials = after["trial"]
    assert len(trials) == 6 and all(t.info.status == "FINISHED" for t in trials)
    assert {t.data.tags["mlflow.parentRunId"] for t in trials} == {r.info.run_id
                                                                    for r in rounds}

    third = procs.run(*[a for a in args if a != "-q"], name="third")
    assert third.popen.returncode == 0, third.stderr()
    assert f"reused run {parent.info.run_id}" in third.stderr()
    assert len(_runs(uri)["round"]) == 3


@pytest.mark.slow
def test_two_experiments_creating_one_new_store_at_once(procs, tiny, tmp_path):
    other = tiny.with_name("other.yaml")
    shutil.copy(tiny, other)
    other.write_text(other.read_text().replace("name: tiny", "name: other"))
    uri = f"sqlite:///{tmp_path / 'new.db'}"
    started = [procs.start("run", str(m), "--runs-dir", str(tmp_path / "runs"), "-q",
                           "--mlflow", "--tracking-uri", uri, name=m.stem)
               for m in (tiny, other)]
    for proc in started:
        assert proc.wait() == 0, proc.stderr()
        assert "duplicate column" not in proc.stderr()
    assert len(_runs(uri, "tiny")["experiment"]) == 1
    assert len(_runs(uri, "other")["experiment"]) == 1
