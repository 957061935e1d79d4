"""What the machine can hold: checked before the first stage, not found by a failed allocation.

The bootstrap is the one step whose memory grows with a manifest number alone: the paired
intervals keep every replicate's totals for two rounds at once, measured at about 125
bytes per iteration and field (160 counted here), plus a block of resampled document
indices (``CHUNK`` replicates x documents). ``bootstrap_problem`` compares that with the
memory available now and names the key when it does not fit.
"""

from __future__ import annotations

import os
from pathlib import Path

PER_ITERATION_FIELD = 160
"""Bytes per bootstrap iteration and field (measured: about 125 for a paired comparison)."""
PER_CHUNK_DOCUMENT = 32 * 250
"""Bytes per hold-out document for one block of 250 resampled replicates."""
SHARE = 0.8
"""The largest share of the available memory one step may plan to use."""


def available_bytes() -> int | None:
    """Memory available to a new allocation now (``MemAvailable``), else physical memory."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def bootstrap_bytes(iterations: int, fields: int, documents: int = 0) -> int:
    """About the peak memory of a paired bootstrap comparison."""
    return iterations * max(1, fields) * PER_ITERATION_FIELD + documents * PER_CHUNK_DOCUMENT


def gib(n: float) -> str:
    return f"{n / 2**30:,.1f} GiB"


def bootstrap_problem(iterations: int, fields: int, documents: int = 0,
                      available: int | None = None) -> str | None:
    """A located problem when ``stats.bootstrap`` would not fit in memory, else None."""
    need = bootstrap_bytes(iterations, fields, documents)
    have = available_bytes() if available is None else available
    if have is None or need <= have * SHARE:
        return None
    return (f"stats.bootstrap: {iterations:,} iterations over {fields} field(s) need about "
            f"{gib(need)} of memory and this machine has {gib(have)} available; lower "
            f"stats.bootstrap (intervals settle by a few thousand)")


__all__ = ["available_bytes", "bootstrap_bytes", "bootstrap_problem"]
