"""How much memory the machine can give, and whether parallel work fits in it."""

from __future__ import annotations

import os
from collections.abc import Sequence

from ..components import Executor

HEADROOM = 0.8  # share of the available memory parallel work may plan to use


def available_bytes() -> int | None:
    """Memory the kernel says can be had without swapping (``MemAvailable``), or None."""
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - no sysconf
        return None


def fits_at_once(estimates: Sequence[int | None], parallel: int,
                 available: int | None = None) -> bool:
    """Whether the ``parallel`` largest of ``estimates`` (bytes; None: unknown, taken as
    small) fit in ``HEADROOM`` of the available memory at the same time."""
    known = sorted((e for e in estimates if e), reverse=True)[: max(1, parallel)]
    if not known:
        return True
    free = available_bytes() if available is None else available
    return free is None or sum(known) <= HEADROOM * free


def running_at_once(executor: Executor, calls: int) -> int:
    """How many of ``calls`` independent calls ``executor`` runs at the same time: one
    when it gives each every core (``threads`` 0), else the usable cores over each call's
    share."""
    from .processes import usable_cores

    threads = executor.threads(calls)
    return 1 if not threads else max(1, min(calls, usable_cores() // threads))


def gib(n: float) -> str:
    return f"{n / 2**30:.1f} GiB"


__all__ = ["HEADROOM", "available_bytes", "fits_at_once", "gib", "running_at_once"]
