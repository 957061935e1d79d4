"""Reporter ``json``: the whole ``RunResult`` as JSON, validated against the shipped schema.

Also writes outcomes.json (per-document outcomes of every round and scorer) when the
result carries them, so ``leasebench report`` can run paired tests across runs, and
timing.json (each round's measured latency and time-priced costs, which vary between
identical runs and so stay out of report.json).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar

from ..components import NoParams, Reporter
from ..io import atomic_write_text
from ..results import RunResult
from .outcomes_io import OUTCOMES_FILE, dump_outcomes
from .report_schema import validate_report

TIMING_FILE = "timing.json"


def report_json(result: RunResult) -> str:
    """report.json text: deterministic for identical runs (no timestamps, no paths)."""
    return result.model_dump_json(indent=2) + "\n"


class JsonReporter(Reporter[NoParams]):
    """The run's results as one JSON document (report.json) plus outcomes.json."""

    name: ClassVar[str] = "json"
    version: ClassVar[str] = "3"

    def report(self, result: RunResult, out_dir: Path) -> list[Path]:
        text = report_json(result)
        validate_report(json.loads(text))
        path = out_dir / "report.json"
        atomic_write_text(path, text)
        files = [path]
        if result.timing:
            files.append(out_dir / TIMING_FILE)
            atomic_write_text(files[-1], json.dumps(
                {name: t.model_dump(mode="json") for name, t in result.timing.items()},
                indent=2) + "\n")
        outcomes = getattr(result, "outcomes", None)
        if outcomes:
            files.append(out_dir / OUTCOMES_FILE)
            atomic_write_text(files[-1], dump_outcomes(outcomes))
        return files


__all__ = ["TIMING_FILE", "JsonReporter", "report_json"]
