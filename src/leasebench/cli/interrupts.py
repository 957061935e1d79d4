"""Ctrl-C and SIGTERM during ``leasebench run``: stop soon, say what was kept, never hang.

The first SIGINT or SIGTERM raises ``Interrupted`` (a ``KeyboardInterrupt``) in the main
thread: the stage in progress stops (worker processes are killed, LLM requests cancelled
with their connections closed), every finished item stays checkpointed, and the command
prints one line saying what was kept and how to resume (exit code 130, or 143 for
SIGTERM). A second signal, or a clean-up that takes longer than ``GRACE_S``, ends the
process at once: worker processes, the forkserver and a Spark JVM end with it (they
watch the run's process).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType

GRACE_S = 30.0
SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    """The run was asked to stop by ``signum``."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def _now(signum: int, why: str) -> None:
    with contextlib.suppress(Exception):
        sys.stderr.write(f"\n{why}: stopping now (finished items are kept; run the same "
                         "command to resume)\n")
        sys.stderr.flush()
    os._exit(128 + signum)


def leave(code: int) -> None:
    """End the process now with ``code``, output flushed: after an interrupt, nothing
    (interpreter shutdown, a library's exit handler, a late second signal) may hang it."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """Handle SIGINT and SIGTERM as above while the block runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    first: list[int] = []
    timers: list[threading.Timer] = []

    def handle(signum: int, frame: FrameType | None) -> None:
        if first:
            _now(signum, f"{signal.Signals(signum).name} again")
        first.append(signum)
        timer = threading.Timer(GRACE_S, _now, (signum, f"still stopping after {GRACE_S:g} s"))
        timer.daemon = True
        timer.start()
        timers.append(timer)
        raise Interrupted(signum)

    previous = {sig: signal.signal(sig, handle) for sig in SIGNALS}
    try:
        yield
    finally:
        for timer in timers:
            timer.cancel()
        if not first:  # after an interrupt, a second signal still ends the process at once
            for sig, old in previous.items():
                signal.signal(sig, old)


__all__ = ["GRACE_S", "Interrupted", "interruptible", "leave"]
