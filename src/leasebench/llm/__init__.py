"""LLM components and the one OpenAI-compatible client they share."""

from __future__ import annotations

from .cache import ResponseCache
from .client import CallResult, EndpointError, LLMClient
from .config import EndpointSpec, Prices
from .usage import Budget, CallEstimate, UsageLedger

__all__ = [
    "Budget",
    "CallEstimate",
    "CallResult",
    "EndpointError",
    "EndpointSpec",
    "LLMClient",
    "Prices",
    "ResponseCache",
    "UsageLedger",
]
