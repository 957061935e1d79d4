"""The one OpenAI-compatible chat-completions client every LLM component shares.

Async over aiohttp, with adaptive bounded concurrency (AIMD on 429), ``Retry-After`` /
``retry-after-ms``, retries with exponential back-off and jitter for 5xx, connection
errors and time-outs, a per-request time-out, structured output with fallback, the
persistent response cache and the cost budget. A call that finally fails comes back as
a ``CallResult`` with ``error`` set; only configuration errors (401/403/404: wrong key,
URL or model) raise, since every other call would fail the same way.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import random
import time
from typing import Any

import aiohttp

from ..records import Usage
from .adaptive import AdaptiveLimiter
from .cache import ResponseCache, cache_key, canonical_json
from .config import EndpointSpec
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
from .usage import Budget, UsageLedger, estimate_tokens

log = logging.getLogger("leasebench.llm")

MAX_RETRY_AFTER_S = 300.0
RETRY_JITTER = 0.5
FATAL_STATUS = {401, 403, 404}


class LLMClient:
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
        self.spec = spec
        self.cache = cache
        self.budget = budget
        self.stage = stage
        self.ledger = ledger or (budget.ledger if budget is not None else UsageLedger())
        self.stats = ClientStats()
        self.limiter: AdaptiveLimiter | None = None
        self._http: aiohttp.ClientSession | None = None
        self._schema_refused = spec.structured_output == "none"
        self._rng = random.Random()
        self._digests: dict[int, tuple[dict[str, Any], str]] = {}
        self._inflight: dict[str, asyncio.Future[CallResult]] = {}

    def __repr__(self) -> str:
        return f"LLMClient({self.spec.base_url!r}, model={self.spec.model!r})"

    async def __aenter__(self) -> LLMClient:
        n = self.spec.concurrency
        self.limiter = AdaptiveLimiter(n)
        self._http = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=n, limit_per_host=n),
            timeout=aiohttp.ClientTimeout(total=self.spec.timeout_s),
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._http is not None:
            await self._http.close()
            self._http = None

    # -- request shape -------------------------------------------------------------

    def params(self, temperature: float, max_tokens: int) -> dict[str, Any]:
        return {"temperature": temperature, "max_tokens": max_tokens, **self.spec.extra_body}

    def key(
        self,
        messages: Messages,
        *,
        temperature: float = 0.0,
        max_tokens: int = 1024,
        seed: int | None = None,
        sample: int | None = None,
        schema: dict[str, Any] | None = None,
    ) -> str:
        """The response-cache key of a call."""
        structured = None
        if schema is not None:
            structured = [self.spec.structured_output, self._schema_digest(schema)]
        return cache_key(
            base_url=self.spec.base_url,
            model=self.spec.model,
            messages=messages,
            params=self.params(temperature, max_tokens),
            schema=structured,
            seed=seed,
            sample=sample,
        )

    def _schema_digest(self, schema: dict[str, Any]) -> str:
        """A schema's digest, remembered per schema object (the key of every call has it)."""
        found = self._digests.get(id(schema))
        if found is None or found[0] is not schema:
            digest = hashlib.sha256(canonical_json(schema).encode()).hexdigest()
            found = self._digests[id(schema)] = (schema, digest)
        return found[1]

    def worst_case(
        self, messages: Messages, max_tokens: int, schema: dict[str, Any] | None = None
    ) -> tuple[int, int, float]:
        """Estimated prompt tokens, the completion bound and the cost bound of a call."""
        chars = sum(len(str(m.get("content", ""))) for m in messages)
        prompt = estimate_tokens("x" * chars) + 4 * len(messages)
        if schema is not None and self.spec.structured_output != "none":
            prompt += estimate_tokens(json.dumps(schema))
        return prompt, max_tokens, self.spec.prices.cost(prompt, max_tokens)

    def _body(
        self,
        messages: Messages,
        temperature: float,
        max_tokens: int,
        seed: int | None,
        schema: dict[str, Any] | None,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"model": self.spec.model, "messages": messages}
        body.update(self.params(temperature, max_tokens))
        if seed is not None and self.spec.send_seed:
            body["seed"] = seed
        if schema is not None and not self._schema_refused:
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "output", "schema": schema, "strict": True},
            }
        return body

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
        ``EndpointError`` on 401/403/404; every other failure is in the result.
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
                return CallResult(
                    text=hit["text"], finish_reason=hit.get("finish_reason"), cached=True
                )
            if key in self._inflight:  # the same call is on its way: share its answer
                first = await asyncio.shield(self._inflight[key])
                self.stats.cache_hits += 1
                self.ledger.add(self.stage, Usage(), cached=True)
                return CallResult(text=first.text, finish_reason=first.finish_reason,
                                  error=first.error, cached=True)
            self._inflight[key] = asyncio.get_running_loop().create_future()
        try:
            result = await self._fetch(messages, temperature, max_tokens, seed, schema, key)
        except BaseException as exc:
            if key is not None and key in self._inflight:
                shared = self._inflight.pop(key)
                shared.set_exception(exc)
                shared.exception()  # retrieved here; waiters still get it raised
            raise
        if key is not None and key in self._inflight:
            self._inflight.pop(key).set_result(result)
        return result

    async def _fetch(
        self, messages: Messages, temperature: float, max_tokens: int, seed: int | None,
        schema: dict[str, Any] | None, key: str | None,
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
            result = await self._attempts(messages, temperature, max_tokens, seed, schema, epoch)
        finally:
            self.limiter.release()
            if self.budget is not None:
                self.budget.settle(reserved, result.usage.cost if result else 0.0)
        if result.ok and key is not None and self.cache is not None:
            self.cache.put(
                key,
                {
                    "text": result.text,
                    "finish_reason": result.finish_reason,
                    "prompt_tokens": result.usage.prompt_tokens,
                    "completion_tokens": result.usage.completion_tokens,
                },
            )
        if not result.ok:
            self.stats.failed += 1
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
        while True:
            attempts += 1
            self.stats.requests += 1
            body = self._body(messages, temperature, max_tokens, seed, schema)
            wait: float | None = None
            try:
                resp = await self._post(json.dumps(body).encode(), headers)
            except asyncio.TimeoutError:
                error = f"time-out after {spec.timeout_s:g}s"
            except aiohttp.ClientError as exc:
                error = f"connection error: {type(exc).__name__}: {exc}"
            else:
                status = resp.status
                if status == 200:
                    parsed = parse_completion(resp, messages)
                    if isinstance(parsed, CallResult):
                        self.limiter.on_success()
                        parsed.attempts = attempts
                        parsed.latency_s = time.perf_counter() - started
                        parsed.usage.cost = spec.prices.cost(
                            parsed.usage.prompt_tokens, parsed.usage.completion_tokens
                        )
                        return parsed
                    error = parsed
                elif status == 429:
                    self.stats.rate_limited += 1
                    epoch = self.limiter.on_rate_limited(epoch)
                    delay = retry_after_s(resp.headers)
                    if delay is None:
                        rate_limited += 1
                        delay = self._backoff(rate_limited)
                    # a little jitter spreads the retries the same answer woke at once
                    delay = min(delay, MAX_RETRY_AFTER_S) * (1 + RETRY_JITTER * self._rng.random())
                    if waited + delay > spec.rate_limit_wait_s:
                        return self._failed(
                            f"HTTP 429: still rate-limited after waiting {waited:.1f}s",
                            attempts,
                            started,
                            key,
                        )
                    waited += delay
                    log.debug("429 from %s; retrying in %.3fs", spec.base_url, delay)
                    await asyncio.sleep(delay)
                    continue
                elif (
                    status in (400, 422)
                    and "response_format" in body
                    and (spec.structured_output == "auto")
                ):
                    log.info(
                        "%s refused response_format (HTTP %d); parsing text instead",
                        spec.base_url,
                        status,
                    )
                    self._schema_refused = True
                    continue
                elif status in FATAL_STATUS:
                    hint = ""
                    if key is None and spec.api_key_env is not None:
                        hint = f" (environment variable {spec.api_key_env} is not set)"
                    raise EndpointError(
                        self._scrub(
                            f"{spec.completions_url} (model {spec.model}) answered HTTP {status}: "
                            f"{snippet(resp)}{hint}",
                            key,
                        )
                    )
                elif status in (408, 409, 425) or status >= 500:
                    error = f"HTTP {status}: {snippet(resp)}"
                    wait = retry_after_s(resp.headers)
                else:
                    return self._failed(f"HTTP {status}: {snippet(resp)}", attempts, started, key)
            errors += 1
            if errors > spec.max_retries:
                return self._failed(f"{error} (after {attempts} attempts)", attempts, started, key)
            self.stats.retried += 1
            delay = self._backoff(errors) if wait is None else min(wait, MAX_RETRY_AFTER_S)
            log.debug("%s from %s; retry %d in %.3fs", error, spec.base_url, errors, delay)
            await asyncio.sleep(delay)

    async def _post(self, payload: bytes, headers: dict[str, str]) -> RawResponse:
        assert self._http is not None
        url = self.spec.completions_url
        async with self._http.post(url, data=payload, headers=headers) as resp:
            return RawResponse(resp.status, resp.headers, await resp.read())

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
        return text.replace(key, "***") if key else text


__all__ = ["CallResult", "ClientStats", "EndpointError", "LLMClient", "retry_after_s"]
