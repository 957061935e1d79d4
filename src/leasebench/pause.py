"""A test hook: stop a real process at a named point so a test can kill it there.

With ``LEASEBENCH_PAUSE_AT=<point>`` in the environment, ``pause_point(<point>)`` prints
``leasebench: paused at <point>`` to stderr and sleeps ``LEASEBENCH_PAUSE_SECONDS``
(default an hour), then carries on. Without the variable it does nothing. Tests use it
to SIGKILL a run at an exact moment (inside MLflow logging, while holding the lock).
"""

from __future__ import annotations

import os
import sys
import time

PAUSE_ENV = "LEASEBENCH_PAUSE_AT"


def pause_point(name: str) -> None:
    if os.environ.get(PAUSE_ENV) != name:
        return
    sys.stderr.write(f"leasebench: paused at {name}\n")
    sys.stderr.flush()
    time.sleep(float(os.environ.get("LEASEBENCH_PAUSE_SECONDS", "3600")))


__all__ = ["PAUSE_ENV", "pause_point"]
