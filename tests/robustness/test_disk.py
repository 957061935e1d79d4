"""A full disk and a read-only runs directory, on a real small tmpfs (root only).

The run stops with exit code 2 naming the path and what to do, no traceback; everything
stored before the failure is kept, so the re-run after freeing space asks the endpoint
only for answers that never reached the disk and ends with the same scores.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from llm.test_run_level import KEY_ENV, handler, write_manifest
from mlflow.tracking import MlflowClient

from .disk_helpers import fill, remount, tmpfs

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                       reason="mounting a tmpfs needs root"),
    pytest.mark.slow,
]


def _scores(runs: Path) -> dict:
    (report,) = runs.glob("*/*/report/report.json")
    data = json.loads(report.read_text())
    return {r["name"]: r["scores"] for r in data["rounds"]}


def _cached_answers(runs: Path) -> int:
    dbs = list(runs.glob("*/cache/*.sqlite"))
    if not dbs:
        return 0
    with sqlite3.connect(dbs[0]) as db:
        return db.execute("SELECT count(*) FROM responses").fetchone()[0]


def _assert_no_duplicate_checkpoint_lines(runs: Path) -> None:
    for items in runs.glob("*/stages/*/items.jsonl"):
        rows = [json.loads(line) for line in items.read_text().splitlines()]
        ids = [r.get("id") or r.get("record_id") for r in rows]
        assert len(ids) == len(set(ids)), items


def test_disk_full_mid_run_stops_cleanly_and_the_rerun_resumes(procs, lb_llm_server,
                                                               tmp_path):
    srv = lb_llm_server(handler)
    manifest = write_manifest(tmp_path, srv.url, concurrency=1)
    env = {KEY_ENV: "k"}
    ref = procs.run("run", str(manifest), "--runs-dir", str(tmp_path / "ref"), "-q",
                    "--no-mlflow", name="ref", **env)
    assert ref.popen.returncode == 0, ref.stderr()
    paid = len(srv.requests)
    with tmpfs(tmp_path / "fs", 4096) as fs:
        if fs is None:
            pytest.skip("cannot mount a tmpfs here")
        filler = fill(fs, leave_kb=150)  # room for the first stages, not for the run
        runs = fs / "runs"
        full = procs.run("run", str(manifest), "--runs-dir", str(runs), "-q", "--no-mlflow",
                         name="full", **env)
        err = full.stderr()
        assert full.popen.returncode == 2, err
        assert "the disk is full; free some space" in err or "(database or disk is full)" in err
        assert str(runs / "llm-run") in err and "run the same command again" in err
        assert "Traceback" not in err
        first = len(srv.requests) - paid
        kept = _cached_answers(runs)
        assert 0 <= kept <= first < paid + 1

        filler.unlink()
        again = procs.run("run", str(manifest), "--runs-dir", str(runs), "-q", "--no-mlflow",
                          name="again", **env)
        assert again.popen.returncode == 0, again.stderr()
        resumed = len(srv.requests) - paid - first
        assert resumed == paid - kept  # every stored answer reused, nothing asked twice
        assert _scores(runs) == _scores(tmp_path / "ref")
        _assert_no_duplicate_checkpoint_lines(runs)


def test_read_only_runs_dir_is_exit_2_and_works_once_writable(procs, tiny, tmp_path):
    with tmpfs(tmp_path / "fs", 4096) as fs:
        if fs is None:
            pytest.skip("cannot mount a tmpfs here")
        runs = fs / "runs"
        args = ("run", str(tiny), "--runs-dir", str(runs), "-q", "--no-mlflow")
        assert procs.run(*args, name="first").popen.returncode == 0
        remount(fs, "ro")
        try:
            ro = procs.run(*args, "--force", "split", name="ro")
        finally:
            remount(fs, "rw")
        err = ro.stderr()
        assert ro.popen.returncode == 2, err
        assert f"cannot write {runs / 'tiny'}" in err and "read-only" in err
        assert "Traceback" not in err
        assert procs.run(*args, name="rw").popen.returncode == 0


@pytest.mark.slow
def test_mlflow_store_on_a_full_disk_then_completed(procs, tiny, tmp_path):
    with tmpfs(tmp_path / "fs", 3000) as fs:
        if fs is None:
            pytest.skip("cannot mount a tmpfs here")
        uri = f"sqlite:///{fs / 'ml.db'}"
        args = ("run", str(tiny), "--runs-dir", str(tmp_path / "runs"), "-q", "--mlflow",
                "--tracking-uri", uri)
        filler = fill(fs, leave_kb=400)  # the store is created, the logging runs out
        full = procs.run(*args, name="full")
        err = full.stderr()
        assert full.popen.returncode == 2, err
        assert f"MLflow logging: cannot write the SQLite database under {uri}" in err
        assert "disk is full" in err and "The results are complete in" in err
        assert "Traceback" not in err
        filler.unlink()
        assert procs.run(*args, name="again").popen.returncode == 0
        client = MlflowClient(uri)
        exp = client.get_experiment_by_name("tiny")
        (parent,) = client.search_runs(
            [exp.experiment_id], "tags.`leasebench.level` = 'experiment'")
        assert parent.info.status == "FINISHED"
