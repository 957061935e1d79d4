"""Shared fixtures: tiny hand-made lease records, a 3-field schema, a tiny base model.

The base model is a random-weight 2-layer Llama with a BPE tokenizer trained on the
records' prompts and answers, saved to a temporary directory: no downloads.

Torch runs on one thread here and in the processes the tests start (``ONE_THREAD``): the
tiny model's matrices are too small to share, and two threads spin-waiting on a loaded
2-core machine made training several times slower (the numbers are the same).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
import torch
from leasebench.components import Context
from leasebench.llm.prompts import describe_fields, load_prompt, render
from leasebench.records import Record
from leasebench.schema import FieldSchema

from leasebench_lora.chat import answer_json
from leasebench_lora.tiny import build_tiny_model

torch.set_num_threads(1)
ONE_THREAD = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
PLUGIN = Path(__file__).resolve().parents[1]
SCHEMA_DOC = {"properties": {
    "lessor": {"type": "array", "x-kind": "party", "description": "The landlord."},
    "lessee": {"type": "array", "x-kind": "party", "description": "The tenant."},
    "signing_date": {"type": "array", "x-kind": "date", "description": "Date signed."},
}}
PARTIES = ["Harbor Point LLC", "Greenway Realty", "Acme Analytics", "Crescent Apparel",
           "Blue Oak Partners", "Nimbus Foods", "Orion Labs", "Maple Holdings"]
DATES = ["March 3, 2017", "June 9, 2019", "May 1, 2020", "July 14, 2018", "January 2, 2021",
         "October 30, 2016", "April 8, 2015", "August 21, 2022"]
# Settings under which the tiny model memorises a handful of records in seconds.
FAST = {
    "learning_rate": 1e-2, "epochs": 150, "rank": 8, "dropout": 0.0, "batch_size": 2,
    "warmup_ratio": 0.0, "max_length": 512, "max_new_tokens": 48, "device": "cpu",
    "target_modules": ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj",
                       "down_proj", "lm_head"],
}


def make_records(n: int = 8, prefix: str = "d") -> list[Record]:
    out = []
    for i in range(n):
        a, b, d = PARTIES[i % 8], PARTIES[(i + 3) % 8], DATES[i % 8]
        text = f"This Lease is made on {d} between {a} (Landlord) and {b} (Tenant)."
        out.append(Record(id=f"{prefix}{i}", text=text,
                          labels={"lessor": [a], "lessee": [b], "signing_date": [d]}))
    return out


@pytest.fixture(scope="session")
def schema() -> FieldSchema:
    return FieldSchema("mini", SCHEMA_DOC)


@pytest.fixture(scope="session")
def records() -> list[Record]:
    return make_records()


def tiny_texts(schema: FieldSchema, records: list[Record]) -> list[str]:
    """What the tiny tokenizer learns from: the prompts and answers of ``records``."""
    template = load_prompt("extract")
    texts = [render(template, fields=describe_fields(schema), document=r.text) for r in records]
    texts += [answer_json(r.labels, schema) for r in records]
    return texts * 3


@pytest.fixture(scope="session")
def tiny_base(tmp_path_factory: pytest.TempPathFactory, schema: FieldSchema,
              records: list[Record]) -> Path:
    """A random-weight tiny chat model whose tokenizer knows the prompt's words."""
    return build_tiny_model(tmp_path_factory.mktemp("tiny-base"), tiny_texts(schema, records),
                            vocab_size=1024)


@pytest.fixture
def make_ctx(schema: FieldSchema, tmp_path: Path) -> Callable[..., Context]:
    def make(name: str = "work", seed: int = 1) -> Context:
        return Context(schema=schema, seed=seed, workdir=tmp_path / name, quiet=True)

    return make


def child_env(**extra: str) -> dict[str, str]:
    """The environment for a process a test starts: one torch thread, and ``extra``."""
    return {**os.environ, **ONE_THREAD, **extra}


def write_jsonl(path: Path, records: list[Record]) -> Path:
    path.write_text("".join(json.dumps(r.model_dump(mode="json")) + "\n" for r in records),
                    "utf-8")
    return path
