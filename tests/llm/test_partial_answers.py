"""A run whose model answers are cut off or name no field: salvage, parse rates, warnings."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from click.testing import CliRunner

from leasebench.cli.main import make_cli
from leasebench.io import read_jsonl
from leasebench.records import Prediction, Record
from leasebench.results import RunResult

ROOT = Path(__file__).resolve().parents[2]
HOLDOUT = read_jsonl(ROOT / "fixtures" / "tiny" / "holdout.jsonl", Record)
LOOP = "_date_of_expiration" * 40


def _gold(body) -> Record:
    prompt = json.dumps(body["messages"])
    return next(r for r in HOLDOUT if json.dumps(r.text[:120])[1:-1] in prompt)


def handler(body, req) -> str:
    """`cut`: five answers cut off in a repetition loop after two sound pairs, one that
    names no field, two whole. `chatty`: every answer but one names no field."""
    gold = _gold(body)
    i = HOLDOUT.index(gold)
    pairs = {"lessor": gold.labels["lessor"], "lessee": gold.labels["lessee"]}
    if body["model"] == "chatty" and i:
        return 'x = {"foo": 1}'
    if body["model"] == "chatty" or i >= 6:
        return json.dumps(pairs)
    if i == 5:
        return 'x = {"foo": 1}'
    return json.dumps(pairs)[:-1] + f', "expiration_date_of_lease_contract{LOOP}'


def write_manifest(tmp_path: Path, url: str) -> Path:
    shutil.copytree(ROOT / "fixtures" / "tiny", tmp_path / "tiny")

    def arm(model: str) -> dict:
        return {"name": "llm", "params": {"endpoint": {
            "base_url": url, "model": model, "api_key_env": None, "timeout_s": 10,
            "backoff_s": 0.01, "structured_output": "none"}}}

    manifest = {
        "name": "partial", "seed": 3, "schema": "lease",
        "data": {"train": "tiny/train.jsonl", "holdout": "tiny/holdout.jsonl"},
        "extractors": {"cut": arm("cut"), "chatty": arm("chatty")},
        "rounds": [{"name": "cut", "extractor": "cut"},
                   {"name": "chatty", "extractor": "chatty"}],
        "scorers": [{"name": "field-match", "params": {"mode": "exact"}}],
        "stats": {"bootstrap": 20},
        "reporters": [{"name": "json"}, {"name": "markdown"}, {"name": "html"}],
        "tracking": {"mlflow": False},
    }
    path = tmp_path / "partial.yaml"
    path.write_text(yaml.safe_dump(manifest, sort_keys=False))
    return path


def test_cut_off_answers_are_salvaged_and_low_parse_rates_flagged(serve, tmp_path):
    srv = serve(handler)
    path = write_manifest(tmp_path, srv.url)
    runs = tmp_path / "runs"
    out = CliRunner().invoke(make_cli(), ["run", str(path), "--runs-dir", str(runs)],
                             terminal_width=200)
    assert out.exit_code == 0, out.output
    [report] = (runs / "partial").glob("*/report")
    result = RunResult.model_validate_json((report / "report.json").read_text("utf-8"))
    cut, chatty = result.round("cut"), result.round("chatty")
    assert (cut.partial_answers, cut.parse_failures, cut.n_predictions) == (5, 1, 8)
    assert cut.parse_rate == 0.875 and cut.partial_rate == 0.625
    assert cut.salvaged_values == sum(len(r.labels["lessor"]) + len(r.labels["lessee"])
                                      for r in HOLDOUT[:5])
    f1 = cut.scores[result.primary_scorer].micro.f1
    assert cut.micro_f1_without_salvage is not None and cut.micro_f1_without_salvage < f1
    assert (chatty.parse_rate, chatty.partial_answers) == (0.125, 0)
    assert chatty.micro_f1_without_salvage is None
    [preds_file] = (runs / "partial").glob("stages/extract-cut*/predictions.jsonl")
    preds = read_jsonl(preds_file, Prediction)
    assert sum(p.partial for p in preds) == 5
    stored = [json.loads(line) for line in preds_file.read_text("utf-8").splitlines()]
    assert sorted(d.get("partial", False) for d in stored) == [False] * 3 + [True] * 5
    assert sum("partial" in d for d in stored) == 5  # left out where false: old files read
    flagged = [w for w in result.warnings if "answers parsed" in w]
    assert len(flagged) == 1 and flagged[0].startswith("round chatty: only 1 of 8")
    assert any(w.startswith("round cut: 5 of 8 answers were cut off") for w in result.warnings)
    text = " ".join(out.output.split())
    assert "only 1 of 8 answers parsed" in text and "5 of 8 answers were cut off" in text
    assert "cut: 5 of 8 answers cut off or malformed, 10 field values salvaged" in text
    rows = {cells[0]: cells for cells in map(str.split, out.output.splitlines())
            if cells[:2] in (["cut", "0+0"], ["chatty", "0+0"])}  # the rounds table
    assert rows["cut"][5] == "87.5" and rows["chatty"][5] == "12.5"  # the parsed % column
    md = (report / "report.md").read_text("utf-8")
    assert "| parsed % |" in md and "87.5 (62.5 partial)" in md
    assert "- cut: 5 of 8 answers cut off or malformed" in md
    html = (report / "report.html").read_text("utf-8")
    assert "87.5 (62.5 partial)" in html and "without salvage" in html
