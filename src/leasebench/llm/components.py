"""The LLM components, in one place for registration."""

from __future__ import annotations

from .extractor import LLMExtractor
from .generator import LLMGenerator
from .judges import LLMGroundingJudge, LLMLabelsJudge

COMPONENTS = (LLMGenerator, LLMLabelsJudge, LLMGroundingJudge, LLMExtractor)

__all__ = ["COMPONENTS", "LLMExtractor", "LLMGenerator", "LLMGroundingJudge", "LLMLabelsJudge"]
