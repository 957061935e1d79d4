"""The client's retry loop in its parts, without a server: what an answer or an exception
means (``attempts``), and when to send again (``retry``)."""

from __future__ import annotations

import asyncio
import json
import random
from typing import Any

import aiohttp
import pytest
from multidict import CIMultiDict, CIMultiDictProxy

from leasebench.llm.attempts import MAX_BODY_BYTES, Kind, of_exception, of_response
from leasebench.llm.config import EndpointSpec
from leasebench.llm.responses import RawResponse
from leasebench.llm.retry import MAX_RETRY_AFTER_S, RETRY_JITTER, RetryPolicy

MESSAGES = [{"role": "user", "content": "Extract the lessor."}]


def answer(status: int, body: Any = b"", truncated: bool = False, **headers: str) -> RawResponse:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return RawResponse(status, CIMultiDictProxy(CIMultiDict(
        {k.replace("_", "-"): v for k, v in headers.items()})), raw, truncated)


def outcome(resp: RawResponse, sent_format: bool = False, unset_key_env: str | None = None):
    return of_response(resp, MESSAGES, sent_format=sent_format, model="small-model",
                       unset_key_env=unset_key_env)


COMPLETION = {"choices": [{"message": {"content": '{"lessor": ["Acme"]}'},
                           "finish_reason": "stop"}],
              "usage": {"prompt_tokens": 12, "completion_tokens": 7}}


def test_a_completion_is_done_with_its_text_and_usage():
    o = outcome(answer(200, COMPLETION))
    assert o.kind is Kind.DONE and o.result is not None and o.reached
    assert o.result.text == '{"lessor": ["Acme"]}' and o.result.finish_reason == "stop"
    assert (o.result.usage.prompt_tokens, o.result.usage.completion_tokens) == (12, 7)


@pytest.mark.parametrize(("resp", "kind", "keep_raw"), [
    (answer(200, b"<html>gateway</html>"), Kind.RETRY, True),  # not a completion
    (answer(200, {"choices": []}), Kind.RETRY, True),
    (answer(200, COMPLETION, truncated=True), Kind.FAILED, True),  # past MAX_BODY_BYTES
    (answer(500, b"upstream died"), Kind.RETRY, False),
    (answer(503, b"loading"), Kind.RETRY, False),
    (answer(408, b""), Kind.RETRY, False),
    (answer(418, b"teapot"), Kind.FAILED, False),  # a 4xx of this call only
    (answer(400, b"context length exceeded: too many tokens"), Kind.FAILED, False),
])
def test_what_each_answer_means(resp, kind, keep_raw):
    o = outcome(resp)
    assert (o.kind, o.keep_raw, o.reached) == (kind, keep_raw, True)
    assert o.result is None and o.error


def test_the_error_says_the_status_and_the_body():
    assert outcome(answer(502, b"bad gateway")).error == "HTTP 502: bad gateway"
    assert outcome(answer(200, b"x" * 10, truncated=True)).error == (
        f"answer longer than {MAX_BODY_BYTES >> 20} MiB")
    assert outcome(answer(200, b"not json")).error.startswith("malformed response body")


def test_rate_limits_and_retries_carry_the_servers_delay():
    assert outcome(answer(429, b"slow down", retry_after="7")).retry_after == 7.0
    o = outcome(answer(429, b"slow down", retry_after_ms="250"))
    assert (o.kind, o.retry_after) == (Kind.RATE_LIMITED, 0.25)
    assert outcome(answer(429, b"slow down")).retry_after is None
    assert outcome(answer(503, b"busy", retry_after="2")).retry_after == 2.0


@pytest.mark.parametrize(("status", "body", "hint"), [
    (401, b"invalid api key", "check the key in the environment variable"),
    (403, b"forbidden", "check the key in the environment variable"),
    (404, b"no route", "check endpoint.base_url"),
    (400, b"model small-model not found", "check endpoint.model"),
])
def test_configuration_errors_are_fatal_with_a_hint(status, body, hint):
    o = outcome(answer(status, body))
    assert o.kind is Kind.FATAL
    assert o.error.startswith(f"answered HTTP {status}: {body.decode()}") and hint in o.error


