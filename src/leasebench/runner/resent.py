"""Calls that may have been paid twice: requests a killed or interrupted run had sent
whose answers were lost, sent again by a later run (see ``llm/cache.py``'s sent marks)."""

from __future__ import annotations

from ..llm.cache import CACHE_FILE, ResponseCache
from .env import RunEnv


def resent_calls(env: RunEnv) -> dict[str, int]:
    """Per stage name, how many of the calls behind this run's stages were sent again
    after a run that had sent them ended without their answers (0s left out)."""
    path = env.cache_dir / CACHE_FILE
    if not path.is_file():
        return {}
    names = {f"{t['stage']}-{t['key']}": str(t["stage"]) for t in env.timings}
    cache = ResponseCache(path)
    try:
        counts = cache.resent(names)
    finally:
        cache.close()
    out: dict[str, int] = {}
    for scope, n in counts.items():
        out[names[scope]] = out.get(names[scope], 0) + n
    return dict(sorted(out.items()))


__all__ = ["resent_calls"]
