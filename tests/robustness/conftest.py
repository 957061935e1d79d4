"""Real ``leasebench`` subprocesses for process-level tests (locks, kills, disk full)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from leasebench.testing.processes import stop_process

ROOT = Path(__file__).resolve().parents[2]
WAIT_S = 180.0  # generous: CI machines are slow and loaded


class Proc:
    """A ``python -m leasebench ...`` process with its output in files."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str], name: str):
        self.out = cwd / f"{name}.out"
        self.err = cwd / f"{name}.err"
        with self.out.open("w") as out, self.err.open("w") as err:
            self.popen = subprocess.Popen(
                [sys.executable, "-m", "leasebench", *args], cwd=cwd, env=env, stdout=out,
                stderr=err,
            )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def stderr(self) -> str:
        return self.err.read_text(errors="replace")

    def stdout(self) -> str:
        return self.out.read_text(errors="replace")

    def wait_for(self, text: str, timeout: float = WAIT_S) -> None:
        """Until ``text`` shows on stderr; fails if the process ends first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.stderr():
                return
            if self.popen.poll() is not None:
                pytest.fail(f"exited {self.popen.returncode} before {text!r}: {self.stderr()}")
            time.sleep(0.1)
        pytest.fail(f"no {text!r} within {timeout}s: {self.stderr()}")

    def wait(self, timeout: float = WAIT_S) -> int:
        return self.popen.wait(timeout=timeout)

    def kill(self) -> None:
        self.popen.kill()
        self.popen.wait(timeout=WAIT_S)

    def stop(self) -> None:
        """Terminate, then kill after a short wait; never raises."""
        stop_process(self.popen)


class Procs:
    def __init__(self, cwd: Path):
        self.cwd = cwd
        self.started: list[Proc] = []

    def start(self, *args: str, name: str = "p", **env: str) -> Proc:
        full = {**os.environ, "PYTHONHASHSEED": "0", "MLFLOW_TRACKING_URI": "", **env}
        proc = Proc(list(args), self.cwd, full, f"{name}{len(self.started)}")
        self.started.append(proc)
        return proc

    def run(self, *args: str, name: str = "p", **env: str) -> Proc:
        proc = self.start(*args, name=name, **env)
        proc.wait()
        return proc


@pytest.fixture
def procs(tmp_path: Path) -> Iterator[Procs]:
    p = Procs(tmp_path)
    yield p
    for proc in p.started:
        proc.stop()


@pytest.fixture
def tiny(tiny_manifest: Path) -> Path:
    """The tiny manifest and its data copied under ``tmp_path``."""
    return tiny_manifest
