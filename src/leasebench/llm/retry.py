"""When a call is tried again, and after how long: a pure policy over an endpoint's
settings and a random source (seed it for reproducible delays).

* A transient failure (``attempts.Kind.RETRY``) is retried ``max_retries`` times, after
  the server's ``Retry-After`` (at most ``MAX_RETRY_AFTER_S``) or an exponential back-off
  ``min(backoff_max_s, backoff_s * 2**(n-1))`` scaled by a random factor in [0.5, 1).
* A 429 is waited out as long as the waits add up to at most ``rate_limit_wait_s``: the
  server's ``Retry-After`` (or the back-off of the 429s so far), stretched by up to
  ``RETRY_JITTER`` so that the requests one answer woke do not all come back at once.
  429s do not count against ``max_retries``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .config import EndpointSpec

MAX_RETRY_AFTER_S = 300.0
RETRY_JITTER = 0.5


@dataclass(frozen=True)
class RetryPolicy:
    """An endpoint's retry settings (``RetryPolicy.of(spec)``) and the random source of
    its jitter."""

    max_retries: int
    backoff_s: float
    backoff_max_s: float
    rate_limit_wait_s: float
    rng: random.Random = field(default_factory=random.Random, compare=False)

    @classmethod
    def of(cls, spec: EndpointSpec, rng: random.Random | None = None) -> RetryPolicy:
        return cls(spec.max_retries, spec.backoff_s, spec.backoff_max_s,
                   spec.rate_limit_wait_s, rng if rng is not None else random.Random())

    def backoff(self, n: int) -> float:
        """The delay before the ``n``-th retry (from 1): exponential, capped, jittered."""
        cap = min(self.backoff_max_s, self.backoff_s * 2 ** (n - 1))
        return cap * (0.5 + 0.5 * self.rng.random())

    def start(self) -> Retries:
        """The retry state of one call."""
        return Retries(self)


@dataclass
class Retries:
    """One call's retries so far; each method says how long to wait, or None: give up."""

    policy: RetryPolicy
    errors: int = 0
    rate_limited: int = 0
    waited: float = 0.0  # seconds waited on 429s

    def after_error(self, retry_after: float | None = None) -> float | None:
        """After a transient failure: the delay before the next attempt, or None once
        ``max_retries`` retries have failed."""
        self.errors += 1
        if self.errors > self.policy.max_retries:
            return None
        if retry_after is not None:
            return min(retry_after, MAX_RETRY_AFTER_S)
        return self.policy.backoff(self.errors)

    def after_rate_limit(self, retry_after: float | None = None) -> float | None:
        """After a 429: the delay, or None when it would take the waits past
        ``rate_limit_wait_s``."""
        delay = retry_after
        if delay is None:
            self.rate_limited += 1
            delay = self.policy.backoff(self.rate_limited)
        delay = min(delay, MAX_RETRY_AFTER_S) * (1 + RETRY_JITTER * self.policy.rng.random())
        if self.waited + delay > self.policy.rate_limit_wait_s:
            return None
        self.waited += delay
        return delay


__all__ = ["MAX_RETRY_AFTER_S", "RETRY_JITTER", "Retries", "RetryPolicy"]
