"""Long documents against a real server: the ``llm`` extractor with and without windows.

Takes the longest hold-out documents of a manifest (by default
``fixtures/manifests/lease-llm.yaml``: built-in leases, seed 614), serves MODEL with
``transformers serve`` on the CPU (or uses ``--base-url``), and extracts them with the
manifest's ``small`` arm three ways: documents whole (no context known), windows at the
model's context (``--context``), windows of ``--chunk`` tokens. Prints, side by side,
wall time, requests sent per document, answers cut at ``max_tokens``, and per-field F1
(normalised field match) over those documents.

    python benchmarks/long_documents.py MODEL_FOLDER [--docs 5] [--context 8192]

Needs ``pip install "transformers[serving]"``; heavy on a small CPU (minutes per
document for a 135M model).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from leasebench.components import Context, Scorer
from leasebench.llm.extractor import LLMExtractor
from leasebench.plugin_manager import build_registry
from leasebench.records import ModelRef, Prediction, Record
from leasebench.runner.run import make_env, prepare_data
from leasebench.scoring.stats import summarize
from leasebench.testing.processes import running, wait_healthy

ROOT = Path(__file__).resolve().parents[1]


def longest(manifest: Path, n: int, work: Path) -> tuple[Any, list[Record], dict[str, Any]]:
    """The schema, the ``n`` longest hold-out records and the ``small`` arm's params."""
    env = make_env(manifest, runs_dir=work / "runs", quiet=True)
    splits, _ = prepare_data(env)
    docs = sorted(splits.holdout, key=lambda r: -len(r.text))[:n]
    arm = env.loaded.manifest.extractor_arms["small"]
    return env.schema, docs, dict(arm.params)


def extract(params: dict[str, Any], schema: Any, docs: list[Record], work: Path,
            label: str) -> tuple[list[Prediction], float]:
    ctx = Context(schema=schema, seed=614, workdir=work / label, stage=label,
                  cache_dir=work / "cache",
                  note=lambda line: print(f"    [{label}] {line}", flush=True))
    started = time.perf_counter()
    preds = list(LLMExtractor.from_dict(params).extract(
        ModelRef(extractor="llm"), [d.unlabelled() for d in docs], ctx))
    return preds, time.perf_counter() - started


def report(label: str, preds: list[Prediction], seconds: float, docs: list[Record],
           schema: Any) -> dict[str, float]:
    scorer = build_registry().get_as(Scorer, "field-match").from_dict({"mode": "normalized"})
    by_id = {p.id: p for p in preds}
    outcomes = scorer.score(docs, [by_id[d.id] for d in docs], schema)
    summary = summarize(outcomes, iterations=0)
    cut = sum(1 for p in preds if p.parse_error and "truncated" in p.parse_error)
    failed = sum(1 for p in preds if p.error)
    print(f"{label:>10}: {seconds:7.0f} s, {sum(p.chunks for p in preds)} requests for "
          f"{len(docs)} documents (windows {[p.chunks for p in preds]}), {failed} failed, "
          f"{sum(1 for p in preds if p.parse_error)} unparsed ({cut} cut at max_tokens), "
          f"micro F1 {summary.micro.f1:.3f}", flush=True)
    for p in preds:
        if p.error:
            print(f"            {p.id}: {p.error[:200]}")
    return {f: m.f1 for f, m in summary.fields.items()} | {"micro": summary.micro.f1}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", help="model folder (served as it is, and named in requests)")
    ap.add_argument("--manifest", type=Path, default=ROOT / "fixtures" / "manifests" /
                    "lease-llm.yaml")
    ap.add_argument("--docs", type=int, default=5)
    ap.add_argument("--context", type=int, default=8192)
    ap.add_argument("--chunk", type=int, default=2048)
    ap.add_argument("--base-url", default=None, help="a running server instead")
    ap.add_argument("--work", type=Path, default=None,
                    help="work folder; its response cache makes a re-run resume")
    ap.add_argument("--only", default="whole,context,windows",
                    help="the ways to run, comma-separated (a prompt over the model's context "
                    "can wedge transformers serve: run `whole` last or alone)")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="lb-long-"))
    schema, docs, params = longest(args.manifest, args.docs, work)
    print(f"{len(docs)} longest hold-out documents: {[len(d.text) for d in docs]} characters")
    port = free_port()
    base = args.base_url or f"http://127.0.0.1:{port}/v1"
    endpoint = {**params["endpoint"], "base_url": base, "model": args.model,
                "api_key_env": None, "concurrency": 1}
    configs = {
        "whole": {**params, "endpoint": endpoint, "context_tokens": 10_000_000},
        "context": {**params, "endpoint": endpoint, "context_tokens": args.context},
        "windows": {**params, "endpoint": endpoint, "context_tokens": args.context,
                    "chunking": {"chunk_tokens": args.chunk}},
    }
    configs = {k: configs[k] for k in args.only.split(",")}
    results = {}
    server = None
    if args.base_url is None:
        exe = shutil.which("transformers", path=str(Path(sys.executable).parent)) or "transformers"
        log = work / "serve.log"
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
        server = running([exe, "serve", args.model, "--host", "127.0.0.1", "--port",
                          str(port), "--device", "cpu"],
                         stdout=log.open("wb"), stderr=subprocess.STDOUT, env=env)
        proc = server.__enter__()
        wait_healthy(f"http://127.0.0.1:{port}/health", proc, log, timeout_s=600,
                     what="transformers serve")
    try:
        for label, config in configs.items():
            preds, seconds = extract(config, schema, docs, work, label)
            results[label] = report(label, preds, seconds, docs, schema)
    finally:
        if server is not None:
            server.__exit__(None, None, None)
    fields = list(next(iter(results.values())))
    print("\nF1 per field: " + " | ".join(results))
    for f in fields:
        print(f"  {f:<26} " + " | ".join(f"{results[k].get(f, 0.0):.2f}" for k in results))


if __name__ == "__main__":
    main()
