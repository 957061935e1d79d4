"""One run per experiment directory, with real processes: exit 2 naming the holder, or
``--wait``; a lock left by a killed run is taken over; concurrent runs do nothing twice."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from leasebench.locks import lock_holder


def _items_lines(runs: Path) -> dict[str, list[str]]:
    return {str(p.relative_to(runs)): p.read_text().splitlines()
            for p in runs.glob("*/stages/*/items.jsonl")}


def test_second_run_exits_2_naming_the_holder_and_a_killed_holder_is_taken_over(
        procs, tiny, tmp_path):
    runs = tmp_path / "runs"
    args = ("run", str(tiny), "--runs-dir", str(runs), "-q", "--no-mlflow")
    holder = procs.start(*args, name="holder", LEASEBENCH_PAUSE_AT="locked")
    holder.wait_for("paused at locked")
    info = lock_holder(runs / "tiny")
    assert info is not None and info["pid"] == holder.pid

    second = procs.run(*args, name="second")
    assert second.popen.returncode == 2
    err = second.stderr()
    assert f"PID {holder.pid} on {socket.gethostname()}, started " in err
    assert "--wait" in err and "Traceback" not in err
    assert not list(runs.glob("tiny/stages/*")), "the refused run wrote stages"

    holder.kill()  # SIGKILL: the lock file still names it, but nobody holds the lock
    assert json.loads((runs / "tiny" / ".lock").read_text())["pid"] == holder.pid
    assert lock_holder(runs / "tiny") is None
    third = procs.run(*args, name="third")
    assert third.popen.returncode == 0, third.stderr()
    assert f"taking over the lock of {runs / 'tiny'} left by a run that is gone: PID " \
           f"{holder.pid}" in third.stderr()
    assert (runs / "tiny" / ".lock").read_text() == ""


def test_wait_queues_behind_the_running_one_which_does_the_work_once(procs, tiny, tmp_path):
    runs = tmp_path / "runs"
    args = ("run", str(tiny), "--runs-dir", str(runs), "-q", "--no-mlflow")
    first = procs.start(*args, name="first", LEASEBENCH_PAUSE_AT="locked",
                        LEASEBENCH_PAUSE_SECONDS="4")
    first.wait_for("paused at locked")
    second = procs.start(*args, "--wait", name="second")
    second.wait_for("waiting for the run holding")
    assert f"PID {first.pid}" in second.stderr()
    assert first.wait() == 0, first.stderr()
    assert second.wait() == 0, second.stderr()
    assert "re-executed no stage (all cached)" in second.stdout()


def test_simultaneous_runs_never_duplicate_work(procs, tiny, tmp_path):
    """Two runs started together with --wait: one does every stage, the other none."""
    runs = tmp_path / "runs"
    args = ("run", str(tiny), "--runs-dir", str(runs), "-q", "--no-mlflow", "--wait")
    a, b = procs.start(*args, name="a"), procs.start(*args, name="b")
    assert a.wait() == 0, a.stderr()
    assert b.wait() == 0, b.stderr()
    cached = ["re-executed no stage" in p.stdout() for p in (a, b)]
    assert sorted(cached) == [False, True]
    for name, lines in _items_lines(runs).items():
        ids = [json.loads(line).get("id") or json.loads(line).get("record_id")
               for line in lines]
        assert len(ids) == len(set(ids)), f"duplicate checkpoint lines in {name}"
    stage_dirs = [p.name for p in (runs / "tiny" / "stages").iterdir()]
    assert all((runs / "tiny" / "stages" / d / "_stage.json").exists() for d in stage_dirs)
    names = sorted(d.rsplit("-", 1)[0] for d in stage_dirs)
    assert len(names) == len(set(names)), f"a stage ran twice: {names}"