def test_an_unset_key_is_named():
    o = outcome(answer(401, b"no key"), unset_key_env="ACME_API_KEY")
    assert "environment variable ACME_API_KEY is not set" in o.error


def test_a_refused_response_format_is_told_apart_only_when_one_was_sent():
    body = b'{"error": "response_format json_schema is not supported"}'
    assert outcome(answer(400, body), sent_format=True).kind is Kind.REFUSED_FORMAT
    assert outcome(answer(400, body), sent_format=False).kind is Kind.FAILED


def test_what_each_exception_means():
    times = {"timeout_s": 60.0, "connect_timeout_s": 5.0}
    down = of_exception(aiohttp.ConnectionTimeoutError(), **times)
    assert (down.kind, down.reached) == (Kind.RETRY, False)
    assert down.error.startswith("connection time-out after 5s")
    busy = of_exception(asyncio.TimeoutError(), **times)
    assert (busy.kind, busy.timed_out, busy.reached) == (Kind.FAILED, True, False)
    assert busy.error.startswith("time-out after 60s: the server took the request")
    refused = of_exception(aiohttp.ClientConnectionError("refused"), **times)
    assert (refused.kind, refused.reached) == (Kind.RETRY, False)
    assert refused.error == "connection error: ClientConnectionError: refused"


def policy(seed: int = 1, **changes: Any) -> RetryPolicy:
    spec = EndpointSpec(base_url="http://127.0.0.1:1/v1", model="m", **changes)
    return RetryPolicy.of(spec, random.Random(seed))


def test_backoff_doubles_up_to_its_cap_with_jitter_and_is_seeded():
    p = policy(backoff_s=1.0, backoff_max_s=6.0)
    delays = [p.backoff(n) for n in range(1, 6)]
    for n, d in enumerate(delays, start=1):
        cap = min(6.0, 2 ** (n - 1))
        assert 0.5 * cap <= d < cap
    again = policy(backoff_s=1.0, backoff_max_s=6.0)
    assert [again.backoff(n) for n in range(1, 6)] == delays  # same seed, same delays
    assert policy(2, backoff_s=1.0, backoff_max_s=6.0).backoff(1) != delays[0]


def test_transient_failures_are_retried_max_retries_times():
    r = policy(max_retries=2).start()
    assert r.after_error() is not None and r.after_error() is not None
    assert r.after_error() is None and r.errors == 3
    assert policy(max_retries=0).start().after_error() is None


def test_the_servers_retry_after_wins_but_is_capped():
    r = policy(max_retries=5).start()
    assert r.after_error(2.5) == 2.5
    assert r.after_error(10_000.0) == MAX_RETRY_AFTER_S


def test_rate_limits_wait_with_jitter_until_their_budget_is_spent():
    r = policy(rate_limit_wait_s=10.0, max_retries=0).start()
    first = r.after_rate_limit(4.0)
    assert first is not None and 4.0 <= first <= 4.0 * (1 + RETRY_JITTER)
    assert r.waited == first and r.errors == 0  # 429s do not use up max_retries
    waits = [first]
    while (d := r.after_rate_limit(4.0)) is not None:
        waits.append(d)
    assert sum(waits) == pytest.approx(r.waited) and r.waited <= 10.0
    assert len(waits) >= 2  # 10 s holds at least two waits of at most 6 s


def test_a_rate_limit_without_retry_after_backs_off_by_429s_so_far():
    r = policy(backoff_s=1.0, backoff_max_s=100.0, rate_limit_wait_s=1e6).start()
    delays = [r.after_rate_limit() for _ in range(4)]
    assert r.rate_limited == 4
    for n, d in enumerate(delays, start=1):
        assert d is not None and 0.5 * 2 ** (n - 1) <= d < 2 ** (n - 1) * (1 + RETRY_JITTER)
