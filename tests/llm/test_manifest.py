"""The example LLM manifest: valid, endpoint from the environment, runs against the server."""

from __future__ import annotations

from pathlib import Path

import yaml

from leasebench.components import GenerateTask
from leasebench.llm.extractor import LLMExtractor
from leasebench.llm.generator import LLMGenerator
from leasebench.llm.judges import LLMGroundingJudge, LLMLabelsJudge
from leasebench.manifest.models import Manifest
from leasebench.records import ModelRef

from .helpers import make_ctx, records
from .test_budget_secrets import SENTINEL
from .test_components import generator_handler

MANIFEST = Path(__file__).parents[2] / "fixtures" / "manifests" / "lease-llm.yaml"


def load(monkeypatch, url: str | None = None):
    if url is None:
        monkeypatch.delenv("LEASEBENCH_BASE_URL", raising=False)
    else:
        monkeypatch.setenv("LEASEBENCH_BASE_URL", url)
    raw = yaml.safe_load(MANIFEST.read_text())
    Manifest.model_validate(raw)
    gen = LLMGenerator.from_dict(raw["generator"]["params"])
    judges = [
        cls.from_dict(j["params"])
        for cls, j in zip((LLMLabelsJudge, LLMGroundingJudge), raw["judges"][:2], strict=True)
    ]
    return gen, judges, LLMExtractor.from_dict(raw["extractors"]["small"]["params"])


def test_manifest_defaults(monkeypatch):
    gen, _, ex = load(monkeypatch)
    assert gen.params.endpoint.base_url == "http://localhost:8000/v1"
    assert ex.params.endpoint.api_key_env == "LEASEBENCH_API_KEY"
    raw = yaml.safe_load(MANIFEST.read_text())
    arms = {name: LLMExtractor.from_dict(a["params"]) for name, a in raw["extractors"].items()}
    assert arms["large"].params.endpoint.model == "gpt-4o"
    assert arms["small"].params.endpoint.model == "gpt-4o-mini"
    assert arms["small-3shot"].params.few_shot.k == 3 and not arms["small"].uses_train()


def test_manifest_components_run_against_the_server(serve, schema, tmp_path, monkeypatch):
    monkeypatch.setenv("LEASEBENCH_API_KEY", SENTINEL)

    def handler(body, req):
        prompt = body["messages"][0]["content"]
        if "Real labels:" in prompt or "Here is a real contract" in prompt:
            return generator_handler(body, req)
        if 'Answer only "0" or "1"' in prompt:
            return "1"
        return '{"lessor": ["Zeta Holdings"]}'

    srv = serve(handler, api_key=SENTINEL)
    gen, judges, ex = load(monkeypatch, srv.url)
    ctx = make_ctx(tmp_path, schema, cache_dir=tmp_path / "cache")
    tasks = [GenerateTask(f"s{i}", 1, i, r, seed=i) for i, r in enumerate(records(2))]
    synth = list(gen.generate(tasks, ctx))
    assert all(v.passed for j in judges for v in j.judge(synth, ctx))
    preds = list(ex.extract(ModelRef(extractor="llm"), [r.unlabelled() for r in synth], ctx))
    assert all(p.fields["lessor"] == ["Zeta Holdings"] for p in preds)
    # 2 x 2 generator calls; identical judge/extraction calls are made once each
    bodies = [str(sorted(r.body.items())) for r in srv.requests]
    assert len(bodies) == len(set(bodies)) and all(r.auth_ok for r in srv.requests)
    assert 2 * 2 + 1 + 1 + 1 <= len(bodies) <= 2 * 2 + 2 * 2 + 2
    assert {r.body["model"] for r in srv.requests} == {"gpt-4o-mini"}
