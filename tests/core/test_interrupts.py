"""Ctrl-C, SIGTERM and SIGKILL of a real ``leasebench run``, under every executor.

The run is stopped while a map stage's batch is in progress (``LEASEBENCH_PAUSE_AT=
map-batch`` holds it there, in whichever process runs the batch: the run's own, a
worker, a Spark Python worker). Afterwards no process of the run's session may be left:
workers, the forkserver, the resource tracker, a JVM, Spark's Python daemon.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from leasebench.corpus import lease_dataset
from leasebench.io import write_jsonl
from leasebench.testing.processes import stop_process

PAUSED = b"leasebench: paused at map-batch"
# a JVM and Spark's Python daemon take ~20 s per test: what they exercise of the interpreter
# the quicker Spark tests exercise too, so these run on py311 only (tox.ini)
SPARK = pytest.param("spark", marks=pytest.mark.slow)
EXECUTORS = {
    "local": {"name": "local"},
    "processes": {"name": "processes", "params": {"workers": 2, "min_items": 1}},
    "spark": {"name": "spark", "params": {"master": "local[2]", "partition_items": 10}},
}


def group(sid: int) -> list[str]:
    """``pid cmdline`` of every live process in session ``sid`` (the run starts one; Spark's
    Python daemon moves to a process group of its own, never out of the session)."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2:].split()
            if int(fields[3]) != sid or fields[0] == "Z":
                continue
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()[:120]
        except (OSError, ValueError, IndexError):
            continue
        out.append(f"{entry.name} {cmd}")
    return out


def survivors(sid: int, wait_s: float = 15.0) -> list[str]:
    """The session's processes still alive after up to ``wait_s`` seconds (then killed,
    so a failing test leaves nothing behind)."""
    deadline = time.monotonic() + wait_s
    while (left := group(sid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    for line in left:
        with contextlib.suppress(OSError, ValueError):
            os.kill(int(line.split()[0]), signal.SIGKILL)
    return left


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("interrupts")
    train, holdout = lease_dataset(12, 40, 5)
    write_jsonl(root / "train.jsonl", train)
    write_jsonl(root / "holdout.jsonl", holdout)
    return root


def start(data: Path, tmp_path: Path, executor: str) -> tuple[subprocess.Popen[bytes], Path]:
    manifest = {"name": "stop-me", "seed": 3,
                "data": {"train": str(data / "train.jsonl"),
                         "holdout": str(data / "holdout.jsonl")},
                "trainer": {"name": "pattern"}, "executor": EXECUTORS[executor],
                "rounds": [{"name": "r", "synthetic_batches": 0}],
                "tracking": {"mlflow": False}}
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(manifest))
    env = {**os.environ, "LEASEBENCH_PAUSE_AT": "map-batch", "LEASEBENCH_PAUSE_SECONDS": "600"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "leasebench", "run", str(path), "--runs-dir",
         str(tmp_path / "runs"), "--no-mlflow"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, start_new_session=True)
    return proc, path


def wait_paused(proc: subprocess.Popen[bytes], timeout_s: float = 240) -> bytes:
    """stderr up to the pause line (the batch is in progress); fails if the run ends."""
    assert proc.stderr is not None
    seen = b""
    deadline = time.monotonic() + timeout_s
    os.set_blocking(proc.stderr.fileno(), False)
    while PAUSED not in seen:
        chunk = proc.stderr.read()
        if chunk:
            seen += chunk
        elif proc.poll() is not None or time.monotonic() > deadline:
            stop_process(proc)
            pytest.fail(f"the run did not reach a map batch:\n{seen.decode()[-3000:]}")
        else:
            time.sleep(0.05)
    return seen


def finish(proc: subprocess.Popen[bytes], seen: bytes, timeout_s: float = 60) -> tuple[int, str]:
    """The exit code and all of stderr; the run must end within ``timeout_s``."""
    assert proc.stderr is not None
    deadline = time.monotonic() + timeout_s
    while proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    code = proc.poll()
    if code is None:
        stop_process(proc)
        pytest.fail(f"the run did not stop within {timeout_s} s")
    os.set_blocking(proc.stderr.fileno(), True)
    return code, (seen + proc.stderr.read()).decode("utf-8", "replace")


def needs(executor: str, request: pytest.FixtureRequest) -> None:
    if not Path("/proc").exists():
        pytest.skip("needs /proc to find survivors")
    if executor == "spark":
        pytest.importorskip("pyspark")
        if shutil.which("java") is None:
            pytest.skip("the spark executor needs Java")


@pytest.mark.parametrize("executor", ["local", "processes", SPARK])
def test_ctrl_c_twice_stops_at_once_and_leaves_no_process(executor, data, tmp_path, request):
    needs(executor, request)
    proc, _ = start(data, tmp_path, executor)
    try:
        seen = wait_paused(proc)
        os.kill(proc.pid, signal.SIGINT)
        time.sleep(0.1)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGINT)
        code, err = finish(proc, seen)
    finally:
        stop_process(proc)
    assert code == 130, err
    assert "Traceback" not in err and "Aborted!" not in err
    assert survivors(proc.pid) == []


