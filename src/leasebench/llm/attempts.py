"""What one attempt of a chat-completions call came to: a pure function of the answer
(status, headers, body) or of the exception the request raised.

The client's loop (``LLMClient._attempts``) acts on the ``Outcome``; whether and when to
try again is ``retry.Retries``'s. Nothing here sends, sleeps, counts or logs.

======================  =========================================================
kind                    when
======================  =========================================================
``DONE``                200 with a readable completion (``result``)
``RETRY``               the server could not be reached, a connection time-out,
                        408/409/425/5xx, or a 200 body that is not a completion
``RATE_LIMITED``        429 (``retry_after`` from ``Retry-After`` / ``retry-after-ms``)
``REFUSED_FORMAT``      the ``response_format`` sent was refused (fall back or stop)
``FATAL``               a configuration error: key (401/403), URL (404), model
``FAILED``              this call fails, nothing is sent again: other 4xx, an answer
                        longer than the limit, or a request the server took and did
                        not answer in time (``timed_out``: busy)
======================  =========================================================
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from enum import Enum

import aiohttp

from .responses import CallResult, Messages, RawResponse, parse_completion, retry_after_s, snippet
from .status import FATAL, HINTS, Answer, classify

MAX_BODY_BYTES = 32 << 20  # a longer answer is read this far and fails


class Kind(Enum):
    DONE = "done"
    RETRY = "retry"
    RATE_LIMITED = "rate_limited"
    REFUSED_FORMAT = "refused_format"
    FATAL = "fatal"
    FAILED = "failed"


@dataclass(frozen=True)
class Outcome:
    """One attempt's outcome. ``error`` says what went wrong (unscrubbed: the client
    masks the key); ``reached``: the server answered; ``keep_raw``: the body is worth
    keeping with the failure."""

    kind: Kind
    error: str = ""
    result: CallResult | None = None
    retry_after: float | None = None
    reached: bool = True
    keep_raw: bool = False
    timed_out: bool = False


def of_exception(
    exc: asyncio.TimeoutError | aiohttp.ClientError, *, timeout_s: float,
    connect_timeout_s: float,
) -> Outcome:
    """A request that raised instead of being answered."""
    if isinstance(exc, aiohttp.ConnectionTimeoutError):  # never accepted: seems down
        return Outcome(Kind.RETRY, f"connection time-out after {connect_timeout_s:g}s: the "
                       "server did not accept the connection", reached=False)
    if isinstance(exc, asyncio.TimeoutError):  # accepted, not answered: busy
        return Outcome(Kind.FAILED, (
            f"time-out after {timeout_s:g}s: the server took the request and did not answer "
            "(busy; not sent again in this run, as it may still be working on it; the next "
            "run retries it). Raise endpoint.timeout_s, or lower endpoint.concurrency for a "
            "server that answers one request at a time"), reached=False, timed_out=True)
    return Outcome(Kind.RETRY, f"connection error: {type(exc).__name__}: {exc}",
                   reached=False)


def of_response(
    resp: RawResponse, messages: Messages, *, sent_format: bool, model: str,
    unset_key_env: str | None = None,
) -> Outcome:
    """An answer: ``sent_format`` when the request carried ``response_format``;
    ``unset_key_env`` names the key's environment variable when it is not set."""
    if resp.status == 200:
        if resp.truncated:
            return Outcome(Kind.FAILED, f"answer longer than {MAX_BODY_BYTES >> 20} MiB",
                           keep_raw=True)
        parsed = parse_completion(resp, messages)
        if isinstance(parsed, CallResult):
            return Outcome(Kind.DONE, result=parsed)
        return Outcome(Kind.RETRY, parsed, keep_raw=True)
    text = resp.raw[:65536].decode("utf-8", "replace")
    answer = classify(resp.status, text, sent_format=sent_format, model=model)
    said = f"HTTP {resp.status}: {snippet(resp)}"
    if answer is Answer.RATE_LIMITED:
        return Outcome(Kind.RATE_LIMITED, said, retry_after=retry_after_s(resp.headers))
    if answer is Answer.REFUSED_FORMAT:
        return Outcome(Kind.REFUSED_FORMAT, said)
    if answer in FATAL:
        hint = HINTS[answer]
        if answer is Answer.BAD_KEY and unset_key_env:
            hint = f"environment variable {unset_key_env} is not set"
        return Outcome(Kind.FATAL, f"answered HTTP {resp.status}: {snippet(resp, 500)} "
                       f"({hint})")
    if answer is Answer.RETRY:
        return Outcome(Kind.RETRY, said, retry_after=retry_after_s(resp.headers))
    return Outcome(Kind.FAILED, said)


__all__ = ["MAX_BODY_BYTES", "Kind", "Outcome", "of_exception", "of_response"]
