"""The plugin module the ``leasebench`` entry point names: one hook per family it adds."""

from __future__ import annotations

from leasebench.hookspecs import Register, hookimpl

from .extractor import RegexDatesExtractor
from .scorer import StrictDatesScorer


@hookimpl
def register_extractors(register: Register) -> None:
    register(RegexDatesExtractor)


@hookimpl
def register_scorers(register: Register) -> None:
    register(StrictDatesScorer)
