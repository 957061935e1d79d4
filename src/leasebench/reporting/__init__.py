"""Run results and the built-in reporters."""

from __future__ import annotations

from ..results import FunnelBatch, RoundResult, RunResult, TrialResult

__all__ = ["FunnelBatch", "RoundResult", "RunResult", "TrialResult"]
