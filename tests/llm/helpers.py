"""Helpers for the LLM tests: endpoint specs, contexts, records, handlers."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from leasebench.components import Context
from leasebench.llm.config import EndpointSpec, Prices
from leasebench.records import Record
from leasebench.schema import FieldSchema, builtin_schema
from leasebench.testing.llm_server import LLMTestServer

DOC_ID = re.compile(r"DOC-(\d+)")


def make_spec(srv: LLMTestServer, **kw: Any) -> EndpointSpec:
    base = {
        "base_url": srv.url,
        "model": "test-model",
        "api_key_env": None,
        "concurrency": 8,
        "timeout_s": 5.0,
        "backoff_s": 0.01,
        "backoff_max_s": 0.05,
        "prices": Prices(prompt_per_1k=1.0, completion_per_1k=2.0),
    }
    base.update(kw)
    return EndpointSpec(**base)


def make_ctx(tmp_path: Path, schema: FieldSchema, **kw: Any) -> Context:
    kw.setdefault("stage", "extract")
    return Context(schema=schema, seed=7, workdir=tmp_path / "work", **kw)


def records(n: int, start: int = 0) -> list[Record]:
    return [
        Record(
            id=f"r{i}",
            text=f"DOC-{i}. This lease is made between Acme Corp (lessor) and Beta LLC "
            f"(lessee) for the premises at {i} Main Street.",
            labels={"lessor": ["Acme Corp"], "lessee": ["Beta LLC"]},
        )
        for i in range(start, start + n)
    ]


def doc_id(body: dict[str, Any]) -> int | None:
    """The DOC-n number in a request's messages."""
    m = DOC_ID.search(json.dumps(body.get("messages")))
    return int(m.group(1)) if m else None


def labels_handler(body: dict[str, Any], req: Any) -> str:
    """Answers the lessor/lessee of the test records, every other field empty."""
    schema = builtin_schema("lease")
    out = {f: [] for f in schema.fields}
    out.update({"lessor": ["Acme Corp"], "lessee": ["Beta LLC"]})
    return json.dumps(out)
