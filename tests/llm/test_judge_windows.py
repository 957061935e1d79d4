"""Judges on records whose prompt does not fit the model's context: windows and key groups."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from leasebench.chunking import context_tokens
from leasebench.llm.judge_windows import key_groups, list_tokens, read_numbers
from leasebench.llm.judges import LLMGroundingJudge, LLMLabelsJudge
from leasebench.records import Record
from leasebench.testing.llm_server import Reply

from .helpers import make_ctx, make_spec
from .test_chunked_extraction import LESSOR, long_lease

VALUES = re.compile(r"^(\d+)\. \w+: (.+)$", re.M)


def grounding_handler(body: dict[str, Any], req: Any) -> str:
    """Answers as a faithful model: the numbers of the listed values in the window's text
    (or, for a whole document, whether every value is in it)."""
    prompt = body["messages"][-1]["content"]
    text = prompt.split("<<<", 1)[1].split(">>>", 1)[0]
    if "part of the contract" not in prompt:  # the single-request prompt
        labels = json.loads(prompt.split("```json", 1)[1].split("```", 1)[0])
        return "1" if all(v in text for vs in labels.values() for v in vs) else "0"
    listed = prompt.split("Label values", 1)[1]
    found = [n for n, value in VALUES.findall(listed) if value in text]
    return ", ".join(found) or "0"


def judge(srv: Any, cls: Any = LLMGroundingJudge, **params: Any) -> Any:
    return cls.from_dict({"endpoint": make_spec(srv).model_dump(), **params})


def fits(body: dict[str, Any], context: int) -> bool:
    chars = sum(len(m["content"]) for m in body["messages"])
    return context_tokens("x" * chars) + 4 + body["max_tokens"] <= context


def synthetic(text: str, labels: dict[str, list[str]], rid: str = "s1") -> Record:
    return Record(id=rid, text=text, labels=labels)


def test_values_spread_over_a_long_document_are_each_grounded(serve, schema, tmp_path):
    srv = serve(grounding_handler, max_model_len=2048)
    doc = long_lease(300)  # the lessor only in the last paragraph
    head = "This lease is made with Acme Tenant Inc as lessee.\n\n"
    rec = synthetic(head + doc.text, {"lessor": [LESSOR], "lessee": ["Acme Tenant Inc"]})
    assert context_tokens(rec.text) > 8 * 2048
    [v] = judge(srv).judge([rec], make_ctx(tmp_path, schema, stage="judge"))
    posts = srv.requests
    assert v.passed and v.score == 1.0 and v.error is None, v.reason
    assert len(posts) > 8 and all(fits(r.body, 2048) for r in posts)
    assert all(r.body["max_tokens"] == list_tokens(2) for r in posts)
    assert v.usage.calls == len(posts) and srv.models_requests == 1
    assert "part 1 of" in posts[0].body["messages"][0]["content"]


def test_a_value_in_no_window_fails_and_is_named(serve, schema, tmp_path):
    srv = serve(grounding_handler)
    rec = synthetic(long_lease(60).text, {"lessor": [LESSOR], "lessee": ["Nowhere Ltd"]})
    [v] = judge(srv, context_tokens=1024).judge([rec], make_ctx(tmp_path, schema))
    assert not v.passed and v.score == 0.0 and v.error is None
    assert v.reason == f"not found in any of {len(srv.requests)} windows: lessee: Nowhere Ltd"
    assert srv.models_requests == 0  # a configured context is not asked for


def test_a_document_that_fits_is_one_request_as_before(serve, schema, tmp_path):
    srv = serve(grounding_handler, max_model_len=100_000)
    rec = synthetic(long_lease(5).text, {"lessor": [LESSOR]})
    [v] = judge(srv).judge([rec], make_ctx(tmp_path, schema))
    [post] = srv.requests
    assert v.passed and post.body["max_tokens"] == 4
    assert 'Answer only "0" or "1"' in post.body["messages"][0]["content"]


def test_forced_chunk_size_and_nothing_to_check(serve, schema, tmp_path):
    srv = serve(grounding_handler)  # reports no context
    ex = judge(srv, chunking={"chunk_tokens": 300, "overlap_tokens": 0})
    full = synthetic(long_lease(40).text, {"lessor": [LESSOR]}, "a")
    empty = synthetic(long_lease(40).text, {"lessor": []}, "b")
    verdicts = {v.record_id: v for v in ex.judge([full, empty], make_ctx(tmp_path, schema))}
    assert verdicts["a"].passed and verdicts["b"].passed
    assert verdicts["b"].reason == "no label values to check" and verdicts["b"].usage.calls == 0
    windows = [r.body["messages"][0]["content"].split("<<<", 1)[1].split(">>>", 1)[0]
               for r in srv.requests]
    assert len(windows) > 5 and all(context_tokens(w.strip()) <= 300 for w in windows)


def test_an_unreadable_window_fails_unless_others_settle_it(serve, schema, tmp_path):
    def handler(body: dict[str, Any], req: Any) -> str:
        prompt = body["messages"][-1]["content"]
        return "no idea" if "part 2 of" in prompt else grounding_handler(body, req)

    srv = serve(handler)
    ex = judge(srv, context_tokens=1024)
    doc = long_lease(60).text
    settled = synthetic("Lessee: Acme Tenant Inc.\n\n" + doc, {"lessee": ["Acme Tenant Inc"]}, "a")
    open_ = synthetic(doc, {"lessor": ["Nowhere Ltd"]}, "b")
    verdicts = {v.record_id: v for v in ex.judge([settled, open_], make_ctx(tmp_path, schema))}
    assert verdicts["a"].passed
    assert not verdicts["b"].passed and verdicts["b"].score is None
    assert verdicts["b"].reason.startswith("unreadable answer in window 2 of")


def test_a_failed_window_fails_the_verdict_and_resume_sends_only_it(serve, schema, tmp_path):
    failing = {"on": True}

    def handler(body: dict[str, Any], req: Any) -> Any:
        if failing["on"] and "part 3 of" in body["messages"][-1]["content"]:
            return Reply(status=500)
        return grounding_handler(body, req)

    srv = serve(handler)
    ex = judge(srv, context_tokens=1024, endpoint=make_spec(srv, max_retries=0).model_dump())
    rec = synthetic(long_lease(60).text, {"lessor": [LESSOR]})
    ctx = make_ctx(tmp_path, schema, cache_dir=tmp_path / "cache")
    [v] = ex.judge([rec], ctx)
    assert not v.passed and v.error and v.error.startswith("part 3 of")
    assert v.reason.startswith("call failed: part 3 of")
    first = len(srv.requests)
    failing["on"] = False
    [again] = ex.judge([rec], ctx)
    assert again.passed and len(srv.requests) == first + 1


def test_estimate_counts_every_window_and_says_when_the_context_is_unread(serve, schema,
                                                                         tmp_path):
    srv = serve(grounding_handler)
    recs = [synthetic(long_lease(150).text, {"lessor": [LESSOR]}, "a"),
            synthetic(long_lease(3).text, {"lessor": [LESSOR]}, "b")]
    ex = judge(srv, context_tokens=2048)
    est = ex.estimate(recs, make_ctx(tmp_path, schema))
    assert srv.requests == [] and not est.context_unread
    list(ex.judge(recs, make_ctx(tmp_path, schema)))
    assert est.calls == len(srv.requests) > 2
    assert judge(srv).estimate(recs, make_ctx(tmp_path, schema)).context_unread


def test_labels_judge_splits_keys_when_its_prompt_does_not_fit(serve, schema, tmp_path):
    def handler(body: dict[str, Any], req: Any) -> str:
        prompt = body["messages"][-1]["content"]
        keys = prompt.split("present in the labels:\n", 1)[1].split("\n", 1)[0].split(", ")
        labels = json.loads(prompt.split("```json", 1)[1].split("```", 1)[0])
        return "1" if all(k in labels for k in keys) else "0"

    srv = serve(handler)
    long_value = "x " * 400  # the labels alone are longer than a 512-token context
    raw = {f: [long_value] for f in schema.fields}
    whole = Record(id="a", text="t", labels=schema.empty_labels(), meta={"raw_labels": raw})
    gap = {k: v for k, v in raw.items() if k != "lessee"}
    missing = Record(id="b", text="t", labels=schema.empty_labels(), meta={"raw_labels": gap})
    ex = judge(srv, LLMLabelsJudge, context_tokens=512)
    [passed] = ex.judge([whole], make_ctx(tmp_path, schema))
    asked = [r.body["messages"][0]["content"].split("labels:\n", 1)[1].split("\n", 1)[0]
             for r in srv.requests]
    assert passed.passed and passed.usage.calls == len(asked) > 1
    assert sorted(k for keys in asked for k in keys.split(", ")) == sorted(schema.fields)
    assert all(fits(r.body, 512) for r in srv.requests)
    [failed] = ex.judge([missing], make_ctx(tmp_path, schema))
    assert not failed.passed and failed.reason.startswith("answered '0' for keys")
    assert "lessee" in failed.reason and "start_date" not in failed.reason  # its group only


def test_read_numbers_and_key_groups():
    assert read_numbers("1, 3", 3) == {1, 3} and read_numbers(" `2 and 3`. ", 3) == {2, 3}
    assert read_numbers("0", 3) == set() and read_numbers("None", 3) == set()
    assert read_numbers("4", 3) is None and read_numbers("yes", 3) is None
    assert read_numbers(None, 3) is None
    assert key_groups(list("abcde"), lambda keys: len(keys) <= 2) == [["a", "b"], ["c", "d"],
                                                                      ["e"]]
    assert key_groups(list("ab"), lambda keys: False) == [["a"], ["b"]]


@pytest.mark.parametrize("cls", [LLMGroundingJudge, LLMLabelsJudge])
def test_without_a_context_a_judge_makes_one_request_per_record(serve, schema, tmp_path, cls):
    srv = serve(lambda body, req: "1")
    rec = synthetic(long_lease(300).text, {"lessor": [LESSOR]})
    [v] = judge(srv, cls).judge([rec], make_ctx(tmp_path, schema))
    assert v.passed and len(srv.requests) == 1 and srv.models_requests == 1
