"""leasebench on Databricks: UC table data, fine-tuning and GPU-job trainers, serving, ai_query."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
