"""Built-in extractors."""

from __future__ import annotations

from ..crf.components import CRFExtractor
from ..hookspecs import Register, hookimpl
from ..pattern.components import PatternExtractor
from ..rules.components import RulesExtractor


@hookimpl(trylast=True)
def register_extractors(register: Register) -> None:
    register(PatternExtractor)
    register(CRFExtractor)
    register(RulesExtractor)
