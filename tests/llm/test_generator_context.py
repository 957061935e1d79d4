"""The ``llm`` generator with a model context too small to show and imitate a long source
document: the source's beginning is shown, every request fits, the sample says so."""

from __future__ import annotations

from typing import Any

from leasebench.components import GenerateTask
from leasebench.llm.generator import LLMGenerator
from leasebench.records import Record

from .helpers import make_ctx, make_spec, records
from .test_chunked_extraction import long_lease
from .test_components import generator_handler
from .test_judge_windows import fits


def jobs(*sources: Record) -> list[GenerateTask]:
    return [GenerateTask(sample_id=f"b1-{i}", batch=1, index=i, source=src, seed=i)
            for i, src in enumerate(sources)]


def document_calls(srv: Any) -> list[dict[str, Any]]:
    return [r.body for r in srv.requests if "Real labels:" not in r.body["messages"][0]["content"]]


def test_a_long_source_is_shown_as_its_beginning_within_the_served_context(serve, schema,
                                                                         tmp_path):
    srv = serve(generator_handler, max_model_len=2048)
    long = long_lease(300, rid="long")
    long.labels = {"lessor": ["Acme Corp"]}
    short = records(1)[0]
    lines: list[str] = []
    ctx = make_ctx(tmp_path, schema, stage="generate", note=lines.append)
    gen = LLMGenerator.from_dict({"endpoint": make_spec(srv).model_dump()})
    out = {r.id: r for r in gen.generate(jobs(long, short), ctx)}
    assert all("error" not in r.meta for r in out.values())
    cut, whole = out["b1-0"].meta, out["b1-1"].meta
    assert cut["source_of"] == len(long.text) and 0 < cut["source_chars"] < len(long.text) // 8
    assert "source_chars" not in whole
    docs = document_calls(srv)
    assert len(docs) == 2 and all(fits(b, 2048) for b in docs)
    shown = next(b for b in docs if "0. The Tenant" in b["messages"][0]["content"])
    prompt = shown["messages"][0]["content"]
    assert long.text[: cut["source_chars"]] in prompt
    assert long.text[cut["source_chars"]:][:200] not in prompt
    assert long.text[: cut["source_chars"]].rstrip().endswith("by mail.")  # a paragraph end
    assert lines[-1:] == ["1 of 2 source document(s) did not fit a context of 2,048 tokens with "
                     f"their imitation: the model saw their beginning (at most "
                     f"{cut['source_chars']:,} characters) and imitated that"]


def test_without_a_known_context_the_source_goes_whole(serve, schema, tmp_path):
    srv = serve(generator_handler)  # the server reports no context
    long = long_lease(300, rid="long")
    gen = LLMGenerator.from_dict({"endpoint": make_spec(srv).model_dump()})
    [rec] = gen.generate(jobs(long), make_ctx(tmp_path, schema, stage="generate"))
    [doc] = document_calls(srv)
    assert long.text in doc["messages"][0]["content"] and "source_chars" not in rec.meta


def test_a_context_too_small_for_any_document_fails_the_sample_naming_the_numbers(
        serve, schema, tmp_path):
    srv = serve(generator_handler)
    gen = LLMGenerator.from_dict({"endpoint": make_spec(srv).model_dump(),
                                  "context_tokens": 600, "max_tokens": 500})
    [rec] = gen.generate(jobs(long_lease(40)), make_ctx(tmp_path, schema, stage="generate"))
    assert rec.text == "" and "a context of 600 tokens leaves" in rec.meta["error"]
    assert document_calls(srv) == []


def test_the_dry_run_counts_the_shown_part_with_a_configured_context(serve, schema, tmp_path):
    srv = serve(generator_handler)
    long = long_lease(300)
    whole = LLMGenerator.from_dict({"endpoint": make_spec(srv).model_dump()})
    bounded = LLMGenerator.from_dict({"endpoint": make_spec(srv).model_dump(),
                                      "context_tokens": 2048})
    ctx = make_ctx(tmp_path, schema, stage="generate")
    big, small = whole.estimate(jobs(long), ctx), bounded.estimate(jobs(long), ctx)
    assert big.calls == small.calls == 2 and srv.requests == []
    assert small.prompt_tokens + small.completion_tokens < 2 * 2048
    assert big.prompt_tokens > 4 * small.prompt_tokens
    assert big.context_unread and not small.context_unread
