"""Reading a run's ``report.json`` (and its ``outcomes.json``) back, as untrusted input.

The files are leasebench's own, but a report passed to ``leasebench report`` may come from
anywhere: a path that is a directory, a number too large for a float (``1e999``), or
``NaN``/``Infinity`` is a ``DataError`` naming the file, never a traceback while
rendering. leasebench never writes a non-finite number into these files.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from ..errors import DataError
from ..results import RunResult
from ..results.formats import upgrade_report


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:40]} is out of range")
    return value


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a report holds")


def strict_loads(text: str) -> Any:
    """``json.loads`` refusing non-finite numbers (``ValueError`` naming the value)."""
    return json.loads(text, parse_float=_finite, parse_constant=_constant)


def read_text(path: Path, what: str) -> str:
    """The text of ``path``, or a ``DataError`` saying why it cannot be read."""
    if path.exists() and not path.is_file():
        raise DataError(f"{path}: is a directory or another non-file, not a {what}")
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read the {what} ({exc})") from exc


def read_report(path: Path) -> RunResult:
    """The ``RunResult`` in a ``report.json`` of this or an older format."""
    text = read_text(path, "report")
    try:
        data = strict_loads(text)
    except (ValueError, RecursionError) as exc:
        raise DataError(f"{path}: not a leasebench report ({exc})") from exc
    data = upgrade_report(data, path)
    try:
        return RunResult.model_validate(data)
    except (ValueError, RecursionError) as exc:
        raise DataError(f"{path}: not a leasebench report ({exc})") from exc


__all__ = ["read_report", "read_text", "strict_loads"]
