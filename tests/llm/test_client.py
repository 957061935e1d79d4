"""The client against the loopback server: retries, Retry-After, time-outs, AIMD, usage."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest

from leasebench.llm.adaptive import AdaptiveLimiter
from leasebench.llm.client import CallResult, EndpointError, LLMClient, retry_after_s
from leasebench.llm.config import EndpointSpec, expand_env
from leasebench.llm.usage import UsageLedger
from leasebench.testing.llm_server import Reply

from .helpers import make_spec


def msgs(i: int = 0) -> list[dict[str, Any]]:
    return [{"role": "user", "content": f"question {i}"}]


def run_calls(spec: EndpointSpec, n: int = 1, **kw: Any) -> tuple[list[CallResult], LLMClient]:
    kw.setdefault("max_tokens", 16)
    holder: list[LLMClient] = []

    async def main() -> list[CallResult]:
        async with LLMClient(spec, ledger=UsageLedger(), stage="s") as client:
            holder.append(client)
            return await asyncio.gather(*(client.complete(msgs(i), **kw) for i in range(n)))

    return asyncio.run(main()), holder[0]


def test_call_sends_params_and_books_usage_and_cost(serve):
    srv = serve(lambda body, req: Reply(content="hello", prompt_tokens=1000, completion_tokens=500))
    [res], client = run_calls(make_spec(srv), temperature=0.5, max_tokens=64, seed=3)
    assert res.ok and res.text == "hello" and res.attempts == 1
    assert res.usage.prompt_tokens == 1000 and res.usage.completion_tokens == 500
    assert res.usage.cost == pytest.approx(1.0 * 1 + 2.0 * 0.5)
    body = srv.requests[0].body
    assert body["model"] == "test-model" and body["messages"] == msgs(0)
    assert (body["temperature"], body["max_tokens"], body["seed"]) == (0.5, 64, 3)
    assert "response_format" not in body
    stage = client.ledger.stage("s")
    assert (stage.calls, stage.failed, stage.cost) == (1, 0, pytest.approx(2.0))


def test_usage_estimated_when_server_omits_it(serve):
    srv = serve(lambda body, req: Reply(content="x" * 40, usage=False))
    [res], _ = run_calls(make_spec(srv))
    assert res.usage.completion_tokens == 10 and res.usage.prompt_tokens >= 1


def test_retry_after_seconds_is_honoured(serve):
    srv = serve(lambda body, req: "ok")
    srv.script(Reply(status=429, headers={"Retry-After": "1"}))
    start = time.perf_counter()
    [res], client = run_calls(make_spec(srv))
    assert res.ok and res.attempts == 2
    assert time.perf_counter() - start >= 0.95
    assert client.stats.rate_limited == 1


def test_retry_after_ms_is_preferred(serve):
    srv = serve(lambda body, req: "ok")
    srv.script(Reply(status=429, headers={"Retry-After": "30", "retry-after-ms": "150"}))
    start = time.perf_counter()
    [res], _ = run_calls(make_spec(srv))
    elapsed = time.perf_counter() - start
    # waiting the 30 s of Retry-After instead would take 200x longer than the 150 ms
    assert res.ok and 0.14 <= elapsed < 15


def test_retry_after_http_date():
    from email.utils import formatdate

    from multidict import CIMultiDict, CIMultiDictProxy

    headers = CIMultiDictProxy(CIMultiDict({"Retry-After": formatdate(time.time() + 600)}))
    assert 300 <= (retry_after_s(headers) or 0) <= 600.1  # whole seconds, minus any stall
    assert retry_after_s(CIMultiDictProxy(CIMultiDict())) is None


def test_5xx_are_retried_with_backoff(serve):
    srv = serve(lambda body, req: "ok")
    srv.script(Reply(status=500), Reply(status=502), Reply(status=503))
    [res], client = run_calls(make_spec(srv, max_retries=3))
    assert res.ok and res.attempts == 4 and client.stats.retried == 3
    assert [r.status for r in srv.requests] == [500, 502, 503, 200]


def test_call_that_finally_fails_is_recorded_not_raised(serve):
    srv = serve(lambda body, req: Reply(status=500))
    [res], client = run_calls(make_spec(srv, max_retries=2))
    assert not res.ok and "HTTP 500" in res.error and "after 3 attempts" in res.error
    assert len(srv.requests) == 3
    assert client.ledger.stage("s").failed == 1 and client.ledger.stage("s").calls == 0


def test_client_errors_are_not_retried(serve):
    srv = serve(lambda body, req: Reply(status=400))
    [res], _ = run_calls(make_spec(srv, structured_output="none"))
    assert not res.ok and "HTTP 400" in res.error and len(srv.requests) == 1


def test_auth_errors_stop_the_stage(serve):
    srv = serve(lambda body, req: Reply(status=401))
    with pytest.raises(EndpointError, match="HTTP 401"):
        run_calls(make_spec(srv))


def test_hung_request_times_out_and_is_not_sent_again(serve):
    srv = serve(lambda body, req: "ok")
    srv.script(Reply(hang=True))
    start = time.perf_counter()
    [res], client = run_calls(make_spec(srv, timeout_s=0.3))
    assert not res.ok and res.attempts == 1 and len(srv.requests) == 1
    assert "time-out after 0.3s" in res.error and "busy" in res.error
    assert client.stats.timed_out == 1 and client.stats.retried == 0
    assert 0.3 <= time.perf_counter() - start < 30  # without the time-out it never ends


def test_a_server_slower_than_the_time_out_never_gets_a_second_copy(serve):
    """The server keeps working on a request its client gave up on (as transformers serve
    does); no copy of a request arrives while the first still runs, in this run or the
    next (which retries the timed-out ones once the server is free)."""
    srv = serve(lambda body, req: Reply(content="late", delay=1.0))
    spec = make_spec(srv, timeout_s=0.3, concurrency=2)
    results, client = run_calls(spec, n=4)
    assert all(not r.ok and "busy" in r.error for r in results)
    assert client.stats.timed_out == 4 and client.stats.retried == 0
    time.sleep(1.2)  # the server finishes what it was given
    srv.handler = lambda body, req: "ok"
    again, _ = run_calls(spec, n=4)
    assert all(r.ok for r in again)
    by_body: dict[str, list[Any]] = {}
    for req in srv.requests:
        by_body.setdefault(json.dumps(req.body["messages"]), []).append(req)
    for copies in by_body.values():
        copies.sort(key=lambda r: r.time)
        assert len(copies) == 2
        assert copies[1].time >= copies[0].answered  # the second after the first ended


def test_a_server_that_never_accepts_the_connection_counts_as_down(serve):
    import socket

    listener = socket.socket()  # listens, never accepts: connections hang in the backlog
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    filler = []
    for _ in range(4):  # fill the backlog: later connections get no answer to their SYN
        conn = socket.socket()
        conn.setblocking(False)
        conn.connect_ex(listener.getsockname())
        filler.append(conn)
    time.sleep(0.2)
    try:
        spec = EndpointSpec(base_url=f"http://127.0.0.1:{listener.getsockname()[1]}/v1",
                            model="m", api_key_env=None, connect_timeout_s=0.2,
                            max_retries=1, backoff_s=0.01)
        start = time.perf_counter()
        with pytest.raises(EndpointError, match=r"cannot be reached.*did not accept"):
            run_calls(spec)
        assert time.perf_counter() - start < 60
    finally:
        for conn in filler:
            conn.close()
        listener.close()


def test_time_out_fails_the_call(serve):
    srv = serve(lambda body, req: Reply(hang=True))
    [res], _ = run_calls(make_spec(srv, timeout_s=0.2, max_retries=1))
    assert not res.ok and "time-out after 0.2s" in res.error and res.attempts == 1


def test_slow_answer_beyond_time_out(serve):
    srv = serve(lambda body, req: Reply(content="late", delay=1.0))
    [res], _ = run_calls(make_spec(srv, timeout_s=0.2, max_retries=0))
    assert not res.ok and "time-out" in res.error


def test_an_endpoint_never_reached_stops_the_stage(serve):
    srv = serve()
    spec = make_spec(srv, max_retries=2)
    srv.stop()  # nothing listens on the port any more
    with pytest.raises(EndpointError, match=r"cannot be reached.*endpoint.base_url") as err:
        run_calls(spec, n=5)
    assert srv.url in str(err.value) and "test-model" in str(err.value)


def test_connection_errors_after_the_first_answer_are_retried_then_recorded(serve):
    srv = serve(lambda body, req: "ok", hang_s=0.01)  # a hung reply drops the connection
    spec = make_spec(srv, max_retries=2, concurrency=1)
    srv.script(Reply(), Reply(hang=True), Reply(hang=True), Reply(hang=True))
    (first, res), client = run_calls(spec, n=2)
    assert first.ok
    assert not res.ok and res.error.startswith("connection error") and res.attempts == 3
    assert client.stats.retried == 2


def test_malformed_body_is_retried(serve):
    srv = serve(lambda body, req: "fine")
    srv.script(Reply(body="<html>oops</html>"), Reply(body='{"choices": []}'))
    [res], _ = run_calls(make_spec(srv))
    assert res.ok and res.text == "fine" and res.attempts == 3


def test_truncated_answer_is_flagged(serve):
    srv = serve(lambda body, req: Reply(content='{"lessor": ["Ac', finish_reason="length"))
    [res], _ = run_calls(make_spec(srv))
    assert res.ok and res.truncated


def test_concurrency_is_bounded(serve):
    # each answer takes 0.5 s, hundreds of times the gap between two sends of one burst,
    # so the calls the client does make at once overlap at the server even under load
    srv = serve(lambda body, req: "ok", latency=0.5)
    run_calls(make_spec(srv, concurrency=4), n=12)
    events = sorted([(r.time, 1) for r in srv.requests] + [(r.answered, -1) for r in srv.requests])
    peak = level = 0
    for _, step in events:
        level += step
        peak = max(peak, level)
    assert 2 <= peak <= 4


def test_rate_limits_cut_concurrency_and_every_call_succeeds(serve):
    srv = serve(lambda body, req: "ok", latency=0.02, rate_limit=100, burst=5)
    results, client = run_calls(make_spec(srv, concurrency=32), n=150)
    assert all(r.ok for r in results)
    assert client.stats.rate_limited > 0
    assert client.limiter.decreases >= 1 and client.limiter.current < 32


def test_limiter_halves_once_per_epoch_and_grows_back():
    lim = AdaptiveLimiter(16)
    epoch = asyncio.run(lim.acquire())
    lim.release()
    lim.on_rate_limited(epoch)
    lim.on_rate_limited(epoch)  # same burst: no second cut
    assert lim.current == 8 and lim.decreases == 1
    for _ in range(200):
        lim.on_success()
    assert lim.current == 16


def test_limiter_blocks_beyond_its_limit():
    async def main() -> list[int]:
        lim = AdaptiveLimiter(2)
        seen: list[int] = []

        async def job() -> None:
            await lim.acquire()
            seen.append(lim.in_flight)
            await asyncio.sleep(0.01)
            lim.release()

        await asyncio.gather(*(job() for _ in range(10)))
        return seen

    assert max(asyncio.run(main())) == 2


def test_structured_output_modes(serve, schema):
    srv = serve(lambda body, req: "{}")
    out_schema = schema.output_json_schema()
    run_calls(make_spec(srv, structured_output="json_schema"), schema=out_schema)
    run_calls(make_spec(srv, structured_output="none"), schema=out_schema)
    first, second = srv.requests
    fmt = first.body["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["schema"] == out_schema
    assert "response_format" not in second.body


def test_auto_falls_back_when_response_format_is_refused(serve, schema):
    srv = serve(lambda body, req: "{}", reject_response_format=True)
    results, client = run_calls(make_spec(srv), n=3, schema=schema.output_json_schema())
    assert all(r.ok for r in results)
    sent = [(r.body.get("response_format") or {}).get("type") for r in srv.requests]
    # each mode refused once (the first call goes alone), then remembered
    assert sent == ["json_schema", "json_object", None, None, None]
    assert client.structured.mode == "none" and len(client.structured.refusals) == 2


def test_api_key_is_sent_from_the_environment(serve, monkeypatch):
    monkeypatch.setenv("LB_TEST_KEY", "k-123")
    srv = serve(lambda body, req: "ok", api_key="k-123")
    [res], _ = run_calls(make_spec(srv, api_key_env="LB_TEST_KEY"))
    assert res.ok and srv.requests[0].auth_ok is True
    assert srv.requests[0].headers["authorization"] == "<redacted>"


def test_unset_key_variable_sends_no_auth_and_explains_a_401(serve, monkeypatch):
    monkeypatch.delenv("LB_MISSING_KEY", raising=False)
    open_srv = serve(lambda body, req: "ok")
    [res], _ = run_calls(make_spec(open_srv, api_key_env="LB_MISSING_KEY"))
    assert res.ok and "authorization" not in open_srv.requests[0].headers
    locked = serve(api_key="secret")
    with pytest.raises(EndpointError, match="LB_MISSING_KEY is not set"):
        run_calls(make_spec(locked, api_key_env="LB_MISSING_KEY"))


def test_env_interpolation(monkeypatch):
    monkeypatch.setenv("LB_URL", "http://example.test/v1/")
    monkeypatch.delenv("LB_UNSET", raising=False)
    spec = EndpointSpec(base_url="${LB_URL}", model="${LB_UNSET:-small}", api_key_env=None)
    assert spec.base_url == "http://example.test/v1" and spec.model == "small"
    assert expand_env("a${LB_UNSET:-}b") == "ab"
    with pytest.raises(ValueError, match="LB_UNSET is not set"):
        EndpointSpec(base_url="${LB_UNSET}")


def test_server_accepts_serving_endpoint_paths(serve):
    srv = serve(lambda body, req: "ok")
    spec = EndpointSpec(
        base_url=srv.url.replace("/v1", "/serving-endpoints"), model="m", api_key_env=None
    )
    [res], _ = run_calls(spec)
    assert res.ok and srv.requests[0].path == "/serving-endpoints/chat/completions"
    assert json.loads(json.dumps(srv.requests[0].body))["model"] == "m"


def test_closing_the_stream_early_cancels_the_rest(serve):
    import threading

    from leasebench.llm.bridge import stream

    srv = serve(lambda body, req: "ok", latency=0.05)
    spec = make_spec(srv, concurrency=2)

    async def one(client: LLMClient, i: int) -> CallResult:
        return await client.complete(msgs(i), max_tokens=4)

    gen = stream(lambda: LLMClient(spec), one, list(range(200)))
    first = [next(gen) for _ in range(3)]
    gen.close()
    assert all(r.ok for r in first)
    assert not any(t.name == "leasebench-llm" for t in threading.enumerate())
    assert len(srv.requests) < 20  # of 200: the rest were never sent


def test_a_waiting_stage_says_what_is_in_flight_and_when_nothing_moves(serve, schema, tmp_path,
                                                                     monkeypatch):
    from leasebench.components import Context
    from leasebench.llm import watch
    from leasebench.llm.extractor import LLMExtractor
    from leasebench.records import ModelRef

    from .helpers import labels_handler, records

    monkeypatch.setattr(watch, "TICK_S", 0.05)
    monkeypatch.setattr(watch, "STALL_S", 0.4)
    srv = serve(lambda body, req: Reply(content=labels_handler(body, req), delay=1.5))
    lines: list[str] = []
    bars: list[tuple[float, float | None, str]] = []
    ctx = Context(schema=schema, seed=1, workdir=tmp_path, note=lines.append,
                  on_progress=lambda d, t, u: bars.append((d, t, u)))
    ex = LLMExtractor.from_dict({"endpoint": make_spec(srv, concurrency=2).model_dump()})
    preds = list(ex.extract(ModelRef(extractor="llm"), records(3), ctx))
    assert all(p.error is None for p in preds)
    stalled = [line for line in lines if line.startswith("no progress for")]
    assert stalled and "0 of 3 item(s) done, 1 request(s) in flight" in stalled[0]
    assert "endpoint.timeout_s" in stalled[0] and srv.url in stalled[0]
    assert any("in flight" in unit and total == 3 for _, total, unit in bars)


def test_a_request_given_up_closes_its_connection(serve):
    """A server that stops work on requests whose client went away (as vLLM does) stops:
    the client closes the connection of a request it gave up on."""
    srv = serve(lambda body, req: Reply(content="late", delay=4.0), cancel_on_disconnect=True)
    [res], _ = run_calls(make_spec(srv, timeout_s=0.3))
    assert not res.ok
    [req] = srv.requests
    deadline = time.monotonic() + 10
    while req.answered is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert req.disconnected is not None and req.status is None
    assert req.disconnected - req.time < 4.0  # before the server would have finished


def test_the_first_answer_s_speed_caps_concurrency_and_says_what_to_change(serve):
    srv = serve(lambda body, req: Reply(content="x" * 40, delay=0.5, completion_tokens=10))
    spec = make_spec(srv, timeout_s=2.0, concurrency=8)
    results, client = run_calls(spec, n=4, max_tokens=100)
    assert all(r.ok for r in results)
    assert client.limiter is not None and 1 <= client.limiter.max_limit <= 2  # 2 s // 2 x 0.5 s
    note = client.speed_note or ""
    assert f"endpoint.concurrency 8 lowered to {client.limiter.max_limit}" in note
    assert "an answer of up to 100 tokens could take" in note and "endpoint.timeout_s" in note
    _, client = run_calls(make_spec(serve(lambda body, req: "ok"), timeout_s=600))
    assert client.speed_note is None and client.limiter is not None
    assert client.limiter.max_limit == 8
