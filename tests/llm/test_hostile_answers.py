"""Endpoint answers are data: any shape, size or nesting is parsed or counted, never a crash.

Each answer below comes from the loopback server as a real HTTP body; the extractor,
the generator and the judges must turn it into a result (a parse failure or a call
failure with the raw text kept), and the response cache must replay it the same way.
"""

from __future__ import annotations

import json

import pytest

from leasebench.llm.cache import CACHE_FILE, ResponseCache
from leasebench.llm.client import LLMClient
from leasebench.llm.extractor import LLMExtractor
from leasebench.llm.generator import LLMGenerator
from leasebench.llm.judges import LLMGroundingJudge
from leasebench.llm.prompts import load_prompt
from leasebench.records import ModelRef, Record
from leasebench.testing.llm_server import Reply

from .helpers import make_ctx, make_spec, records
from .test_components import tasks

# nesting past every supported Python's limit: 3.11's json stops at the recursion limit
# (1,000), 3.12 and 3.13 at their C stack limit (several thousand)
DEEP = 100_000
MB = 1 << 20


def completion(content, usage=None) -> str:
    body = {"choices": [{"message": {"role": "assistant", "content": content},
                         "finish_reason": "stop"}]}
    if usage is not None:
        body["usage"] = usage
    return json.dumps(body)


def extract_one(srv, schema, tmp_path, **endpoint):
    ex = LLMExtractor.from_dict({"endpoint": make_spec(srv, **endpoint).model_dump()})
    ctx = make_ctx(tmp_path, schema, cache_dir=tmp_path / "cache")
    [pred] = ex.extract(ModelRef(extractor="llm"), records(1), ctx)
    return pred


