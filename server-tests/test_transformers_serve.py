"""``leasebench run`` against a real ``transformers serve``, with the endpoint on defaults.

The model has random weights, so every answer is noise: the point is that the LLM
generator, judges and extractor take whatever a real server sends, count parse failures
and finish, and that configuration mistakes stop a stage at its first request with the
server's own message. Only ``max_tokens`` is lowered, to keep the CPU time small.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import ROOT, Server

FAST = {"max_tokens": 32}


def write_manifest(tmp_path: Path, server: Server, *, generator: str = "llm", **endpoint) -> Path:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    lines = (ROOT / "fixtures" / "tiny" / "train.jsonl").read_text("utf-8").splitlines()
    (data / "train.jsonl").write_text("\n".join(lines[:4]) + "\n", "utf-8")
    (data / "holdout.jsonl").write_text("\n".join(lines[4:6]) + "\n", "utf-8")
    ep = {"base_url": server.url, "model": server.model, "api_key_env": None, **endpoint}
    llm_generator = {"name": "llm", "batch_size": 2,
                     "params": {"endpoint": ep, "max_tokens": 32, "labels_max_tokens": 32}}
    manifest = {
        "name": f"served-{generator}", "seed": 1, "schema": "lease",
        "data": {"train": "data/train.jsonl", "holdout": "data/holdout.jsonl"},
        "generator": llm_generator if generator == "llm" else
        {"name": generator, "batch_size": 2},
        "judges": [{"name": "llm-labels", "params": {"endpoint": ep}},
                   {"name": "llm-grounding", "params": {"endpoint": ep}}],
        "trainer": {"name": "pattern"},
        "baseline": {"name": "llm", "params": {"endpoint": ep, **FAST}},
        "scorers": [{"name": "field-match"}],
        "rounds": [{"name": "prompted", "baseline": True},
                   {"name": "real-only", "synthetic_batches": 0},
                   {"name": "synth-1", "synthetic_batches": 1}],
        "stats": {"bootstrap": 20},
        "tracking": {"mlflow": False},
    }
    path = tmp_path / f"{generator}.yaml"
    path.write_text(yaml.safe_dump(manifest, sort_keys=False), "utf-8")
    return path


def run(path: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    out = subprocess.run(
        [sys.executable, "-m", "leasebench", "run", str(path), "--runs-dir",
         str(tmp_path / "runs"), "--no-mlflow"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
        env={**os.environ, "COLUMNS": "200"},
    )
    out.stderr = " ".join(out.stderr.split())  # rich wraps long lines
    return out


def report(tmp_path: Path, name: str) -> dict:
    [path] = (tmp_path / "runs" / name).glob("*/report/report.json")
    return json.loads(path.read_text("utf-8"))


def test_llm_generator_judges_and_extractor_finish_with_failures_counted(
        transformers_server, tmp_path):
    path = write_manifest(tmp_path, transformers_server)
    out = run(path, tmp_path)
    assert out.returncode == 0, out.stderr[-3000:]
    assert "Traceback" not in out.stderr
    # the server takes response_format and ignores it; the run says so
    assert "seems to ignore response_format" in out.stderr
    data = report(tmp_path, "served-llm")
    prompted = next(r for r in data["rounds"] if r["name"] == "prompted")
    assert prompted["n_predictions"] == 2 and prompted["call_failures"] == 0
    assert prompted["parse_failures"] == 2 and prompted["usage"]["calls"] == 2
    [batch] = data["funnel"]
    assert batch["generated"] == 2 and batch["accepted"] == 0
    reasons = " ".join(r for rs in batch["reasons"].values() for r in rs)
    assert "labels answer unreadable" in reasons
    assert data["usage"]["generate"]["calls"] == 2  # the labels calls, paid and booked

    # the judges call the server too, on samples an offline generator makes
    path = write_manifest(tmp_path, transformers_server, generator="perturb")
    out = run(path, tmp_path)
    assert out.returncode == 0, out.stderr[-3000:]
    [batch] = report(tmp_path, "served-perturb")["funnel"]
    assert batch["generated"] == 2 and data["usage"]["judge"]["calls"] == 0
    judged = report(tmp_path, "served-perturb")["usage"]["judge"]
    assert judged["calls"] >= 2 and judged["failed"] == 0
    assert all(r.startswith("unreadable answer") or r.startswith("answered")
               for r in batch["reasons"]["llm-labels"])


def test_a_wrong_model_and_a_wrong_path_exit_2_after_one_request(transformers_server,
                                                                 tmp_path):
    before = transformers_server.requests()
    path = write_manifest(tmp_path, transformers_server)
    text = path.read_text("utf-8").replace(f"model: {transformers_server.model}",
                                           "model: no-such-model")
    path.write_text(text, "utf-8")
    out = run(path, tmp_path)
    assert out.returncode == 2, out.stderr[-3000:]
    assert "HTTP 400" in out.stderr and "requested 'no-such-model'" in out.stderr
    assert "no-such-model" in out.stderr and "Traceback" not in out.stderr
    assert "never retrieved" not in out.stderr
    assert transformers_server.requests() - before == 1

    shutil.rmtree(tmp_path / "runs")
    root = transformers_server.url.removesuffix("/v1")
    path = write_manifest(tmp_path, transformers_server)
    path.write_text(path.read_text("utf-8").replace(transformers_server.url, root), "utf-8")
    out = run(path, tmp_path)
    assert out.returncode == 2, out.stderr[-3000:]
    assert "HTTP 404" in out.stderr and "Not Found" in out.stderr
    assert f"{root}/chat/completions" in out.stderr and "/v1" in out.stderr
    assert "Traceback" not in out.stderr and "never retrieved" not in out.stderr
    assert transformers_server.requests("/chat/completions") == 1
