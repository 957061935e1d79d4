"""``run.json``: what produced a run (versions, plugins, git SHA, seeds, stage timings,
the CRF tagger in use)."""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

from .. import __version__
from ..crf.status import tagger_status
from ..io import atomic_write_text


def git_sha(directory: Path) -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=directory, capture_output=True, text=True,
            timeout=5, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def write_run_json(path: Path, **fields: Any) -> None:
    meta = {
        "leasebench_version": __version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "crf_tagger": tagger_status(),
        **fields,
    }
    atomic_write_text(path, json.dumps(meta, indent=2, sort_keys=True, default=str) + "\n")


__all__ = ["git_sha", "write_run_json"]
