"""What a stage waiting on an endpoint is doing, said while it waits.

Every ``TICK_S`` the stage's progress (``ctx.progress``: a bar on terminals) shows the
items done and the requests in flight, answered, retried and timed out. When no request
has been answered for ``STALL_S`` seconds, a line says so in plain words, with the same
counts and what to check; it repeats with the time doubled (60 s, 120 s, 240 s, ...),
so a stalled stage is never silent and a long one does not flood the log. What the
first answer's speed changed or asks to change (``client.fit_to_speed``) is said once.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from ..components import Context
from .client import LLMClient

TICK_S = 1.0
STALL_S = 60.0


@dataclass
class Waiting:
    """Items done so far of ``total``; updated by the stage as each finishes."""

    total: int
    done: int = 0
    started: float = field(default_factory=time.monotonic)


def counts(client: LLMClient) -> str:
    s = client.stats
    return (f"{s.in_flight} request(s) in flight, {s.answered} answered, {s.retried} retried, "
            f"{s.timed_out} timed out")


async def watch(client: LLMClient, ctx: Context, waiting: Waiting,
                stall_s: float | None = None, tick_s: float | None = None) -> None:
    """Report progress until cancelled; say when nothing has been answered for a while
    (``stall_s``, default ``STALL_S``; checked every ``tick_s``, default ``TICK_S``)."""
    stall_s = STALL_S if stall_s is None else stall_s
    tick_s = TICK_S if tick_s is None else tick_s
    answered, since, warn_at = -1, time.monotonic(), stall_s
    spec = client.spec
    said = False
    try:
        while True:
            await asyncio.sleep(tick_s)
            now = time.monotonic()
            if client.speed_note is not None and not said:
                ctx.say(client.speed_note)
                said = True
            ctx.progress(waiting.done, waiting.total, f"items; {counts(client)}")
            if client.stats.answered != answered or waiting.done == waiting.total:
                answered, since, warn_at = client.stats.answered, now, stall_s
                continue
            if now - since >= warn_at:
                ctx.say(
                    f"no progress for {now - since:.0f} s: {waiting.done} of {waiting.total} "
                    f"item(s) done, {counts(client)}; {spec.base_url} (model {spec.model}) is "
                    f"slow or stuck (each request may wait up to {spec.timeout_s:g} s: "
                    f"endpoint.timeout_s)")
                warn_at *= 2
    finally:
        if client.speed_note is not None and not said:
            ctx.say(client.speed_note)


__all__ = ["STALL_S", "TICK_S", "Waiting", "counts", "watch"]
