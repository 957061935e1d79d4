"""The one OpenAI-compatible chat-completions client every LLM component shares.

Async over aiohttp, with adaptive bounded concurrency (AIMD on 429), ``Retry-After`` /
``retry-after-ms``, retries with exponential back-off and jitter for 5xx, connection
errors and time-outs, a per-request time-out, structured output with fallback, the
persistent response cache and the cost budget. A call that finally fails comes back as
a ``CallResult`` with ``error`` set; only configuration errors (a wrong key, URL or
model, a refused explicit ``structured_output``, an endpoint that cannot be reached)
raise ``EndpointError``, since every other call would fail the same way.

What one attempt's answer or error means is ``attempts``'s (pure), when to send again
``retry``'s (pure, seedable); the loop here sends, waits and keeps the counts.

The first call that goes to the network is sent alone: the others wait until it has a
conclusive answer, so a configuration error costs one request per stage (not one per
item) and ``auto`` structured output settles its mode once.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

import aiohttp

from ..records import Usage
from .adaptive import AdaptiveLimiter
from .attempts import MAX_BODY_BYTES, Kind, Outcome, of_exception, of_response
from .cache import ResponseCache, sending
from .config import EndpointSpec
from .request import RequestShape
from .responses import CallResult, ClientStats, EndpointError, Messages, RawResponse, retry_after_s
from .retry import RetryPolicy
from .usage import Budget, UsageLedger

log = logging.getLogger("leasebench.llm")

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
        self.retry = RetryPolicy.of(spec)
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
        """Send until an attempt's outcome (``attempts``) is final; ``retry`` says whether
        and when to send again."""
        assert self._http is not None and self.limiter is not None
        spec = self.spec
        started = time.perf_counter()
        attempts = 0
        retries = self.retry.start()
        key = spec.api_key()
        headers = {"Content-Type": "application/json"}
        if key is not None:
            headers["Authorization"] = f"Bearer {key}"
        connection_only = True  # every failed attempt so far could not reach the server
        raw: str | None = None
        while True:
            attempts += 1
            sent = self.structured.mode if schema is not None else "none"
            self.structured.requests += schema is not None
            body = self._body(messages, temperature, max_tokens, seed, schema)
            outcome, resp = await self._send(body, headers, messages, key)
            connection_only = connection_only and not outcome.reached
            if outcome.keep_raw and resp is not None:
                raw = self._raw_text(resp, key)
            if outcome.kind is Kind.DONE:
                assert outcome.result is not None
                return self._done(outcome.result, sent, schema, attempts, started, key)
            if outcome.kind is Kind.FAILED:
                self.stats.timed_out += outcome.timed_out
                result = self._failed(outcome.error, attempts, started, key)
                result.raw = raw if outcome.keep_raw else None
                return result
            if outcome.kind is Kind.FATAL:
                raise self._config_error(outcome.error, key)
            if outcome.kind is Kind.REFUSED_FORMAT:
                if self.structured.refused(sent, self._scrub(outcome.error, key)):
                    log.info("%s refused response_format %s (%s); trying %s",
                             spec.base_url, sent, outcome.error, self.structured.mode)
                    continue
                raise self._config_error(
                    f"refuses response_format {sent} ({outcome.error}); set "
                    f"endpoint.structured_output to auto, json_object or none", key)
            if outcome.kind is Kind.RATE_LIMITED:
                self.stats.rate_limited += 1
                epoch = self.limiter.on_rate_limited(epoch)
                delay = retries.after_rate_limit(outcome.retry_after)
                if delay is None:
                    return self._failed(f"HTTP 429: still rate-limited after waiting "
                                        f"{retries.waited:.1f}s", attempts, started, key)
                log.debug("429 from %s; retrying in %.3fs", spec.base_url, delay)
                await asyncio.sleep(delay)
                continue
            delay = retries.after_error(outcome.retry_after)  # Kind.RETRY
            if delay is None:
                if probe and connection_only:
                    raise self._config_error(
                        f"cannot be reached ({outcome.error}, {attempts} attempts); check "
                        f"endpoint.base_url and that the server is running", key)
                result = self._failed(f"{outcome.error} (after {attempts} attempts)",
                                      attempts, started, key)
                result.raw = raw
                return result
            self.stats.retried += 1
            log.debug("%s from %s; retry %d in %.3fs", outcome.error, spec.base_url,
                      retries.errors, delay)
            await asyncio.sleep(delay)

    async def _send(
        self, body: dict[str, Any], headers: dict[str, str], messages: Messages,
        key: str | None,
    ) -> tuple[Outcome, RawResponse | None]:
        """One attempt: the request sent, and what its answer (or error) came to."""
        spec = self.spec
        self.stats.requests += 1
        self.stats.in_flight += 1
        try:
            resp = await self._post(json.dumps(body).encode(), headers)
        except (asyncio.TimeoutError, aiohttp.ClientError) as exc:
            return of_exception(exc, timeout_s=spec.timeout_s,
                                connect_timeout_s=spec.connect_timeout_s), None
        finally:
            self.stats.in_flight -= 1
        self.stats.answered += 1
        return of_response(resp, messages, sent_format="response_format" in body,
                           model=spec.model,
                           unset_key_env=spec.api_key_env if key is None else None), resp

    def _done(
        self, result: CallResult, sent: str, schema: dict[str, Any] | None, attempts: int,
        started: float, key: str | None,
    ) -> CallResult:
        """A completion, with its key-scrubbed text, attempts, latency and cost."""
        assert self.limiter is not None
        self.limiter.on_success()
        result.text = self._scrub(result.text or "", key)
        result.attempts = attempts
        result.latency_s = time.perf_counter() - started
        result.usage.cost = self.spec.prices.cost(result.usage.prompt_tokens,
                                                  result.usage.completion_tokens)
        if schema is not None:
            self.structured.observe(sent, result.text, schema, result.truncated)
        return result

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
