"""The outcome table's earlier home, kept so scorer plugins that import
``leasebench.scoring.outcomes.Outcomes`` keep working; the table is ``leasebench.outcomes``."""

from __future__ import annotations

from ..outcomes import COUNT_NAMES, FN, FP, TN, TP, Outcomes

__all__ = ["COUNT_NAMES", "FN", "FP", "TN", "TP", "Outcomes"]
