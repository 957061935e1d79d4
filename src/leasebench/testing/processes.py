"""Child processes in tests that always stop: terminate, then kill after a short wait.

``running(cmd)`` starts ``cmd`` in its own session (so a server's workers go with it) and,
however the ``with`` block ends, stops the whole process group; ``stop_process`` does the
stopping for a process started elsewhere. Neither ever raises: a test's teardown must not
fail (or hang) because a child was slow to exit on a loaded machine.

    with running([sys.executable, "-m", "mlflow", "server", ...]) as server:
        ...  # use it
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

GRACE_S = 5.0


def _signal_group(proc: subprocess.Popen[Any], sig: signal.Signals) -> None:
    """Send ``sig`` to ``proc``'s process group when it leads one, else to ``proc``."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if os.getpgid(proc.pid) == proc.pid:
            os.killpg(proc.pid, sig)
            return
    with contextlib.suppress(ProcessLookupError):
        proc.send_signal(sig)


def stop_process(proc: subprocess.Popen[Any], grace_s: float = GRACE_S) -> int | None:
    """Stop ``proc`` (and its group): SIGTERM, SIGKILL after ``grace_s``; its exit code.

    Never raises; ``None`` only if even SIGKILL did not end it within ``grace_s``.
    """
    try:
        if proc.poll() is None:
            _signal_group(proc, signal.SIGTERM)
            try:
                proc.wait(grace_s)
            except subprocess.TimeoutExpired:
                _signal_group(proc, signal.SIGKILL)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(grace_s)
    except Exception:  # teardown must never fail
        pass
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        if stream is not None:
            with contextlib.suppress(Exception):
                stream.close()
    return proc.poll()


@contextlib.contextmanager
def running(
    cmd: Sequence[str], *, grace_s: float = GRACE_S, **popen: Any
) -> Iterator[subprocess.Popen[Any]]:
    """Run ``cmd`` (``subprocess.Popen`` keywords allowed) in a new session; stop it on exit."""
    popen.setdefault("start_new_session", True)
    proc = subprocess.Popen(list(cmd), **popen)
    try:
        yield proc
    finally:
        stop_process(proc, grace_s)


class DidNotStart(RuntimeError):
    """A server process exited, or did not answer its health URL in time."""


def wait_healthy(
    url: str, proc: subprocess.Popen[Any], log: Path, *, timeout_s: float = 120.0,
    what: str = "server",
) -> None:
    """Poll ``url`` until it answers 200. Raises ``DidNotStart`` (with the tail of ``log``)
    when ``proc`` exits first or ``timeout_s`` passes: set it generously, a cold start on
    a loaded machine is slow."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            tail = log.read_bytes()[-4000:].decode("utf-8", "replace")
            raise DidNotStart(f"{what} did not start (exit code {proc.poll()}):\n{tail}")
        time.sleep(0.3)


__all__ = ["GRACE_S", "DidNotStart", "running", "stop_process", "wait_healthy"]
