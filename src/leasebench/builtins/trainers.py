"""Built-in trainers."""

from __future__ import annotations

from ..crf.components import CRFTrainer
from ..hookspecs import Register, hookimpl
from ..pattern.components import PatternTrainer


@hookimpl(trylast=True)
def register_trainers(register: Register) -> None:
    register(PatternTrainer)
    register(CRFTrainer)
