"""The conformance suite: one call per family checks a component class against its contract.

    from leasebench.testing.conformance import check_extractor
    check_extractor(MyExtractor, {"window": 3})

Every check builds the class through its ``Params``, runs it on a tiny bundled lease
corpus with a fresh ``Context`` (its own ``workdir``) under :func:`no_network`, twice
with the same seed, and raises :class:`ConformanceError` naming the broken rule. What each
family must do is in ``docs/plugins/<family>.md``; the rules shared by all families are in
``docs/plugins/rules.md``. LLM components (``Params`` with an ``endpoint`` field) are
pointed at a loopback :class:`~leasebench.testing.llm_server.LLMTestServer`.
"""

from __future__ import annotations

from .checks import (
    CHECKS,
    check_component,
    check_dataset,
    check_executor,
    check_extractor,
    check_generator,
    check_judge,
    check_reporter,
    check_scorer,
    check_trainer,
)
from .executor import FailingExtractor
from .harness import (
    LOOPBACK,
    SEED,
    ConformanceError,
    ConformanceReport,
    NetworkBlocked,
    conformance_handler,
    is_llm_component,
    loopback_endpoint,
    make_context,
    no_network,
    run_result,
    stable,
    tiny_corpus,
    tiny_schema,
)

__all__ = [
    "CHECKS",
    "LOOPBACK",
    "SEED",
    "ConformanceError",
    "ConformanceReport",
    "FailingExtractor",
    "NetworkBlocked",
    "check_component",
    "check_dataset",
    "check_executor",
    "check_extractor",
    "check_generator",
    "check_judge",
    "check_reporter",
    "check_scorer",
    "check_trainer",
    "conformance_handler",
    "is_llm_component",
    "loopback_endpoint",
    "make_context",
    "no_network",
    "run_result",
    "stable",
    "tiny_corpus",
    "tiny_schema",
]
