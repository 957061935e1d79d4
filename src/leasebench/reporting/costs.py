"""Cost and latency of a round as reports show them: inference, training, data, serving."""

from __future__ import annotations

from dataclasses import dataclass

from ..results import RoundResult, RoundTiming, RunResult
from .summary import data_usage


@dataclass(frozen=True)
class CostView:
    """What a round cost and how fast it served (``None``: not measured or not priced)."""

    inference_tokens: int
    inference_cost: float
    per_1k_docs: float | None
    latency_p50_ms: float | None
    latency_p95_ms: float | None
    docs_per_s: float | None
    train_tokens: int
    train_seconds: float | None
    train_cost: float | None
    data_cost: float

    @property
    def one_off(self) -> float:
        """Synthetic data plus training: what it cost to produce the arm's model."""
        return self.data_cost + (self.train_cost or 0.0)


def _ms(x: float | None) -> float | None:
    return None if x is None else x * 1000


def cost_view(result: RunResult, r: RoundResult) -> CostView:
    t = result.timing.get(r.name, RoundTiming())
    u = r.usage
    return CostView(
        inference_tokens=u.prompt_tokens + u.completion_tokens, inference_cost=u.cost,
        per_1k_docs=t.serve_cost_per_1k_docs, latency_p50_ms=_ms(t.latency_p50_s),
        latency_p95_ms=_ms(t.latency_p95_s), docs_per_s=t.docs_per_s,
        train_tokens=r.training.tokens, train_seconds=t.train_seconds,
        train_cost=t.train_cost if t.train_cost is not None else (
            r.training.cost or None),
        data_cost=data_usage(result, r).cost,
    )


def resent_sentence(n: int) -> str:
    """What ``n`` re-sent calls mean, in a line of the run's output."""
    return (f"at least {n:,} call{'s' if n != 1 else ''} may have been paid twice (sent "
            "before a run was interrupted, answer lost, sent again)")


def resent_line(result: RunResult) -> str | None:
    """The cost section's sentence on calls that may have been paid twice (None: none)."""
    n = sum(result.resent_calls.values())
    if not n:
        return None
    one = n == 1
    stages = ", ".join(f"{name}: {k:,}" for name, k in result.resent_calls.items())
    return (f"At least {n:,} call{'' if one else 's'} may have been paid twice: a run that "
            f"had sent {'it' if one else 'them'} ended (killed or interrupted) before "
            f"{'its answer was' if one else 'their answers were'} stored, and a later run "
            f"sent {'it' if one else 'them'} again ({stages}). The costs above count each "
            "call once.")


def money(x: float | None) -> str:
    return "-" if x is None else f"{x:.4f}"


def number(x: float | None, digits: int = 1) -> str:
    return "-" if x is None else f"{x:,.{digits}f}"


__all__ = ["CostView", "cost_view", "money", "number", "resent_line", "resent_sentence"]
