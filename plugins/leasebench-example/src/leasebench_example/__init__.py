"""leasebench-example: the ``example/regex-dates`` extractor and ``example/strict-dates`` scorer."""

from __future__ import annotations

from .extractor import RegexDatesExtractor
from .scorer import StrictDatesScorer

__version__ = "0.1.0"

__all__ = ["RegexDatesExtractor", "StrictDatesScorer", "__version__"]
