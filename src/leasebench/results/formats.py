"""Format versions of report.json and outcomes.json, and reading older files.

Both files carry ``format_version``. A file without one was written before versions
existed: it is format 1 (the same shape otherwise). Readers pass the parsed JSON through
``upgrade_report`` / ``upgrade_outcomes``, which bring an older file up to the current
format step by step; a file from a newer leasebench is a ``DataError`` saying so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..errors import DataError

REPORT_FORMAT = 2
OUTCOMES_FORMAT = 2

Step = Callable[[dict[str, Any]], dict[str, Any]]


def _stamped(data: dict[str, Any]) -> dict[str, Any]:
    """Format 1 -> 2: the same content, now saying its format."""
    return {"format_version": 2, **data}


# version -> the step that turns a file of that version into the next one
REPORT_STEPS: Mapping[int, Step] = {1: _stamped}
OUTCOMES_STEPS: Mapping[int, Step] = {1: _stamped}


def file_format(data: Any, what: str, path: Path | str, current: int) -> int:
    """The format version ``data`` (a parsed ``what`` file) says it has."""
    if not isinstance(data, dict):
        raise DataError(f"{path}: not a {what} (a JSON object expected)")
    version = data.get("format_version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise DataError(f"{path}: format_version {version!r} is not a {what} format "
                        "(a whole number from 1)")
    if version > current:
        raise DataError(f"{path}: a {what} of format {version}, written by a newer "
                        f"leasebench (this one reads formats 1 to {current}): upgrade "
                        "leasebench to read it")
    return version


def _upgrade(data: Any, what: str, path: Path | str, current: int,
             steps: Mapping[int, Step]) -> dict[str, Any]:
    version = file_format(data, what, path, current)
    upgraded: dict[str, Any] = data
    while version < current:
        upgraded = steps[version](upgraded)
        version += 1
    return upgraded


def upgrade_report(data: Any, path: Path | str) -> dict[str, Any]:
    """A parsed report.json at the current format."""
    return _upgrade(data, "leasebench report", path, REPORT_FORMAT, REPORT_STEPS)


def upgrade_outcomes(data: Any, path: Path | str) -> dict[str, Any]:
    """A parsed outcomes.json at the current format."""
    return _upgrade(data, "leasebench outcomes file", path, OUTCOMES_FORMAT, OUTCOMES_STEPS)


__all__ = ["OUTCOMES_FORMAT", "REPORT_FORMAT", "file_format", "upgrade_outcomes",
           "upgrade_report"]