@pytest.mark.parametrize(("content", "fields", "parse_error"), [
    ([{"type": "text", "text": '{"lessor": '}, {"type": "text", "text": '["Acme"]}'}],
     {"lessor": ["Acme"]}, None),
    (['{"lessee": ["Beta"]}'], {"lessee": ["Beta"]}, None),
    ({"lessor": "Acme"}, {"lessor": ["Acme"]}, None),
    (42, {}, "expected a JSON object, got int"),
    (None, {}, "empty answer"),
    (True, {}, "expected a JSON object, got bool"),
    ([{"type": "refusal", "refusal": "I can't help"}], {}, "no"),
    ("[" * DEEP + "]" * DEEP, {}, "no"),
    ('{"lessor": ' * DEEP + "1" + "}" * DEEP, {}, "no"),
    ('{"lessor": [' + "9" * 5000 + "]}", {"lessor": ["9" * 5000]}, None),
    ("`" * MB, {}, "no"),
    ("{'a'," * (MB // 5), {}, "no"),
    ('{"lessor": ["Acme \\ud800"]}', {"lessor": ["Acme \ufffd"]}, None),  # lone surrogate
    ('{"lessor": ["Acme \ud800"]}', {"lessor": ["Acme \ufffd"]}, None),  # in the body
])
def test_any_content_is_parsed_or_a_parse_failure(serve, schema, tmp_path, content, fields,
                                                  parse_error):
    srv = serve(lambda body, req: Reply(body=completion(content)))
    pred = extract_one(srv, schema, tmp_path, structured_output="none")
    assert pred.error is None
    assert {k: v for k, v in pred.fields.items() if v} == fields
    if parse_error is None:
        assert pred.parse_error is None
    else:
        assert parse_error in pred.parse_error and pred.raw is not None
    # replayed from the response cache: the same result, no crash, no request
    again = extract_one(srv, schema, tmp_path, structured_output="none")
    assert again.model_dump(exclude={"latency_s", "usage"}) == pred.model_dump(
        exclude={"latency_s", "usage"})
    assert again.usage.recorded() == pred.usage and len(srv.requests) == 1


@pytest.mark.parametrize("body", [
    '{"choices": [{"message": {"content": ' + "[" * DEEP + "]" * DEEP + "}}]}",
    "[" * DEEP,
    '{"choices": [{"message": "not an object"}]}',
    '{"choices": "none"}',
    "not json at all " * 1000,
])
def test_a_body_that_is_not_a_completion_is_a_call_failure_with_the_raw_text(
        serve, schema, tmp_path, body):
    srv = serve(lambda b, req: Reply(body=body))
    pred = extract_one(srv, schema, tmp_path, max_retries=1)
    assert pred.error and "malformed response body" in pred.error
    assert pred.raw == body[: len(pred.raw)] and len(pred.raw) > 0
    assert len(srv.requests) == 2  # retried once, then recorded


def test_implausible_usage_is_replaced_by_estimates(serve, schema, tmp_path):
    usage = {"prompt_tokens": -5, "completion_tokens": -1000, "total_tokens": 10**30}
    srv = serve(lambda body, req: Reply(body=completion('{"lessor": ["A"]}', usage)))
    pred = extract_one(srv, schema, tmp_path)
    assert pred.usage.prompt_tokens > 0 and pred.usage.completion_tokens > 0
    assert pred.usage.cost > 0
    big = {"prompt_tokens": 10**15, "completion_tokens": True}
    srv2 = serve(lambda body, req: Reply(body=completion('{"lessor": ["A"]}', big)))
    pred = extract_one(srv2, schema, tmp_path / "2")
    assert pred.usage.prompt_tokens < 10**9 and pred.usage.completion_tokens < 100


def test_a_key_echoed_in_an_answer_is_masked_everywhere(serve, schema, tmp_path, monkeypatch):
    key = "sk-ECHOED-0123456789"
    monkeypatch.setenv("LB_ECHO_KEY", key)

    def echo(body, req):
        return Reply(body=completion(f'{{"lessor": ["Bearer {key}"]}}'))

    srv = serve(echo)
    pred = extract_one(srv, schema, tmp_path, api_key_env="LB_ECHO_KEY")
    assert pred.fields["lessor"] == ["Bearer ***"]
    assert key.encode() not in (tmp_path / "cache" / CACHE_FILE).read_bytes()


def test_an_answer_cached_by_an_older_version_replays_as_a_parse_failure(
        serve, schema, tmp_path):
    srv = serve(lambda body, req: "unused")
    spec = make_spec(srv)
    ex = LLMExtractor.from_dict({"endpoint": spec.model_dump()})
    ctx = make_ctx(tmp_path, schema, cache_dir=tmp_path / "cache")
    call = ex._call(ex.params, schema, ctx)
    cache = ResponseCache(tmp_path / "cache" / CACHE_FILE)
    for i, text in enumerate([[{"type": "text", "text": '{"lessor": ["A"]}'}], 7]):
        key = LLMClient(spec).key(ex.messages(records(2)[i], schema, load_prompt("extract")),
                                  **call)
        cache.put(key, {"text": text, "finish_reason": None, "prompt_tokens": "x"})
    cache.close()
    preds = {p.id: p for p in ex.extract(ModelRef(extractor="llm"), records(2), ctx)}
    assert preds["r0"].parse_error is None and preds["r1"].parse_error and not srv.requests
    assert preds["r1"].usage.calls == 1 and preds["r1"].usage.cached == 1


def test_generator_and_judges_survive_odd_content(serve, schema, tmp_path):
    answers = iter([None, 42, [{"type": "text", "text": "1"}], 1])

    def odd(body, req):
        return Reply(body=completion(next(answers, "0")))

    srv = serve(odd)
    gen = LLMGenerator.from_dict({"endpoint": make_spec(srv, concurrency=1).model_dump()})
    recs = list(gen.generate(tasks(2), make_ctx(tmp_path, schema)))
    assert all("labels answer unreadable" in r.meta["error"] for r in recs)
    judge = LLMGroundingJudge.from_dict({"endpoint": make_spec(srv, concurrency=1).model_dump()})
    doc = Record(id="x", text="t", labels={"lessor": ["t"]})
    verdicts = list(judge.judge([doc, doc.model_copy(update={"id": "y"})],
                                make_ctx(tmp_path, schema)))
    assert [v.passed for v in verdicts] == [True, True]  # "1" as content parts, and 1
