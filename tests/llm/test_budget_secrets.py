"""The cost budget stops a stage cleanly; the API key never reaches a file, log or param."""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

import pytest

from leasebench.errors import BudgetExceeded
from leasebench.llm.cache import ResponseCache
from leasebench.llm.client import EndpointError
from leasebench.llm.extractor import LLMExtractor
from leasebench.llm.generator import LLMGenerator
from leasebench.llm.judges import LLMGroundingJudge
from leasebench.llm.usage import Budget
from leasebench.records import ModelRef
from leasebench.testing.llm_server import Reply

from .helpers import labels_handler, make_ctx, make_spec, records
from .test_components import generator_handler, tasks

SENTINEL = "sk-SENTINEL-7f3a9c1e-do-not-leak"


def test_budget_reserve_and_settle():
    budget = Budget(max_cost=1.0)
    budget.reserve(0.6)
    with pytest.raises(BudgetExceeded, match="cost budget 1 reached"):
        budget.reserve(0.6)
    budget.settle(0.6, 0.1)
    assert budget.spent == pytest.approx(0.1) and budget.exhausted
    with pytest.raises(BudgetExceeded):
        budget.reserve(0.01)  # stays exhausted: nothing sneaks in after a refusal
    unlimited = Budget()
    unlimited.reserve(1e9)
    assert not unlimited.exhausted


def test_budget_is_thread_safe():
    budget = Budget(max_cost=1000.0)

    def spend():
        for _ in range(1000):
            budget.reserve(0.1)
            budget.settle(0.1, 0.1)

    threads = [threading.Thread(target=spend) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert budget.spent == pytest.approx(400.0)


def test_budget_stops_extraction_after_yielding_what_was_done(serve, schema, tmp_path):
    srv = serve(labels_handler, latency=0.01)
    ex = LLMExtractor.from_dict({"endpoint": make_spec(srv, concurrency=2).model_dump()})
    budget = Budget(max_cost=6.0)
    ctx = make_ctx(tmp_path, schema, budget=budget, cache_dir=tmp_path / "cache")
    got = []
    with pytest.raises(BudgetExceeded, match="cost budget 6 reached"):
        for p in ex.extract(ModelRef(extractor="llm"), records(40), ctx):
            got.append(p)
    assert 0 < len(got) < 40 and all(p.error is None for p in got)
    assert len(srv.requests) == len(got)  # every paid call was handed over
    assert budget.spent <= 6.0
    assert budget.ledger.stage("extract").cost == pytest.approx(budget.spent)
    # resuming with more budget does the rest and repeats nothing
    done = {p.id for p in got}
    rest = [r for r in records(40) if r.id not in done]
    ctx2 = make_ctx(tmp_path, schema, budget=Budget(max_cost=100.0), cache_dir=tmp_path / "cache")
    more = list(ex.extract(ModelRef(extractor="llm"), rest, ctx2))
    assert {p.id for p in more} | done == {f"r{i}" for i in range(40)}
    assert len(srv.requests) == 40


def test_budget_counts_cache_hits_as_free(serve, schema, tmp_path):
    srv = serve(labels_handler)
    ex = LLMExtractor.from_dict({"endpoint": make_spec(srv).model_dump()})
    ctx = make_ctx(tmp_path, schema, cache_dir=tmp_path / "cache")
    list(ex.extract(ModelRef(extractor="llm"), records(5), ctx))
    budget = Budget(max_cost=0.0)
    ctx = make_ctx(tmp_path, schema, cache_dir=tmp_path / "cache", budget=budget)
    assert len(list(ex.extract(ModelRef(extractor="llm"), records(5), ctx))) == 5
    assert budget.ledger.stage("extract").cached == 5 and budget.spent == 0


def _files_containing(root: Path, needle: bytes) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_key_appears_in_no_file_log_or_param(serve, schema, tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("LB_SENTINEL_KEY", SENTINEL)
    caplog.set_level(logging.DEBUG)

    def handler(body, req):
        prompt = body["messages"][0]["content"]
        if "Real labels:" in prompt or "Here is a real contract" in prompt:
            return generator_handler(body, req)
        return "1" if 'Answer only "0" or "1"' in prompt else labels_handler(body, req)

    srv = serve(handler, api_key=SENTINEL)
    run = tmp_path / "runs" / "exp"
    endpoint = make_spec(srv, api_key_env="LB_SENTINEL_KEY").model_dump()
    gen = LLMGenerator.from_dict({"endpoint": endpoint})
    judge = LLMGroundingJudge.from_dict({"endpoint": endpoint})
    ex = LLMExtractor.from_dict({"endpoint": endpoint})
    ctx = make_ctx(run, schema, cache_dir=run / "cache", budget=Budget(max_cost=1e6))
    synth = list(gen.generate(tasks(3), ctx))
    verdicts = list(judge.judge(synth, ctx))
    preds = list(ex.extract(ModelRef(extractor="llm", params={"endpoint": endpoint}), synth, ctx))
    # 3 x 2 generator calls; the 3 synthetic documents are identical, so their judge and
    # extraction calls are identical too and are made once each
    assert all(r.auth_ok for r in srv.requests) and len(srv.requests) == 8
    # what a runner writes: checkpoints, params (as MLflow would log them), reprs
    out = run / "stages"
    out.mkdir(parents=True)
    for name, items in (("gen", synth), ("judge", verdicts), ("extract", preds)):
        (out / f"{name}.jsonl").write_text("\n".join(i.model_dump_json() for i in items))
    params = {c.name: c.params.model_dump(mode="json") for c in (gen, judge, ex)}
    (out / "params.json").write_text(json.dumps(params))
    (out / "reprs.txt").write_text(repr(gen.params) + str(ex.params) + repr(ctx))
    assert (run / "cache" / "llm-responses.sqlite").exists()
    assert _files_containing(run, SENTINEL.encode()) == []
    assert SENTINEL not in caplog.text
    assert all(SENTINEL not in r.getMessage() for r in caplog.records)
    assert all(SENTINEL not in json.dumps(r.headers) for r in srv.requests)


def test_key_is_scrubbed_from_errors(serve, schema, tmp_path, monkeypatch):
    monkeypatch.setenv("LB_SENTINEL_KEY", SENTINEL)
    echo = serve(lambda body, req: Reply(status=400, body=f'{{"error": "bad key {SENTINEL}"}}'))
    spec = make_spec(echo, api_key_env="LB_SENTINEL_KEY", structured_output="none")
    ex = LLMExtractor.from_dict({"endpoint": spec.model_dump()})
    ctx = make_ctx(tmp_path, schema, cache_dir=tmp_path / "cache")
    [p] = ex.extract(ModelRef(extractor="llm"), records(1), ctx)
    assert "bad key ***" in p.error and SENTINEL not in p.error
    denied = serve(lambda body, req: "x", api_key="another-key")
    spec = make_spec(denied, api_key_env="LB_SENTINEL_KEY")
    ex = LLMExtractor.from_dict({"endpoint": spec.model_dump()})
    with pytest.raises(EndpointError) as info:
        list(ex.extract(ModelRef(extractor="llm"), records(1), ctx))
    assert "HTTP 401" in str(info.value) and SENTINEL not in str(info.value)
    assert _files_containing(tmp_path, SENTINEL.encode()) == []
    assert len(ResponseCache(tmp_path / "cache" / "llm-responses.sqlite")) == 0
