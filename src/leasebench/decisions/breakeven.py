"""Break-even volume: the documents per month from which fine-tuning and serving a trained
round costs less than prompting a (large) model.

Per month, the trained round costs its one-off cost (synthetic data and training) spread
over ``months``, plus ``per_doc_trained`` per document; the prompted round costs
``per_doc_prompted`` per document. They are equal at
``V = (one_off / months) / (per_doc_prompted - per_doc_trained)``; with no saving per
document the trained round never breaks even. See docs/metrics.md, "Decisions".
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Volume:
    """A break-even volume: ``docs_per_month`` (0: cheaper from the first document), or
    ``never`` when the trained round saves nothing per document."""

    docs_per_month: float | None
    never: bool


def break_even(one_off: float, months: float, per_doc_trained: float,
               per_doc_prompted: float) -> Volume:
    """Documents per month at which both rounds cost the same."""
    if months <= 0:
        raise ValueError("months must be positive")
    saving = per_doc_prompted - per_doc_trained
    if saving <= 0:
        return Volume(None, True)
    return Volume(max(0.0, one_off) / months / saving, False)


def describe_volume(v: Volume) -> str:
    """'from ~12,000 docs/month' (two significant figures), 'always' (no one-off cost) or
    'never' (no saving per document)."""
    if v.never or v.docs_per_month is None:
        return "never"
    if v.docs_per_month == 0:
        return "always"
    return f"from ~{_round(v.docs_per_month):,} docs/month"


def _round(x: float) -> int:
    """Two significant figures, at least 1: estimates, not counts."""
    if x < 1:
        return 1
    digits = len(str(int(x))) - 2
    return int(round(x, -digits)) if digits > 0 else round(x)


__all__ = ["Volume", "break_even", "describe_volume"]
