"""An AIMD concurrency limiter: halve on 429, grow back by one per window of successes.

Each acquisition records the limiter's *epoch*. A 429 on a request sent in the current
epoch halves the limit and starts a new epoch; 429s on requests sent before that (under
the old, larger limit) do not cut again, so one burst of rejections halves once, not
once per rejected request. Each success adds ``1/limit``: about one more slot per
round trip, up to the configured maximum.
"""

from __future__ import annotations

import asyncio
from collections import deque


class AdaptiveLimiter:
    """Bounded, adaptive, first-come-first-served concurrency for one event loop."""

    def __init__(self, max_limit: int, *, min_limit: int = 1, decrease: float = 0.5):
        self.max_limit = max(1, max_limit)
        self.min_limit = max(1, min(min_limit, self.max_limit))
        self.decrease = decrease
        self.limit = float(self.max_limit)
        self.epoch = 0
        self.in_flight = 0
        self.peak_in_flight = 0
        self.decreases = 0
        self._waiters: deque[asyncio.Future[None]] = deque()

    @property
    def current(self) -> int:
        return max(self.min_limit, int(self.limit))

    async def acquire(self) -> int:
        """Wait for a slot; return the epoch to pass to ``on_rate_limited``."""
        if not self._waiters and self.in_flight < self.current:
            self._take()
            return self.epoch
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(fut)
        try:
            await fut
        except asyncio.CancelledError:
            if fut.done() and not fut.cancelled():
                self.release()  # the slot was handed over just as we were cancelled
            else:
                self._waiters.remove(fut)
            raise
        return self.epoch

    def _take(self) -> None:
        self.in_flight += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)

    def release(self) -> None:
        self.in_flight -= 1
        self._wake()

    def _wake(self) -> None:
        while self._waiters and self.in_flight < self.current:
            fut = self._waiters.popleft()
            if not fut.done():
                self._take()
                fut.set_result(None)

    def on_success(self) -> None:
        if self.limit < self.max_limit:
            self.limit = min(float(self.max_limit), self.limit + 1.0 / self.limit)
            self._wake()

    def on_rate_limited(self, epoch: int) -> int:
        """Cut the limit if this request was sent in the current epoch; return the new epoch."""
        if epoch == self.epoch:
            self.limit = max(float(self.min_limit), self.limit * self.decrease)
            self.epoch += 1
            self.decreases += 1
        return self.epoch


__all__ = ["AdaptiveLimiter"]
