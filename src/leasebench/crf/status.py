"""Which tagger the ``crf`` components use here: the compiled one, or python-crfsuite.

Both give the same tags and marginals; python-crfsuite is several times slower. The
compiled tagger is a C extension built by ``pip install`` where a C compiler is present,
so an install without one falls back silently unless something says so: ``leasebench
plugins`` shows it, ``run.json`` records it, and a run using a ``crf`` component without
it says so once.
"""

from __future__ import annotations

from typing import Any

from .compiled import AVAILABLE, MISSING

COMPILED = "compiled"
FALLBACK = "python-crfsuite"


def tagger_status() -> dict[str, Any]:
    """``{"tagger": "compiled" | "python-crfsuite", "compiled": bool, "reason": str | None}``."""
    return {"tagger": COMPILED if AVAILABLE else FALLBACK, "compiled": AVAILABLE,
            "reason": None if AVAILABLE else MISSING}


def uses_tagger(cls: type) -> bool:
    """Whether a component class tags with a CRF model (the built-in ``crf`` trainer,
    which scores its dev documents, and extractor)."""
    from .components import CRFExtractor, CRFTrainer

    return issubclass(cls, (CRFTrainer, CRFExtractor))


def tagger_line() -> str:
    """One line for people: which tagger, and what to do without the compiled one."""
    if AVAILABLE:
        return "CRF tagger: compiled (leasebench.crf._tagger)"
    return (f"CRF tagger: python-crfsuite (the compiled tagger is not built: {MISSING}); "
            "same results, several times slower; reinstall leasebench where a C compiler is "
            "present to build it")


__all__ = ["COMPILED", "FALLBACK", "tagger_line", "tagger_status", "uses_tagger"]
