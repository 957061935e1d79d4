"""leasebench on Databricks: fine-tuning API and GPU-job trainers, serving, ai_query."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
