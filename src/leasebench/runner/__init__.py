"""The runner: a manifest executed as cached, resumable stages."""

from __future__ import annotations

from .run import RunOutcome, run_experiment

__all__ = ["RunOutcome", "run_experiment"]
