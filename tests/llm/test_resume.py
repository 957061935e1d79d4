"""SIGKILL mid-stage, resume: no call that had completed is made again.

A child process runs an LLM extraction and appends each yielded prediction to a JSONL
checkpoint (as the runner does), consuming more slowly than the calls complete, so at
the kill some answers are cached but not yet checkpointed and some calls are in flight.
The re-run skips checkpointed ids; the response cache answers the rest of the completed
calls, so the server sees only calls whose answer never reached the first process.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from leasebench.components import Context
from leasebench.llm.cache import CACHE_FILE, ResponseCache
from leasebench.llm.client import LLMClient
from leasebench.llm.extractor import LLMExtractor
from leasebench.llm.prompts import load_prompt
from leasebench.testing.processes import running

from .helpers import doc_id, labels_handler, make_spec, records

N = 60

CHILD = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from leasebench.components import Context
    from leasebench.llm.extractor import LLMExtractor
    from leasebench.records import ModelRef, Record
    from leasebench.schema import builtin_schema

    params, out, cache, n, delay = sys.argv[1:]
    out, n, delay = Path(out), int(n), float(delay)
    done = set()
    if out.exists():
        for line in out.read_text().splitlines():
            try:
                done.add(json.loads(line)["id"])
            except ValueError:
                pass  # a line cut short by the kill
    recs = [
        Record(id=f"r{i}", text=f"DOC-{i}. This lease is made between Acme Corp (lessor) "
               f"and Beta LLC (lessee) for the premises at {i} Main Street.")
        for i in range(n)
    ]
    ctx = Context(schema=builtin_schema("lease"), seed=7, workdir=Path(cache) / "w",
                  cache_dir=Path(cache), stage="extract")
    ex = LLMExtractor.from_dict(json.loads(params))
    todo = [r for r in recs if r.id not in done]
    with out.open("a") as f:
        for p in ex.extract(ModelRef(extractor="llm"), todo, ctx):
            f.write(p.model_dump_json() + "\\n")
            f.flush()
            time.sleep(delay)
    """
)


def checkpointed(path: Path) -> list[str]:
    ids = []
    for line in path.read_text().splitlines():
        with contextlib.suppress(ValueError):
            ids.append(json.loads(line)["id"])
    return ids


def test_sigkill_mid_stage_then_resume_repeats_no_completed_call(serve, schema, tmp_path):
    srv = serve(labels_handler, latency=0.2)
    spec = make_spec(srv, concurrency=4)
    params = json.dumps({"endpoint": spec.model_dump()})
    script, out, cache_dir = tmp_path / "child.py", tmp_path / "items.jsonl", tmp_path / "cache"
    script.write_text(CHILD)
    args = [sys.executable, str(script), params, str(out), str(cache_dir), str(N)]

    with running([*args, "0.1"]) as child:
        deadline = time.monotonic() + 120
        # killed after 3 checkpointed items (>= 0.3 s of the child's pauses), 10x sooner
        # than the 3 s the server needs to answer all 60: calls remain to be made
        while not (out.exists() and len(checkpointed(out)) >= 3):
            assert child.poll() is None, "child ended early"
            assert time.monotonic() < deadline, "child too slow"
            time.sleep(0.01)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    first_ids = set(checkpointed(out))
    assert 3 <= len(first_ids) < N

    # which calls had completed, as far as the killed process knew: its response cache
    ctx = Context(schema=schema, seed=7, workdir=tmp_path / "w")
    ex = LLMExtractor.from_dict(json.loads(params))
    template, key_of = load_prompt("extract"), LLMClient(spec).key
    call = ex._call(ex.params, schema, ctx)
    cache = ResponseCache(cache_dir / CACHE_FILE)
    cached_ids = {
        r.id for r in records(N) if key_of(ex.messages(r, schema, template), **call) in cache
    }
    cache.close()
    assert first_ids <= cached_ids
    assert len(cached_ids) > len(first_ids)  # answers that arrived but were not checkpointed
    assert len(cached_ids) < N  # and calls still to make
    # a fresh server on the same port (the same cache keys): calls the dead process left
    # in flight can no longer reach the log, however late a loaded machine delivers them
    srv.stop()
    srv = serve(labels_handler, latency=0.2, port=srv.port)

    subprocess.run([*args, "0"], check=True, timeout=120)
    again = {f"r{doc_id(r.body)}" for r in srv.requests}
    assert len(srv.requests) == len(again) == N - len(cached_ids)
    assert again.isdisjoint(cached_ids)
    final = checkpointed(out)
    assert sorted(final) == sorted(r.id for r in records(N))  # each id exactly once