@pytest.mark.parametrize("executor", ["local", "processes", SPARK])
def test_sigterm_stops_with_one_line_and_leaves_no_process(executor, data, tmp_path, request):
    needs(executor, request)
    proc, _ = start(data, tmp_path, executor)
    try:
        seen = wait_paused(proc)
        os.kill(proc.pid, signal.SIGTERM)
        code, err = finish(proc, seen)
    finally:
        stop_process(proc)
    assert code == 143, err
    lines = [ln for ln in err.splitlines() if ln.startswith("Interrupted")]
    assert len(lines) == 1 and "SIGTERM" in lines[0] and "run the same command" in lines[0], err
    assert "kept in" in lines[0] and "Traceback" not in err, err
    assert survivors(proc.pid) == []


def test_ctrl_c_says_what_was_kept_and_the_same_command_resumes(data, tmp_path, request):
    needs("processes", request)
    proc, path = start(data, tmp_path, "processes")
    try:
        seen = wait_paused(proc)
        started = time.monotonic()
        os.kill(proc.pid, signal.SIGINT)
        code, err = finish(proc, seen)
        stopped_in = time.monotonic() - started
    finally:
        stop_process(proc)
    assert code == 130 and "Traceback" not in err and "KeyboardInterrupt" not in err, err
    [line] = [ln for ln in err.splitlines() if ln.startswith("Interrupted")]
    assert "(SIGINT)" in line and "finished stage(s)" in line and "run the same command" in line
    assert stopped_in < 30  # the workers' batches are not waited for (they sleep 600 s)
    assert survivors(proc.pid) == []
    done = subprocess.run([sys.executable, "-m", "leasebench", "run", str(path), "--runs-dir",
                           str(tmp_path / "runs"), "--no-mlflow", "-q"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(("executor", "helper"), [
    ("processes", "forkserver"), pytest.param("spark", "pyspark.daemon", marks=pytest.mark.slow)])
def test_sigkill_of_the_run_leaves_no_process(executor, helper, data, tmp_path, request):
    """No worker, forkserver, resource tracker, JVM or Spark Python daemon outlives it."""
    needs(executor, request)
    proc, _ = start(data, tmp_path, executor)
    try:
        wait_paused(proc)
        members = group(proc.pid)
        assert any(helper in m for m in members), members  # the batch runs in one
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
    finally:
        stop_process(proc)
    assert survivors(proc.pid) == []


def test_ctrl_c_during_llm_calls_closes_their_connections(data, tmp_path, lb_llm_server,
                                                          request):
    needs("local", request)
    from leasebench.testing.llm_server import Reply

    srv = lb_llm_server(lambda body, req: Reply(content="{}", delay=120.0))
    endpoint = {"base_url": srv.url, "model": "m", "api_key_env": None, "concurrency": 4}
    manifest = {"name": "llm-stop", "seed": 3,
                "data": {"train": str(data / "train.jsonl"),
                         "holdout": str(data / "holdout.jsonl")},
                "extractors": {"llm": {"name": "llm", "params": {"endpoint": endpoint}}},
                "rounds": [{"name": "prompted", "extractor": "llm"}],
                "tracking": {"mlflow": False}}
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(manifest))
    proc = subprocess.Popen(
        [sys.executable, "-m", "leasebench", "run", str(path), "--runs-dir",
         str(tmp_path / "runs"), "--no-mlflow"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while not srv.requests and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert srv.requests, "no request reached the server"
        os.kill(proc.pid, signal.SIGINT)
        code, err = finish(proc, b"")
    finally:
        stop_process(proc)
    assert code == 130 and "Traceback" not in err, err
    assert survivors(proc.pid) == []
    deadline = time.monotonic() + 10
    while any(r.disconnected is None for r in srv.requests) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(r.disconnected is not None for r in srv.requests)  # the server can stop
