"""leasebench plugin: LoRA fine-tuning (trainer ``lora``) and local extraction (``hf``)."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
