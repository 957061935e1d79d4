"""Built-in scorers."""

from __future__ import annotations

from leasebench.hookspecs import Register, hookimpl
from leasebench.scoring.scorer import FieldMatchScorer


@hookimpl
def register_scorers(register: Register) -> None:
    register(FieldMatchScorer)
