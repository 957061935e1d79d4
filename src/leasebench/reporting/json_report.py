"""Reporter ``json``: the whole ``RunResult`` as JSON."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from ..components import Reporter
from ..io import atomic_write_text
from .results import RunResult


class JsonReporter(Reporter):
    """The run's results as one JSON document (report.json)."""

    name: ClassVar[str] = "json"
    version: ClassVar[str] = "1"

    def report(self, result: RunResult, out_dir: Path) -> list[Path]:
        path = out_dir / "report.json"
        atomic_write_text(path, result.model_dump_json(indent=2) + "\n")
        return [path]


__all__ = ["JsonReporter"]
