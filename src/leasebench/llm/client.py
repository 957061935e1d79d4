"""The one OpenAI-compatible chat-completions client every LLM component shares.

Async over aiohttp, with adaptive bounded concurrency (AIMD on 429), ``Retry-After`` /
``retry-after-ms``, retries with exponential back-off and jitter for 5xx, connection
errors and time-outs, a per-request time-out, structured output with fallback, the
persistent response cache and the cost budget. A call that finally fails comes back as
a ``CallResult`` with ``error`` set; only configuration errors (a wrong key, URL or
model, a refused explicit ``structured_output``, an endpoint that cannot be reached)
raise ``EndpointError``, since every other call would fail the same way.

The first call that goes to the network is sent alone: the others wait until it has a
conclusive answer, so a configuration error costs one request per stage (not one per
item) and ``auto`` structured output settles its mode once.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from typing import Any

import aiohttp

from ..records import Usage
from .adaptive import AdaptiveLimiter
from .cache import ResponseCache, sending
from .config import EndpointSpec
from .request import RequestShape
from .responses import (
    CallResult,
    ClientStats,
    EndpointError,
    Messages,
    RawResponse,
    parse_completion,
    retry_after_s,
    snippet,
)
from .status import FATAL, HINTS, Answer, classify
from .usage import Budget, UsageLedger

log = logging.getLogger("leasebench.llm")

MAX_RETRY_AFTER_S = 300.0
RETRY_JITTER = 0.5
MAX_BODY_BYTES = 32 << 20  # a longer answer is read this far and fails
RAW_KEPT_CHARS = 1 << 20  # how much of an unreadable body a failure keeps
MIN_SCRUBBED_KEY = 6  # shorter "keys" (test values) would mask ordinary text


class LLMClient(RequestShape):
    """Calls one endpoint; use as ``async with LLMClient(spec, ...) as client``.

    ``cache`` is a ``ResponseCache`` (or None), ``budget`` the run's ``Budget`` (or None),
    ``stage`` the name usage is booked under in the budget's ledger (or ``ledger``).
    """

    def __init__(
        self,
        spec: EndpointSpec,
        *,
        cache: ResponseCache | None = None,
        budget: Budget | None = None,
        stage: str = "",
        ledger: UsageLedger | None = None,
    ):
        super().__init__(spec)
        self.cache = cache
        self.budget = budget
        self.stage = stage
        self.ledger = ledger or (budget.ledger if budget is not None else UsageLedger())
        self.stats = ClientStats()
        self.limiter: AdaptiveLimiter | None = None
        self._http: aiohttp.ClientSession | None = None
        self._rng = random.Random()
        self._inflight: dict[str, asyncio.Future[CallResult]] = {}
        self._settled = False  # a first call has had a conclusive answer
        self._probe: asyncio.Lock | None = None
        self._fatal: EndpointError | None = None
        self.speed_note: str | None = None  # what the first answer's speed changed or asks

    def __repr__(self) -> str:
        return f"LLMClient({self.spec.base_url!r}, model={self.spec.model!r})"

    async def __aenter__(self) -> LLMClient:
        n = self.spec.concurrency
        self.limiter = AdaptiveLimiter(n)
        self._probe = asyncio.Lock()
        self._http = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=n, limit_per_host=n),
            timeout=aiohttp.ClientTimeout(total=self.spec.timeout_s,
                                          sock_connect=self.spec.connect_timeout_s),
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._http is not None:
            await self._http.close()
            self._http = None

    # -- the call ------------------------------------------------------------------

    async def complete(
        self,
        messages: Messages,
        *,
        temperature: float = 0.0,
        max_tokens: int = 1024,
        seed: int | None = None,
        sample: int | None = None,
        schema: dict[str, Any] | None = None,
    ) -> CallResult:
        """One chat completion: from the cache, or from the endpoint (with retries).

        Raises ``BudgetExceeded`` when the budget refuses the call's worst-case cost and
        ``EndpointError`` on a configuration error (see ``status``); every other failure
        is in the result. A cache hit carries the usage and latency it was paid with.
        """
        key = None
        if self.cache is not None:
            key = self.key(
                messages,
                temperature=temperature,
                max_tokens=max_tokens,
                seed=seed,
                sample=sample,
                schema=schema,
            )
            hit = self.cache.get(key)
            if hit is not None:
                self.stats.cache_hits += 1
                self.ledger.add(self.stage, Usage(), cached=True)
                return self._from_cache(hit)
            if key in self._inflight:  # the same call is on its way: share its answer
                first = await asyncio.shield(self._inflight[key])
                self.stats.cache_hits += 1
                self.ledger.add(self.stage, Usage(), cached=True)
                return CallResult(
                    text=first.text, finish_reason=first.finish_reason, error=first.error,
                    usage=first.usage.as_cached() if first.ok else Usage(), cached=True,
                    latency_s=first.latency_s, raw=first.raw,
                )
            self._inflight[key] = asyncio.get_running_loop().create_future()
        try:
            result = await self._gated(messages, temperature, max_tokens, seed, schema, key)
        except BaseException as exc:
            if key is not None and key in self._inflight:
                shared = self._inflight.pop(key)
                shared.set_exception(exc)
                shared.exception()  # retrieved here; waiters still get it raised
            raise
        if key is not None and key in self._inflight:
            self._inflight.pop(key).set_result(result)
        return result

    async def _gated(
        self, messages: Messages, temperature: float, max_tokens: int, seed: int | None,
        schema: dict[str, Any] | None, key: str | None,
    ) -> CallResult:
        """``_fetch``, with the first network call of this client sent alone."""
        assert self._probe is not None, "use LLMClient as an async context manager"
        if not self._settled:
            async with self._probe:
                if self._fatal is not None:
                    raise EndpointError(str(self._fatal))
                if not self._settled:
                    try:
                        result = await self._fetch(
                            messages, temperature, max_tokens, seed, schema, key, probe=True
                        )
                    except EndpointError as exc:
                        self._fatal = exc
                        raise
                    self._settled = True
                    self.speed_note = fit_to_speed(self, result, max_tokens)
                    return result
        if self._fatal is not None:
            raise EndpointError(str(self._fatal))
        try:
            return await self._fetch(messages, temperature, max_tokens, seed, schema, key)
        except EndpointError as exc:
            self._fatal = self._fatal or exc
            raise

    async def _fetch(
        self, messages: Messages, temperature: float, max_tokens: int, seed: int | None,
        schema: dict[str, Any] | None, key: str | None, probe: bool = False,
    ) -> CallResult:
        """The call itself: budget, concurrency, retries, then the cache and the ledger."""
        assert self.limiter is not None, "use LLMClient as an async context manager"
        epoch = await self.limiter.acquire()
        reserved = 0.0
        result: CallResult | None = None
        try:
            if self.budget is not None:
                reserved = self.worst_case(messages, max_tokens, schema)[2]
                self.budget.reserve(reserved, f"{self.stage or 'LLM'} call")
            with sending(self.cache, key, self.stage):  # marked until answered or failed
                result = await self._attempts(
                    messages, temperature, max_tokens, seed, schema, epoch, probe
                )
        finally:
            self.limiter.release()
            if self.budget is not None:
                self.budget.settle(reserved, result.usage.cost if result is not None else 0.0)
        if result.ok and key is not None and self.cache is not None:
            self.cache.put(
                key,
                {
                    "text": result.text,
                    "finish_reason": result.finish_reason,
                    "prompt_tokens": result.usage.prompt_tokens,
                    "completion_tokens": result.usage.completion_tokens,
                    "latency_s": round(result.latency_s, 3),
                },
            )
        if not result.ok:
            self.stats.failed += 1
            if key is not None and self.cache is not None:
                self.cache.unmark(key)
        self.ledger.add(self.stage, result.usage, failed=not result.ok)
        return result

    async def _attempts(
        self,
        messages: Messages,
        temperature: float,
        max_tokens: int,
        seed: int | None,
        schema: dict[str, Any] | None,
        epoch: int,
        probe: bool = False,
    ) -> CallResult:
        assert self._http is not None and self.limiter is not None
        spec = self.spec
        started = time.perf_counter()
        errors = rate_limited = attempts = 0
        waited = 0.0
        key = spec.api_key()
        headers = {"Content-Type": "application/json"}
        if key is not None:
            headers["Authorization"] = f"Bearer {key}"
        connection_only = True  # every failed attempt so far could not reach the server
        raw: str | None = None
        while True:
            attempts += 1
            self.stats.requests += 1
            sent = self.structured.mode if schema is not None else "none"
            self.structured.requests += schema is not None
            body = self._body(messages, temperature, max_tokens, seed, schema)
            wait: float | None = None
            try:
                self.stats.in_flight += 1
                try:
                    resp = await self._post(json.dumps(body).encode(), headers)
                finally:
                    self.stats.in_flight -= 1
            except aiohttp.ConnectionTimeoutError:  # never accepted: the server seems down
                error = (f"connection time-out after {spec.connect_timeout_s:g}s: the server "
                         "did not accept the connection")
            except asyncio.TimeoutError:  # accepted, not answered: busy; a copy would queue
                self.stats.timed_out += 1
                return self._failed(
                    f"time-out after {spec.timeout_s:g}s: the server took the request and did "
                    f"not answer (busy; not sent again in this run, as it may still be "
                    f"working on it; the next run retries it). Raise endpoint.timeout_s, or "
                    f"lower endpoint.concurrency for a server that answers one request at a "
                    f"time", attempts, started, key)
            except aiohttp.ClientError as exc:
                error = f"connection error: {type(exc).__name__}: {exc}"
            else:
                self.stats.answered += 1
                connection_only = False
                status = resp.status
                if status == 200 and resp.truncated:
                    result = self._failed(
                        f"answer longer than {MAX_BODY_BYTES >> 20} MiB", attempts, started, key
                    )
                    result.raw = self._raw_text(resp, key)
                    return result
                if status == 200:
                    parsed = parse_completion(resp, messages)
                    if isinstance(parsed, CallResult):
                        self.limiter.on_success()
                        parsed.text = self._scrub(parsed.text or "", key)
                        parsed.attempts = attempts
                        parsed.latency_s = time.perf_counter() - started
                        parsed.usage.cost = spec.prices.cost(
                            parsed.usage.prompt_tokens, parsed.usage.completion_tokens
                        )
                        if schema is not None:
                            self.structured.observe(sent, parsed.text, schema, parsed.truncated)
                        return parsed
                    error = parsed
                    raw = self._raw_text(resp, key)
                else:
                    text = resp.raw[:65536].decode("utf-8", "replace")
                    answer = classify(
                        status, text, sent_format="response_format" in body, model=spec.model
                    )
                    if answer is Answer.RATE_LIMITED:
                        self.stats.rate_limited += 1
                        epoch = self.limiter.on_rate_limited(epoch)
                        delay = retry_after_s(resp.headers)
                        if delay is None:
                            rate_limited += 1
                            delay = self._backoff(rate_limited)
                        # a little jitter spreads the retries the same answer woke at once
                        delay = min(delay, MAX_RETRY_AFTER_S) * (
                            1 + RETRY_JITTER * self._rng.random()
                        )
                        if waited + delay > spec.rate_limit_wait_s:
                            return self._failed(
                                f"HTTP 429: still rate-limited after waiting {waited:.1f}s",
                                attempts, started, key,
                            )
                        waited += delay
                        log.debug("429 from %s; retrying in %.3fs", spec.base_url, delay)
                        await asyncio.sleep(delay)
                        continue
                    if answer is Answer.REFUSED_FORMAT:
                        reason = f"HTTP {status}: {snippet(resp)}"
                        if self.structured.refused(sent, self._scrub(reason, key)):
                            log.info("%s refused response_format %s (%s); trying %s",
                                     spec.base_url, sent, reason, self.structured.mode)
                            continue
                        raise self._config_error(
                            f"refuses response_format {sent} ({reason}); set "
                            f"endpoint.structured_output to auto, json_object or none",
                            key,
                        )
                    if answer in FATAL:
                        hint = HINTS[answer]
                        if answer is Answer.BAD_KEY and key is None and spec.api_key_env:
                            hint = f"environment variable {spec.api_key_env} is not set"
                        raise self._config_error(
                            f"answered HTTP {status}: {snippet(resp, 500)} ({hint})", key
                        )
                    if answer is Answer.RETRY:
                        error = f"HTTP {status}: {snippet(resp)}"
                        wait = retry_after_s(resp.headers)
                    else:
                        return self._failed(
                            f"HTTP {status}: {snippet(resp)}", attempts, started, key
                        )
            errors += 1
            if errors > spec.max_retries:
                if probe and connection_only:
                    raise self._config_error(
                        f"cannot be reached ({error}, {attempts} attempts); check "
                        f"endpoint.base_url and that the server is running",
                        key,
                    )
                result = self._failed(f"{error} (after {attempts} attempts)", attempts, started,
                                      key)
                result.raw = raw
                return result
            self.stats.retried += 1
            delay = self._backoff(errors) if wait is None else min(wait, MAX_RETRY_AFTER_S)
            log.debug("%s from %s; retry %d in %.3fs", error, spec.base_url, errors, delay)
            await asyncio.sleep(delay)

    def _config_error(self, what: str, key: str | None) -> EndpointError:
        spec = self.spec
        return EndpointError(
            self._scrub(f"{spec.completions_url} (model {spec.model}) {what}", key)
        )

    def _raw_text(self, resp: RawResponse, key: str | None) -> str:
        return self._scrub(resp.raw[:RAW_KEPT_CHARS].decode("utf-8", "replace"), key)

    async def _post(self, payload: bytes, headers: dict[str, str]) -> RawResponse:
        assert self._http is not None
        url = self.spec.completions_url
        async with self._http.post(url, data=payload, headers=headers) as resp:
            chunks, size = [], 0
            async for chunk in resp.content.iter_chunked(1 << 16):
                chunks.append(chunk)
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    break
            raw = b"".join(chunks)
            return RawResponse(resp.status, resp.headers, raw[:MAX_BODY_BYTES],
                               truncated=size > MAX_BODY_BYTES)

    def _backoff(self, n: int) -> float:
        cap = min(self.spec.backoff_max_s, self.spec.backoff_s * 2 ** (n - 1))
        return cap * (0.5 + 0.5 * self._rng.random())

    def _failed(self, error: str, attempts: int, started: float, key: str | None) -> CallResult:
        return CallResult(
            error=self._scrub(error, key),
            attempts=attempts,
            latency_s=time.perf_counter() - started,
        )

    @staticmethod
    def _scrub(text: str, key: str | None) -> str:
        """``text`` with the API key masked (an endpoint may echo it back)."""
        return text.replace(key, "***") if key and len(key) >= MIN_SCRUBBED_KEY else text


def fit_to_speed(client: LLMClient, first: CallResult, max_tokens: int) -> str | None:
    """After the first answer (sent alone): at its speed, a request queued behind
    ``concurrency - 1`` others on a server that answers one at a time must still be
    answered within ``timeout_s``; lower the concurrency to that (said), and say when an
    answer of ``max_tokens`` alone could take longer than ``timeout_s``."""
    spec, limiter = client.spec, client.limiter
    if not first.ok or first.latency_s <= 0 or limiter is None:
        return None
    notes = []
    cap = max(1, int(spec.timeout_s // (2 * first.latency_s)))
    if cap < limiter.max_limit:
        notes.append(f"endpoint.concurrency {limiter.max_limit} lowered to {cap}, so a request "
                     f"queued behind the others is still answered within endpoint.timeout_s "
                     f"{spec.timeout_s:g} s")
        limiter.max_limit = cap
        limiter.limit = min(limiter.limit, float(cap))
    tokens = first.usage.completion_tokens
    worst = first.latency_s * max_tokens / tokens if tokens and not first.truncated else 0.0
    if worst > spec.timeout_s:
        notes.append(f"an answer of up to {max_tokens:,} tokens could take {worst:,.0f} s: raise "
                     f"endpoint.timeout_s to {1.2 * worst:,.0f} or lower max_tokens")
    if not notes:
        return None
    return (f"{spec.base_url} (model {spec.model}) answered its first request in "
            f"{first.latency_s:.1f} s ({tokens} tokens): " + "; ".join(notes))


__all__ = ["CallResult", "ClientStats", "EndpointError", "LLMClient", "fit_to_speed",
           "retry_after_s"]
