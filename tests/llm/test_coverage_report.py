"""Reports count windows and truncation per round and warn about gold values never seen."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from leasebench.records import Prediction, Record
from leasebench.results import RoundResult, RunResult
from leasebench.runner import run_experiment
from leasebench.runner.coverage import count_coverage, coverage_warnings

FILLER = ("The Tenant shall keep the premises clean and in good repair. Rent is payable "
          "monthly in advance. Notices go by registered mail to the addresses above.")


def long_records(n: int, prefix: str, paragraphs: int = 80) -> list[Record]:
    out = []
    for i in range(n):
        lessor = f"Zebra Holdings {prefix}{i} LLC"
        text = "\n\n".join([FILLER] * paragraphs + [f"Signed for the Lessor, {lessor}."])
        out.append(Record(id=f"{prefix}{i}", text=text, labels={"lessor": [lessor]}))
    return out


def handler(body, req):
    prompt = body["messages"][-1]["content"]
    start = prompt.find("Zebra Holdings")
    found = [prompt[start:prompt.index(" LLC", start) + 4]] if start >= 0 else []
    return json.dumps({"lessor": found})


def test_run_reports_windows_per_round(serve, tmp_path: Path) -> None:
    srv = serve(handler, max_model_len=2048)
    for split, n in (("train", 4), ("holdout", 3)):
        (tmp_path / f"{split}.jsonl").write_text("".join(
            r.model_dump_json() + "\n" for r in long_records(n, split[0])))
    endpoint = {"base_url": srv.url, "model": "test-model", "api_key_env": None,
                "timeout_s": 10}
    manifest = {
        "name": "long-docs", "seed": 1, "schema": "lease",
        "data": {"train": "train.jsonl", "holdout": "holdout.jsonl"},
        "extractors": {"llm": {"name": "llm", "params": {"endpoint": endpoint}}},
        "scorers": [{"name": "field-match", "params": {"mode": "exact"}}],
        "rounds": [{"name": "prompted", "extractor": "llm"}],
        "stats": {"bootstrap": 50},
        "reporters": [{"name": "markdown"}, {"name": "json"}, {"name": "html"}],
        "tracking": {"mlflow": False},
    }
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(manifest, sort_keys=False))
    run_experiment(path, runs_dir=tmp_path / "runs", quiet=True, mlflow=False)
    [report] = (tmp_path / "runs").glob("long-docs/*/report/report.json")
    data = json.loads(report.read_text())
    [prompted] = data["rounds"]
    cov = prompted["coverage"]
    assert cov["documents"] == 3 and cov["chunked"] == 3 and cov["windows"] > 9
    assert 1 < len(srv.requests) < cov["windows"]  # windows of the same text: from the cache
    assert cov["truncated"] == 0 and cov["seen_share"] == 1.0 and cov["unseen_gold"] == 0
    md = (report.parent / "report.md").read_text()
    assert "## Long documents" in md and "| prompted | 3 of 3 |" in md
    html = (report.parent / "report.html").read_text()
    assert "<h3>Long documents</h3>" in html and '<td class="n">3 of 3</td>' in html
    [score] = prompted["scores"].values()
    assert score["fields"]["lessor"]["f1"] == 1.0
    [preds] = (tmp_path / "runs").glob("long-docs/stages/extract-*/predictions.jsonl")
    for line in preds.read_text().splitlines():
        pred = Prediction.model_validate_json(line)
        assert pred.chunks > 3 and pred.spans["lessor"][0] is not None


def test_gold_in_unseen_text_is_counted_and_warned() -> None:
    [record] = long_records(1, "h", paragraphs=20)
    cut = len(record.text) // 2
    preds = [Prediction(id=record.id, truncated=True, seen_chars=cut)]
    r = RoundResult(name="cut", kind="baseline")
    count_coverage(r, preds, [record])
    assert r.coverage is not None
    assert (r.coverage.truncated, r.coverage.unseen_gold) == (1, 1)
    assert r.coverage.unseen_examples == ["h0: lessor: Zebra Holdings h0 LLC"]
    assert 0.45 < r.coverage.seen_share < 0.55
    result = RunResult.model_construct(rounds=[r])
    [warning] = coverage_warnings(result)
    assert "1 gold value(s) lay in text the model never saw" in warning
    assert "h0: lessor: Zebra Holdings h0 LLC" in warning
    whole = RoundResult(name="whole", kind="baseline")
    count_coverage(whole, [Prediction(id=record.id)], [record])  # records nothing: unset
    assert whole.coverage is None
