"""The response cache: hits are free, errors are not cached, sampled calls keyed by seed."""

from __future__ import annotations

import asyncio
from typing import Any

from leasebench.llm.cache import ResponseCache, cache_key
from leasebench.llm.client import CallResult, LLMClient
from leasebench.llm.config import EndpointSpec
from leasebench.testing.llm_server import Reply

from .helpers import make_spec


def call(spec: EndpointSpec, cache: ResponseCache, **kw: Any) -> CallResult:
    kw.setdefault("max_tokens", 16)
    messages = kw.pop("messages", [{"role": "user", "content": "hi"}])

    async def main() -> CallResult:
        async with LLMClient(spec, cache=cache) as client:
            return await client.complete(messages, **kw)

    return asyncio.run(main())


def test_hit_makes_no_request_and_restores_the_usage_it_was_paid_with(serve, tmp_path):
    srv = serve(lambda body, req: Reply(content="answer", prompt_tokens=10, completion_tokens=5))
    cache = ResponseCache(tmp_path / "c.sqlite")
    spec = make_spec(srv)
    first = call(spec, cache)
    second = call(spec, ResponseCache(tmp_path / "c.sqlite"))  # reopened: persistent
    assert not first.cached and first.usage.cost > 0 and first.usage.cached == 0
    assert second.cached and second.text == "answer" and len(srv.requests) == 1
    assert second.usage.recorded() == first.usage  # the tokens and cost paid, once
    assert second.latency_s == round(first.latency_s, 3)
    assert (second.usage.cached, second.usage.cached_cost) == (1, first.usage.cost)
    assert second.usage.paid_now().calls == 0 and second.usage.paid_now().cost == 0


def test_errors_are_not_cached(serve, tmp_path):
    srv = serve(lambda body, req: "ok")
    srv.script(Reply(status=500), Reply(status=500))
    cache = ResponseCache(tmp_path / "c.sqlite")
    spec = make_spec(srv, max_retries=1)
    assert not call(spec, cache).ok
    assert len(cache) == 0
    assert call(spec, cache).ok and len(cache) == 1
    assert len(srv.requests) == 3


def test_key_covers_every_request_input(serve, tmp_path):
    srv = serve(lambda body, req: "ok")
    cache = ResponseCache(tmp_path / "c.sqlite")
    spec = make_spec(srv)
    call(spec, cache)
    call(spec, cache, max_tokens=17)
    call(spec, cache, temperature=0.1, seed=1, sample=0)
    call(make_spec(srv, model="other"), cache)
    call(make_spec(srv, extra_body={"top_p": 0.5}), cache)
    call(spec, cache, schema={"type": "object"})
    call(spec, cache, messages=[{"role": "user", "content": "hi!"}])
    assert len(srv.requests) == 7 and len(cache) == 7
    call(spec, cache)
    assert len(srv.requests) == 7


def test_sampled_calls_are_keyed_by_seed_and_sample(serve, tmp_path):
    counter = iter(range(100))
    srv = serve(lambda body, req: f"sample {next(counter)}")
    cache = ResponseCache(tmp_path / "c.sqlite")
    spec = make_spec(srv)
    a = call(spec, cache, temperature=0.9, seed=1, sample=0)
    b = call(spec, cache, temperature=0.9, seed=2, sample=0)
    c = call(spec, cache, temperature=0.9, seed=1, sample=1)
    again = call(spec, cache, temperature=0.9, seed=1, sample=0)
    assert len({a.text, b.text, c.text}) == 3
    assert again.cached and again.text == a.text
    # at temperature 0 the answer does not depend on the seed: one entry
    call(spec, cache, temperature=0.0, seed=1)
    assert call(spec, cache, temperature=0.0, seed=2).cached
    assert len(srv.requests) == 4


def test_key_function_is_canonical():
    base = {
        "base_url": "u",
        "model": "m",
        "messages": [{"role": "user", "content": "x"}],
        "schema": None,
    }
    k1 = cache_key(params={"temperature": 0, "max_tokens": 5}, seed=1, **base)
    k2 = cache_key(params={"max_tokens": 5, "temperature": 0}, seed=2, **base)
    k3 = cache_key(params={"max_tokens": 5, "temperature": 0.5}, seed=1, **base)
    k4 = cache_key(params={"max_tokens": 5, "temperature": 0.5}, seed=2, **base)
    assert k1 == k2 and k3 != k4


def test_cache_in_dir_and_get_many(tmp_path):
    assert ResponseCache.in_dir(None) is None
    cache = ResponseCache.in_dir(tmp_path / "cache")
    assert cache is not None and cache.path.parent == tmp_path / "cache"
    cache.put("a", {"text": "1"})
    cache.put("b", {"text": "2"})
    assert cache.get_many(["a", "b", "c"]) == {"a": {"text": "1"}, "b": {"text": "2"}}
    assert "a" in cache and "c" not in cache


def test_identical_calls_in_flight_are_made_once(serve, schema, tmp_path):
    srv = serve(lambda body, req: "ok", latency=0.1)

    async def main():
        cache = ResponseCache(tmp_path / "c.sqlite")
        async with LLMClient(make_spec(srv), cache=cache) as client:
            msgs = [{"role": "user", "content": "same question"}]
            return await asyncio.gather(*(client.complete(msgs) for _ in range(5)))

    results = asyncio.run(main())
    assert [r.text for r in results] == ["ok"] * 5
    assert len(srv.requests) == 1 and sum(r.cached for r in results) == 4
