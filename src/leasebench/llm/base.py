"""What the LLM components share: params, client set-up, the sync/async bridge."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from typing import Any, ClassVar, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from ..components import Context
from ..io import atomic_write_text
from ..records import ModelRef
from . import watch
from .bridge import stream
from .cache import CACHE_FILE, ResponseCache
from .client import LLMClient, Messages
from .config import EndpointSpec
from .usage import CallEstimate

ENDPOINT_FILE = "endpoint.json"
T = TypeVar("T")
R = TypeVar("R")


class LLMParams(BaseModel):
    """Params every LLM component has: the endpoint and the completion bound."""

    model_config = ConfigDict(extra="forbid")

    endpoint: EndpointSpec = Field(
        default_factory=EndpointSpec, description="The chat-completions endpoint."
    )
    max_tokens: int = Field(1024, ge=1, description="Most completion tokens per call.")


class _HasLLMParams(Protocol):
    @property
    def params(self) -> LLMParams: ...


class LLMComponent:
    """Mixin of the LLM components: they wait on an endpoint, within its concurrency.

    It comes first among the bases (``class LLMExtractor(LLMComponent, Extractor[...])``)
    so its ``io_bound`` wins; ``self.params`` keeps the family base's narrowed type.
    """

    io_bound: ClassVar[bool] = True

    def concurrency_limit(self: _HasLLMParams, model: ModelRef | None = None) -> int | None:
        effective = getattr(self, "effective_params", None)
        params = effective(model) if effective is not None else self.params
        return int(params.endpoint.concurrency)


def shared_endpoint(endpoint: EndpointSpec, workers: int) -> EndpointSpec:
    """The endpoint as one of ``workers`` copies of the work: a share of its concurrency."""
    if workers <= 1:
        return endpoint
    return endpoint.model_copy(update={"concurrency": max(1, endpoint.concurrency // workers)})


def budget_of(ctx: Context) -> Any:
    """The run's budget from the context, if it has one."""
    budget = ctx.budget
    return budget if budget is not None and hasattr(budget, "reserve") else None


def run_items(
    endpoint: EndpointSpec,
    ctx: Context,
    fn: Callable[[LLMClient, T], Awaitable[R]],
    items: Sequence[T],
) -> Iterator[R]:
    """Yield ``fn(client, item)`` per item as each completes, with cache and budget; while
    they run, progress and stall lines say what the endpoint is doing (``llm/watch.py``)."""
    if not items:
        return
    endpoint = shared_endpoint(endpoint, ctx.workers)
    # a call re-sent after a killed run is counted under the stage directory's name
    cache = ResponseCache.in_dir(ctx.cache_dir, scope=ctx.workdir.parent.name)
    waiting = watch.Waiting(len(items))

    @asynccontextmanager
    async def client() -> AsyncIterator[LLMClient]:
        async with LLMClient(endpoint, cache=cache, budget=budget_of(ctx), stage=ctx.stage) as c:
            watcher = asyncio.ensure_future(watch.watch(c, ctx, waiting))
            try:
                yield c
            finally:
                watcher.cancel()
                await asyncio.gather(watcher, return_exceptions=True)
                report_endpoint(c, ctx)

    async def counted(c: LLMClient, item: T) -> R:
        try:
            return await fn(c, item)
        finally:
            waiting.done += 1

    try:
        yield from stream(client, counted, items)
    finally:
        if cache is not None:
            cache.close()


async def gather_all(calls: Iterable[Awaitable[R]]) -> list[R]:
    """Every call's result, in order; the others are cancelled when one raises."""
    tasks = [asyncio.ensure_future(c) for c in calls]
    try:
        return list(await asyncio.gather(*tasks))
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def report_endpoint(client: LLMClient, ctx: Context) -> None:
    """Say how structured output ended up, and keep it in the stage's workdir."""
    structured = client.structured
    if not structured.requests:
        return
    ctx.say(client.describe())
    info = {
        "base_url": client.spec.base_url, "model": client.spec.model,
        "structured_output": structured.as_dict(), "requests": client.stats.requests,
        "cache_hits": client.stats.cache_hits, "failed": client.stats.failed,
    }
    with contextlib.suppress(OSError):
        ctx.workdir.mkdir(parents=True, exist_ok=True)
        atomic_write_text(ctx.workdir / ENDPOINT_FILE, json.dumps(info, indent=2) + "\n")


class Estimator:
    """Sums worst-case call estimates, counting calls already in the cache as free."""

    def __init__(self, endpoint: EndpointSpec, ctx: Context):
        self.client = LLMClient(endpoint)
        path = None if ctx.cache_dir is None else ctx.cache_dir / CACHE_FILE
        self.cache = ResponseCache(path) if path is not None and path.exists() else None
        self.total = CallEstimate()

    def add(self, messages: Messages, **call: Any) -> bool:
        """Count one call; True when its answer is already cached."""
        if self.cache is not None and self.client.key(messages, **call) in self.cache:
            self.total = self.total + CallEstimate(cached=1)
            return True
        p, c, cost = self.client.worst_case(messages, call["max_tokens"], call.get("schema"))
        self.total = self.total + CallEstimate(1, p, c, cost)
        return False

    def cached_text(self, messages: Messages, **call: Any) -> str | None:
        if self.cache is None:
            return None
        hit = self.cache.get(self.client.key(messages, **call))
        return None if hit is None else hit["text"]

    def done(self) -> CallEstimate:
        if self.cache is not None:
            self.cache.close()
        return self.total


def labels_json(labels: Any) -> str:
    return json.dumps(labels, indent=2, ensure_ascii=False)


def user(content: str) -> Messages:
    return [{"role": "user", "content": content}]


__all__ = [
    "Estimator",
    "LLMComponent",
    "LLMParams",
    "budget_of",
    "gather_all",
    "labels_json",
    "run_items",
    "shared_endpoint",
    "user",
]
