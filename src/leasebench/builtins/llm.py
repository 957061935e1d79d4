"""Built-in LLM components: the ``llm`` generator and extractor, two LLM judges."""

from __future__ import annotations

from ..hookspecs import Register, hookimpl


@hookimpl(trylast=True)
def register_generators(register: Register) -> None:
    from ..llm.generator import LLMGenerator

    register(LLMGenerator)


@hookimpl(trylast=True)
def register_judges(register: Register) -> None:
    from ..llm.judges import LLMGroundingJudge, LLMLabelsJudge

    register(LLMLabelsJudge)
    register(LLMGroundingJudge)


@hookimpl(trylast=True)
def register_extractors(register: Register) -> None:
    from ..llm.extractor import LLMExtractor

    register(LLMExtractor)
