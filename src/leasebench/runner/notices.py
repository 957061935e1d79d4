"""Notices said once at the start of a run about how this install runs it."""

from __future__ import annotations

from ..crf.status import tagger_line, tagger_status, uses_tagger
from .env import RunEnv


def tagger_notice(env: RunEnv) -> None:
    """Say once that a ``crf`` component of the manifest tags through python-crfsuite
    (the compiled tagger is not built here): same results, several times slower."""
    if tagger_status()["compiled"] or "crf-tagger" in env.said:
        return
    m = env.loaded.manifest
    names = [("trainer", s.name) for s in m.trainer_arms.values()]
    names += [("extractor", s.name) for s in m.extractor_arms.values()]
    if any(uses_tagger(env.registry.get(family, name)) for family, name in names):
        env.said.add("crf-tagger")
        env.log.warn(tagger_line())


__all__ = ["tagger_notice"]
