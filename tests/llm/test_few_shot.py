"""Few-shot prompting: real train examples only, seeded, the same for every document and
round, within a token budget; prompted arms side by side with their usage aggregated."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml

from leasebench.io import read_jsonl
from leasebench.llm.few_shot import FewShotSpec, choose_examples
from leasebench.records import Origin, Prediction, Record
from leasebench.runner import run_experiment

ROOT = Path(__file__).resolve().parents[2]


def _train(n: int) -> list[Record]:
    return [Record(id=f"t{i:02d}", text=f"document {i} " * (5 if i != 3 else 500),
                   labels={"lessor": [f"L{i}"]}) for i in range(n)]


def test_examples_are_seeded_real_and_within_budget():
    train = [*_train(10), Record(id="syn-1", text="synthetic",
                                 origin=Origin(kind="synthetic", batch=1))]
    cost = {r.id: len(r.text) // 4 for r in train}
    spec = FewShotSpec(k=3, max_tokens=100)
    first = choose_examples(train, spec, 7, cost)
    assert len(first) == 3 and all(r.origin.kind == "real" for r in first)
    assert choose_examples(list(reversed(train)), spec, 7, cost) == first  # order-free
    assert choose_examples(train, spec, 8, cost) != first
    assert "t03" not in [r.id for r in choose_examples(train, FewShotSpec(k=10, max_tokens=
                                                                             100), 7, cost)]
    assert sum(cost[r.id] for r in first) <= 100
    assert choose_examples(train, FewShotSpec(k=0), 7, cost) == []


def _handler(body, req):
    model = body["model"]
    labels = {"lessor": ["Harbor Point Properties LLC"] if model == "large" else []}
    return json.dumps(labels)


def _manifest(tmp_path: Path, url: str) -> Path:
    shutil.copytree(ROOT / "fixtures" / "tiny", tmp_path / "tiny")

    def endpoint(model: str, prompt: float) -> dict:
        return {"base_url": url, "model": model, "api_key_env": None, "concurrency": 4,
                "timeout_s": 10, "backoff_s": 0.01,
                "prices": {"prompt_per_1k": prompt, "completion_per_1k": 2 * prompt}}

    manifest = {
        "name": "prompted-arms", "seed": 3, "schema": "lease",
        "data": {"train": "tiny/train.jsonl", "holdout": "tiny/holdout.jsonl"},
        "extractors": {
            "large": {"name": "llm", "params": {"endpoint": endpoint("large", 1.0)}},
            "small": {"name": "llm", "params": {"endpoint": endpoint("small", 0.1)}},
            "small-2shot": {"name": "llm", "params": {"endpoint": endpoint("small", 0.1),
                                                      "few_shot": {"k": 2}}},
        },
        "trainers": {"pattern": {"name": "pattern"}},
        "scorers": [{"name": "field-match", "params": {"mode": "exact"}}],
        "rounds": [{"name": "large", "extractor": "large"},
                   {"name": "small", "extractor": "small"},
                   {"name": "small-2shot", "extractor": "small-2shot"},
                   {"name": "pattern-real", "trainer": "pattern", "synthetic_batches": 0}],
        "stats": {"bootstrap": 100},
        "tracking": {"mlflow": False},
    }
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(manifest, sort_keys=False))
    return path


def test_prompted_arms_with_and_without_few_shot(serve, tmp_path):
    srv = serve(_handler)
    out = run_experiment(_manifest(tmp_path, srv.url), runs_dir=tmp_path / "runs", quiet=True)
    train = [json.loads(x)["text"] for x in (tmp_path / "tiny" / "train.jsonl").read_text()
             .splitlines()]
    holdout = [json.loads(x)["text"] for x in (tmp_path / "tiny" / "holdout.jsonl")
               .read_text().splitlines()]
    shots = [r.body["messages"] for r in srv.requests if len(r.body["messages"]) > 1]
    plain = [r.body["messages"] for r in srv.requests if len(r.body["messages"]) == 1]
    assert len(shots) == len(holdout) and len(plain) == 2 * len(holdout)
    examples = {json.dumps(m[:-1]) for m in shots}
    assert len(examples) == 1, "the same examples for every document"
    turns = shots[0][:-1]
    assert [t["role"] for t in turns] == ["user", "assistant"] * 2
    for t in turns[::2]:
        assert any(doc in t["content"] for doc in train)
        assert not any(doc in t["content"] for doc in holdout)
    assert all(json.loads(t["content"]).keys() == set(out.result.fields) for t in turns[1::2])
    # usage: the round's tokens and money are its predictions'
    for r in out.result.rounds[:3]:
        preds = read_jsonl(out.run_dir / "predictions" / f"{r.name}.jsonl", Prediction)
        assert r.usage.prompt_tokens == sum(p.usage.prompt_tokens for p in preds) > 0
        assert r.usage.cost == pytest.approx(sum(p.usage.cost for p in preds))
        t = out.result.timing[r.name]
        assert t.serve_cost_per_1k_docs == pytest.approx(
            1000 * np.mean([p.usage.cost for p in preds]), rel=1e-3)
        assert t.paid_now_cost == pytest.approx(r.usage.cost, abs=1e-6)  # all new calls
        assert t.paid_earlier_cost == 0
    few, zero = out.result.round("small-2shot").usage, out.result.round("small").usage
    assert few.prompt_tokens > 2 * zero.prompt_tokens  # the examples are paid for
    assert out.result.round("small").vs_reference["field-match:exact"].n_docs == len(holdout)
    # few-shot extraction is keyed by the train records; a re-run calls nothing
    calls = len(srv.requests)
    again = run_experiment(_manifest(tmp_path / "again", srv.url), runs_dir=tmp_path / "runs",
                           quiet=True)
    assert again.stages_run == 0 and len(srv.requests) == calls
    for r in again.result.rounds[:3]:  # the same cost, all of it paid earlier
        t = again.result.timing[r.name]
        assert r.usage.cost == pytest.approx(out.result.round(r.name).usage.cost)
        assert t.paid_now_cost == 0
        assert t.paid_earlier_cost == pytest.approx(r.usage.cost, abs=1e-6)
