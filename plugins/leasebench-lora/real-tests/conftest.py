"""The real-model tests run one at a time (each holds a 135M model, about 2 GB).

At the end they print the peak memory they took: the test process, and the largest single
process under it that has ended (a run, one of its workers, the server it starts), so a CI log
says whether a second trial or a server beside them would still fit the machine."""

from __future__ import annotations

import resource
import sys
from typing import Any

GIB_KIB = 1 << 20  # ru_maxrss is in KiB on Linux


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not sys.platform.startswith("linux"):
        return
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / GIB_KIB
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / GIB_KIB
    terminalreporter.write_line(
        f"real-model peak RSS: {own:.2f} GiB in the test process, {child:.2f} GiB in the "
        "largest process under it (a run, a worker, a server)")
