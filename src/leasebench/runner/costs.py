"""Cost and latency of a round: inference from its predictions, training from what the
trainers reported, priced with the arm's hourly and per-token prices.

Trainers report what a training used in ``ModelRef.metadata["training"]``:
``{"tokens": int, "seconds": float, "device": "cpu" | "gpu", "cost": float}`` (every key
optional; ``cost`` is money a service billed). The runner keeps the seconds in the
stage's ``_stage.json`` (they vary between runs) and hands these functions the reports
with their seconds. See docs/metrics.md, "Cost and latency".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..manifest.arms import PricingSpec
from ..records import Prediction
from ..results import RoundTiming, TrainingUsage


def _number(x: object) -> float:
    return float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else 0.0


def training_usage(
    reports: Sequence[dict[str, Any]], pricing: PricingSpec
) -> TrainingUsage:
    """Trainings, tokens and money (billed, plus tokens at the per-1,000-token price)."""
    tokens = int(sum(_number(r.get("tokens")) for r in reports))
    cost = sum(_number(r.get("cost")) for r in reports)
    if pricing.train_per_1k_tokens is not None:
        cost += tokens / 1000 * pricing.train_per_1k_tokens
    return TrainingUsage(trainings=len(reports), tokens=tokens, cost=round(cost, 6))


def round_timing(
    predictions: Sequence[Prediction], reports: Sequence[dict[str, Any]],
    training: TrainingUsage, pricing: PricingSpec,
) -> RoundTiming:
    """Latency percentiles, documents/s and the time-priced training and serving costs."""
    latencies = np.array([p.latency_s for p in predictions if p.latency_s is not None])
    timing = RoundTiming()
    if latencies.size:
        timing.latency_p50_s = float(np.percentile(latencies, 50))
        timing.latency_p95_s = float(np.percentile(latencies, 95))
        total = float(latencies.sum())
        timing.docs_per_s = latencies.size / total if total > 0 else None
    seconds = [_number(r.get("seconds")) for r in reports if "seconds" in r]
    if seconds:
        timing.train_seconds = round(sum(seconds), 3)
        devices = sorted({str(r["device"]) for r in reports if r.get("device")})
        timing.train_device = "/".join(devices) or None
    if reports:
        cost = training.cost
        if pricing.train_per_hour is not None and timing.train_seconds is not None:
            cost += timing.train_seconds / 3600 * pricing.train_per_hour
        priced = pricing.train_per_hour is not None or pricing.train_per_1k_tokens is not None
        timing.train_cost = round(cost, 6) if priced or training.cost else None
    served = [p for p in predictions if p.error is None]
    token_cost = sum(p.usage.cost for p in served)
    per_1k = token_cost / len(served) * 1000 if served and token_cost else None
    if pricing.serve_per_hour is not None and latencies.size:
        hourly = float(latencies.mean()) / 3600 * pricing.serve_per_hour * 1000
        per_1k = (per_1k or 0.0) + hourly
    timing.serve_cost_per_1k_docs = None if per_1k is None else round(per_1k, 6)
    return timing


__all__ = ["round_timing", "training_usage"]
