"""Documents longer than the model's context: windows, merged answers, estimates."""

from __future__ import annotations

import json
from typing import Any

import pytest

from leasebench.chunking import context_tokens
from leasebench.errors import DataError
from leasebench.llm.context import answer_tokens
from leasebench.llm.extractor import LLMExtractor
from leasebench.llm.prompts import load_prompt
from leasebench.records import ModelRef, Record
from leasebench.testing.llm_server import Reply

from .helpers import make_ctx, make_spec

LESSOR = "Zebra Holdings LLC"
TAIL = f"IN WITNESS WHEREOF the Lessor, {LESSOR}, has signed this lease."


def long_lease(paragraphs: int = 300, tail: str = TAIL, rid: str = "long") -> Record:
    body = [
        f"{i}. The Tenant shall keep the premises clean and in good repair at all times. Rent "
        f"is payable monthly in advance on the first day of each month. Notices go by mail."
        for i in range(paragraphs)
    ]
    return Record(id=rid, text="\n\n".join([*body, tail]))


def window_handler(body: dict[str, Any], req: Any) -> str:
    """Answers the lessor only when the window it was sent holds the name."""
    prompt = body["messages"][-1]["content"]
    props = body["response_format"]["json_schema"]["schema"]["properties"]
    out: dict[str, list[str]] = {f: [] for f in props}
    if LESSOR in prompt:
        out["lessor"] = [LESSOR]
    out["lessee"] = ["Invented Tenant Inc"]  # never in the text: must not win over nothing
    return json.dumps(out)


def extractor(srv: Any, **params: Any) -> LLMExtractor:
    return LLMExtractor.from_dict({"endpoint": make_spec(srv).model_dump(), **params})


def prompt_fits(body: dict[str, Any], context: int) -> bool:
    chars = sum(len(m["content"]) for m in body["messages"])
    schema = json.dumps(body["response_format"]["json_schema"]["schema"])
    return context_tokens("x" * chars) + context_tokens(schema) + body["max_tokens"] <= context


def test_a_value_only_at_the_end_of_a_long_document_is_found(serve, schema, tmp_path):
    srv = serve(window_handler, max_model_len=2048)
    doc = long_lease()
    assert context_tokens(doc.text) > 8 * 2048
    [pred] = extractor(srv).extract(ModelRef(extractor="llm"), [doc], make_ctx(tmp_path, schema))
    posts = srv.requests
    assert pred.fields["lessor"] == [LESSOR]
    assert pred.fields["lessee"] == ["Invented Tenant Inc"]  # ungrounded everywhere: first
    assert pred.chunks == len(posts) > 10
    assert pred.seen_chars == len(doc.text) and not pred.truncated
    start, end, how = pred.spans["lessor"][0]  # type: ignore[misc]
    assert (doc.text[start:end], how) == (LESSOR, "exact")
    assert pred.spans["lessee"] == [None]
    assert pred.usage.calls == len(posts)
    assert all(prompt_fits(r.body, 2048) for r in posts)
    assert srv.models_requests == 1


def test_forced_chunk_size_and_configured_context(serve, schema, tmp_path):
    srv = serve(window_handler)  # reports no context
    doc = long_lease(60)
    ex = extractor(srv, context_tokens=100_000, chunking={"chunk_tokens": 400})
    [pred] = ex.extract(ModelRef(extractor="llm"), [doc], make_ctx(tmp_path, schema))
    posts = srv.requests
    assert pred.fields["lessor"] == [LESSOR] and pred.chunks == len(posts) > 5
    bare = context_tokens(ex.messages("", schema, load_prompt("extract"))[0]["content"])
    sent = [r.body["messages"][-1]["content"] for r in posts]
    assert all(context_tokens(p) <= bare + 400 for p in sent)  # the instructions, a window


def test_unknown_context_sends_documents_whole(serve, schema, tmp_path):
    srv = serve(window_handler)
    doc = long_lease(40)
    [pred] = extractor(srv).extract(ModelRef(extractor="llm"), [doc], make_ctx(tmp_path, schema))
    assert pred.chunks == 1 and len(srv.requests) == 1
    assert pred.fields["lessor"] == [LESSOR] and pred.seen_chars == len(doc.text)


def test_answer_bound_comes_from_the_schema_unless_set(serve, schema, tmp_path):
    srv = serve(window_handler)
    docs = [long_lease(2, rid="a")]
    list(extractor(srv).extract(ModelRef(extractor="llm"), docs, make_ctx(tmp_path, schema)))
    list(extractor(srv, max_tokens=77).extract(ModelRef(extractor="llm"), docs,
                                               make_ctx(tmp_path, schema)))
    bounds = [r.body["max_tokens"] for r in srv.requests]
    assert bounds == [answer_tokens(schema), 77]
    assert 300 < answer_tokens(schema) < 1024


def test_estimate_counts_every_window(serve, schema, tmp_path):
    srv = serve(window_handler)
    docs = [long_lease(150, rid="a"), long_lease(3, rid="b")]
    ex = extractor(srv, context_tokens=2048)
    est = ex.estimate(docs, make_ctx(tmp_path, schema))
    assert srv.requests == []
    list(ex.extract(ModelRef(extractor="llm"), docs, make_ctx(tmp_path, schema)))
    posts = srv.requests
    assert est.calls == len(posts) > 2
    assert est.completion_tokens == len(posts) * answer_tokens(schema)


def test_few_shot_examples_leave_the_document_room(serve, schema, tmp_path):
    srv = serve(window_handler)
    train = [Record(id=f"t{i}", text=long_lease(40).text, labels={"lessor": [LESSOR]})
             for i in range(3)]
    ex = extractor(srv, context_tokens=4096, few_shot={"k": 3, "max_tokens": 100_000})
    ctx = make_ctx(tmp_path, schema, train=train)
    [pred] = ex.extract(ModelRef(extractor="llm"), [long_lease(100)], ctx)
    posts = srv.requests
    assert pred.fields["lessor"] == [LESSOR] and pred.chunks == len(posts)
    assert all(prompt_fits(r.body, 4096) for r in posts)
    with pytest.raises(DataError, match="leaves 0 for the document"):
        list(extractor(srv, context_tokens=400).extract(
            ModelRef(extractor="llm"), [long_lease(3)], make_ctx(tmp_path, schema)))


def test_a_failed_window_fails_the_document_and_resume_pays_only_it(serve, schema, tmp_path):
    srv = serve(window_handler)
    srv.script(*[Reply(content=window_handler(_body(schema), None)) for _ in range(2)],
               Reply(status=500))
    ex = LLMExtractor.from_dict({"endpoint": make_spec(srv, max_retries=0, concurrency=1)
                                 .model_dump(), "context_tokens": 2048})
    ctx = make_ctx(tmp_path, schema, cache_dir=tmp_path / "cache")
    doc = long_lease(60)
    [failed] = ex.extract(ModelRef(extractor="llm"), [doc], ctx)
    assert failed.error is not None and failed.error.startswith("window 3 of")
    srv.clear_log()
    [pred] = ex.extract(ModelRef(extractor="llm"), [doc], ctx)
    assert pred.error is None and pred.fields["lessor"] == [LESSOR]
    assert len(srv.requests) == 1  # the others: cached


def _body(schema: Any) -> dict[str, Any]:
    out = schema.output_json_schema()
    return {"messages": [{"content": ""}], "response_format": {"json_schema": {"schema": out}}}
