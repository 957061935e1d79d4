"""The built-in reporters and the terminal views; the result models they read live in
``leasebench.results`` (re-exported here)."""

from __future__ import annotations

from ..results import FunnelBatch, RoundResult, RunResult, TrialResult

__all__ = ["FunnelBatch", "RoundResult", "RunResult", "TrialResult"]
