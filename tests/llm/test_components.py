"""The LLM generator, judges and extractor against the loopback server."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from leasebench.components import GenerateTask
from leasebench.llm.context import answer_tokens
from leasebench.llm.extractor import LLMExtractor
from leasebench.llm.generator import LLMGenerator, strip_fence
from leasebench.llm.judges import LLMGroundingJudge, LLMLabelsJudge, read_answer
from leasebench.records import ModelRef, Record
from leasebench.testing.llm_server import Reply

from .helpers import labels_handler, make_ctx, make_spec, records


def extractor(srv, **endpoint: Any) -> LLMExtractor:
    return LLMExtractor.from_dict({"endpoint": make_spec(srv, **endpoint).model_dump()})


def by_id(items):
    return {getattr(x, "id", None) or x.record_id: x for x in items}


# -- extractor -----------------------------------------------------------------------


def test_extractor_structured_output(serve, schema, tmp_path):
    srv = serve(labels_handler)
    ex = extractor(srv)
    preds = list(ex.extract(ModelRef(extractor="llm"), records(5), make_ctx(tmp_path, schema)))
    assert sorted(p.id for p in preds) == [f"r{i}" for i in range(5)]
    for p in preds:
        assert p.fields["lessor"] == ["Acme Corp"] and p.fields["start_date"] == []
        assert p.error is None and p.parse_error is None
        assert p.usage.calls == 1 and p.usage.cost > 0 and p.latency_s > 0
    body = srv.requests[0].body
    assert body["temperature"] == 0.0 and body["response_format"]["type"] == "json_schema"
    prompt = body["messages"][0]["content"]
    assert "DOC-" in prompt and "The lessor's (landlord's) name" in prompt


@pytest.mark.parametrize(
    "answer",
    [
        'Sure! Here they are:\n```json\n{"lessor": ["Acme Corp"],\n "lessee": ["Beta LLC"],}\n```',
        'The answer is {"lessor": ["Acme Corp"], "lessee": "Beta LLC"} as requested.',
    ],
)
def test_extractor_parses_fenced_and_prose_json(serve, schema, tmp_path, answer):
    srv = serve(lambda body, req: answer)
    ex = extractor(srv, structured_output="none")
    [p] = ex.extract(ModelRef(extractor="llm"), records(1), make_ctx(tmp_path, schema))
    assert p.parse_error is None
    assert p.fields["lessor"] == ["Acme Corp"] and p.fields["lessee"] == ["Beta LLC"]
    assert "response_format" not in srv.requests[0].body


def test_extractor_records_parse_failures(serve, schema, tmp_path):
    srv = serve(lambda body, req: "I cannot find any fields.")
    [p] = extractor(srv).extract(ModelRef(extractor="llm"), records(1), make_ctx(tmp_path, schema))
    assert p.fields == {} and p.parse_error and p.raw == "I cannot find any fields."
    assert p.error is None


def test_extractor_flags_truncated_answers(serve, schema, tmp_path):
    srv = serve(lambda body, req: Reply(content='{"lessor": ["Acme', finish_reason="length"))
    [p] = extractor(srv).extract(ModelRef(extractor="llm"), records(1), make_ctx(tmp_path, schema))
    assert p.parse_error.startswith("truncated (finish_reason=length)")


def test_extractor_records_call_failures_and_counts_them(serve, schema, tmp_path):
    from leasebench.llm.usage import Budget

    srv = serve(lambda body, req: Reply(status=503))
    budget = Budget()
    ctx = make_ctx(tmp_path, schema, budget=budget)
    preds = list(extractor(srv, max_retries=1).extract(ModelRef(extractor="llm"), records(3), ctx))
    assert all(p.error and "HTTP 503" in p.error for p in preds)
    assert budget.ledger.stage("extract").failed == 3


def test_model_ref_points_at_a_fine_tuned_endpoint(serve, schema, tmp_path):
    base = serve(lambda body, req: "{}")
    tuned = serve(labels_handler)
    ex = extractor(base)
    ref = ModelRef(extractor="llm", uri=tuned.url, metadata={"model": "my-finetune"})
    [p] = ex.extract(ref, records(1), make_ctx(tmp_path, schema))
    assert p.fields["lessor"] == ["Acme Corp"]
    assert base.requests == [] and tuned.requests[0].body["model"] == "my-finetune"
    params_ref = ModelRef(extractor="llm", params={"endpoint": make_spec(tuned).model_dump()})
    assert ex.effective_params(params_ref).endpoint.base_url == tuned.url


def test_extractor_prompt_override(serve, schema, tmp_path):
    srv = serve(labels_handler)
    prompt = tmp_path / "mine.txt"
    prompt.write_text("CUSTOM {{fields}} || {{document}}")
    ex = LLMExtractor.from_dict({"endpoint": make_spec(srv).model_dump(), "prompt": str(prompt)})
    list(ex.extract(ModelRef(extractor="llm"), records(1), make_ctx(tmp_path, schema)))
    assert srv.requests[0].body["messages"][0]["content"].startswith("CUSTOM - lessor:")


def test_extractor_estimate_counts_calls_and_cache(serve, schema, tmp_path):
    srv = serve(labels_handler)
    ex = extractor(srv)
    ctx = make_ctx(tmp_path, schema, cache_dir=tmp_path / "cache")
    est = ex.estimate(records(4), ctx)
    assert (est.calls, est.cached, est.completion_tokens) == (4, 0, 4 * answer_tokens(schema))
    assert est.prompt_tokens > 4 * 50 and est.cost > 0
    assert srv.requests == []
    list(ex.extract(ModelRef(extractor="llm"), records(3), ctx))
    est = ex.estimate(records(4), ctx)
    assert (est.calls, est.cached) == (1, 3)


# -- judges --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "passed", "reason"),
    [("1", True, ""), (" 0\n", False, "answered '0'"), ("Yes, all present", False, "unreadable")],
)
def test_judges_read_zero_or_one(serve, schema, tmp_path, answer, passed, reason):
    srv = serve(lambda body, req: answer)
    judge = LLMGroundingJudge.from_dict({"endpoint": make_spec(srv).model_dump()})
    [v] = judge.judge(records(1), make_ctx(tmp_path, schema, stage="judge"))
    assert v.record_id == "r0" and v.judge == "llm-grounding" and v.passed is passed
    assert reason in v.reason and v.usage.calls == 1
    if reason == "unreadable":
        assert "Yes, all present" in v.reason and v.score is None


def test_read_answer():
    assert read_answer('"1"') is True and read_answer("`0`") is False
    assert read_answer("1.") is None and read_answer(None) is None


def test_labels_judge_sees_keys_and_raw_labels(serve, schema, tmp_path):
    srv = serve(lambda body, req: "0")
    judge = LLMLabelsJudge.from_dict({"endpoint": make_spec(srv).model_dump()})
    rec = Record(id="s1", text="t", labels=schema.empty_labels(), meta={"raw_labels": {"a": []}})
    [v] = judge.judge([rec], make_ctx(tmp_path, schema))
    assert not v.passed
    prompt = srv.requests[0].body["messages"][0]["content"]
    assert "expiration_date_of_lease" in prompt and '"a": []' in prompt
    assert srv.requests[0].body["max_tokens"] == 4


def test_judges_fail_failed_calls_and_failed_samples(serve, schema, tmp_path):
    srv = serve(lambda body, req: Reply(status=500))
    judge = LLMGroundingJudge.from_dict({"endpoint": make_spec(srv, max_retries=0).model_dump()})
    broken = Record(id="s0", text="", meta={"error": "labels call failed: x"})
    verdicts = by_id(judge.judge([broken, *records(1)], make_ctx(tmp_path, schema)))
    assert verdicts["s0"].reason.startswith("generation failed") and not verdicts["s0"].passed
    assert verdicts["r0"].reason.startswith("call failed: HTTP 500")
    assert len(srv.requests) == 1
    assert judge.estimate([broken, *records(2)], make_ctx(tmp_path, schema)).calls == 2


# -- generator -----------------------------------------------------------------------

NEW = {"lessor": ["Zeta Holdings"], "lessee": ["Omega GmbH"]}


def generator_handler(body: dict[str, Any], req: Any) -> str:
    prompt = body["messages"][0]["content"]
    if "Real labels:" in prompt:
        fields = re.findall(r"^- (\w+):", prompt, re.M)
        new = {f: NEW.get(f, []) for f in fields}
        return "Here you go:\n```json\n" + json.dumps(new, indent=1)[:-1] + ",}\n```"
    labels = json.loads(re.search(r"```json\n(.*?)\n```", prompt, re.S).group(1))
    return "```\nLEASE between " + " and ".join(v[0] for v in labels.values() if v) + "\n```"


def tasks(n: int) -> list[GenerateTask]:
    return [
        GenerateTask(sample_id=f"b1-{i}", batch=1, index=i, source=src, seed=100 + i)
        for i, src in enumerate(records(n))
    ]


def test_generator_two_calls_per_sample(serve, schema, tmp_path):
    srv = serve(generator_handler)
    gen = LLMGenerator.from_dict({"endpoint": make_spec(srv).model_dump(), "temperature": 0.7})
    out = by_id(gen.generate(tasks(3), make_ctx(tmp_path, schema, stage="generate")))
    assert sorted(out) == ["b1-0", "b1-1", "b1-2"]
    rec = out["b1-1"]
    assert rec.text == "LEASE between Zeta Holdings and Omega GmbH"
    assert rec.labels["lessor"] == ["Zeta Holdings"] and set(rec.labels) == set(schema.fields)
    assert rec.origin.kind == "synthetic" and rec.origin.source_id == "r1"
    assert rec.origin.batch == 1 and rec.origin.generator == "llm"
    assert rec.meta["missing_keys"] == [] and rec.meta["usage"]["calls"] == 2
    assert len(srv.requests) == 6
    first = [r.body for r in srv.requests if "Real labels:" in r.body["messages"][0]["content"]]
    assert all(b["temperature"] == 0.7 and b["seed"] >= 100 for b in first)
    assert any('"lessor": [\n    "Acme Corp"' in b["messages"][0]["content"] for b in first)


def test_generator_rerun_reproduces_samples_from_the_cache(serve, schema, tmp_path):
    counter = iter(range(1000))

    def handler(body, req):
        text = generator_handler(body, req)
        return (
            text if "Real labels" in body["messages"][0]["content"] else f"{text} #{next(counter)}"
        )

    srv = serve(handler)
    gen = LLMGenerator.from_dict({"endpoint": make_spec(srv).model_dump()})
    ctx = make_ctx(tmp_path, schema, cache_dir=tmp_path / "cache", stage="generate")
    first = by_id(gen.generate(tasks(4), ctx))
    n = len(srv.requests)
    again = by_id(gen.generate(tasks(4), ctx))
    assert len(srv.requests) == n == 8
    assert all(first[k].text == again[k].text for k in first)
    est = gen.estimate(tasks(4), ctx)
    assert (est.calls, est.cached) == (0, 8)


def test_generator_failures_become_rejected_records(serve, schema, tmp_path):
    srv = serve(lambda body, req: "no json here")
    gen = LLMGenerator.from_dict({"endpoint": make_spec(srv).model_dump()})
    [rec] = gen.generate(tasks(1), make_ctx(tmp_path, schema))
    assert rec.text == "" and rec.labels == {} and "labels answer unreadable" in rec.meta["error"]
    assert rec.meta["raw"] == "no json here"
    judge = LLMLabelsJudge.from_dict({"endpoint": make_spec(srv).model_dump()})
    [v] = judge.judge([rec], make_ctx(tmp_path, schema))
    assert not v.passed and len(srv.requests) == 1


def test_generator_estimate(serve, schema, tmp_path):
    srv = serve(generator_handler)
    gen = LLMGenerator.from_dict({"endpoint": make_spec(srv).model_dump(), "max_tokens": 100,
                                  "labels_max_tokens": 300})
    est = gen.estimate(tasks(5), make_ctx(tmp_path, schema))
    assert est.calls == 10 and est.completion_tokens == 5 * (300 + 100)
    assert srv.requests == []
    derived = LLMGenerator.from_dict({"endpoint": make_spec(srv).model_dump()})
    bounds = [derived.bounds(t, schema) for t in tasks(5)]
    est = derived.estimate(tasks(5), make_ctx(tmp_path, schema))
    assert est.completion_tokens == sum(a + b for a, b in bounds)


def test_generator_bounds_come_from_the_schema_and_the_source_unless_set(serve, schema,
                                                                        tmp_path):
    srv = serve(generator_handler)
    short = records(1)[0]
    long = Record(id="long", text=" ".join([short.text] * 300), labels=short.labels)
    jobs = [GenerateTask(sample_id=f"b1-{i}", batch=1, index=i, source=src, seed=i)
            for i, src in enumerate([short, long])]
    gen = LLMGenerator.from_dict({"endpoint": make_spec(srv).model_dump()})
    list(gen.generate(jobs, make_ctx(tmp_path, schema, stage="generate")))
    sent: dict[tuple[str, str], int] = {}
    for r in srv.requests:
        prompt = r.body["messages"][0]["content"]
        kind = "labels" if "Real labels:" in prompt else "document"
        sent[kind, ("short", "long")[r.body["seed"]]] = r.body["max_tokens"]
    assert sent["labels", "short"] == sent["labels", "long"]  # the same real labels
    assert answer_tokens(schema) < sent["labels", "short"] < 2 * answer_tokens(schema)
    assert sent["document", "short"] < 1024  # a short source: a short bound
    # a long source: room for a document as long (real text runs about 4 characters per
    # token; the bound counts 3, times 1.5): the fixed 2,048 of before would cut it
    assert sent["document", "long"] > 2 * len(long.text) / 4 > 2048
    fixed = LLMGenerator.from_dict({"endpoint": make_spec(srv).model_dump(), "max_tokens": 77,
                                    "labels_max_tokens": 55})
    assert fixed.bounds(jobs[1], schema) == (55, 77)


def test_strip_fence():
    assert strip_fence("```text\nhello\nworld\n```") == "hello\nworld"
    assert strip_fence("plain ``` text") == "plain ``` text"


def test_components_register_through_the_builtin_module():
    from leasebench.builtins import llm

    seen: list[type] = []
    llm.register_generators(seen.append)
    llm.register_judges(seen.append)
    llm.register_extractors(seen.append)
    assert [c.name for c in seen] == ["llm", "llm-labels", "llm-grounding", "llm"]
    assert {c.family for c in seen} == {"generator", "judge", "extractor"}
