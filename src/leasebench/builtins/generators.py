"""Built-in generators."""

from __future__ import annotations

from ..hookspecs import Register, hookimpl
from ..synth.perturb import PerturbGenerator
from ..synth.swap import SwapGenerator


@hookimpl(trylast=True)
def register_generators(register: Register) -> None:
    register(PerturbGenerator)
    register(SwapGenerator)
