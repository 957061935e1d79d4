"""LLM client throughput, rate-limit goodput and cache re-runs, side by side with a bare
``AsyncOpenAI`` + ``asyncio.Semaphore`` reference client, against the loopback test
server running in its own process.

    python benchmarks/llm_throughput.py [--calls 2000] [--limited-calls 1000]

Figures:
1. throughput at concurrency 64, 100 ms latency (ideal = 64 / 0.1 s = 640/s):
   reference client, leasebench's client, a whole extraction stage (cache off);
2. goodput against a server admitting 50 requests/s (429 + Retry-After beyond);
3. re-run of a finished extraction: server requests and wall time vs the first run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from leasebench.components import Context
from leasebench.llm.bridge import stream
from leasebench.llm.client import LLMClient
from leasebench.llm.config import EndpointSpec
from leasebench.llm.extractor import LLMExtractor
from leasebench.llm.usage import Budget
from leasebench.records import ModelRef, Record
from leasebench.schema import builtin_schema
from leasebench.testing.processes import running

CONCURRENCY, LATENCY, RATE = 64, 0.1, 50.0
IDEAL = CONCURRENCY / LATENCY


@contextmanager
def server(*args: str):
    """The test server in a separate process (no shared GIL); yields its base URL."""
    cmd = [sys.executable, "-m", "leasebench.testing.llm_server", *args]
    with running(cmd, stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None
        yield proc.stdout.readline().strip()


def server_requests(url: str) -> int:
    with urllib.request.urlopen(url.removesuffix("/v1") + "/_stats") as resp:
        return json.load(resp)["requests"]


def messages(i: int) -> list[dict[str, str]]:
    return [{"role": "user", "content": f"Extract the fields from document {i}."}]


def reference(url: str, n: int) -> tuple[float, int]:
    """Bare AsyncOpenAI with a semaphore: (seconds, failed calls), default retries."""
    from openai import AsyncOpenAI

    async def main() -> tuple[float, int]:
        client = AsyncOpenAI(base_url=url, api_key="bench")
        sem = asyncio.Semaphore(CONCURRENCY)

        async def one(i: int) -> bool:
            async with sem:
                try:
                    await client.chat.completions.create(
                        model="bench",
                        messages=messages(i),
                        max_tokens=64,  # type: ignore[arg-type]
                    )
                    return True
                except Exception:
                    return False

        start = time.perf_counter()
        ok = await asyncio.gather(*(one(i) for i in range(n)))
        elapsed = time.perf_counter() - start
        await client.close()
        return elapsed, ok.count(False)

    return asyncio.run(main())


def spec(url: str) -> EndpointSpec:
    return EndpointSpec(base_url=url, model="bench", api_key_env=None, concurrency=CONCURRENCY)


def ours(url: str, n: int) -> tuple[float, int, LLMClient]:
    """leasebench's client through the sync bridge: (seconds, failed calls, client)."""
    holder: list[LLMClient] = []

    def make() -> LLMClient:
        holder.append(LLMClient(spec(url)))
        return holder[0]

    async def one(client: LLMClient, i: int):
        return await client.complete(messages(i), max_tokens=64)

    start = time.perf_counter()
    results = list(stream(make, one, range(n)))  # type: ignore[arg-type]
    elapsed = time.perf_counter() - start
    return elapsed, sum(not r.ok for r in results), holder[0]


def documents(n: int) -> list[Record]:
    return [
        Record(id=f"d{i}", text=f"Lease {i}: Acme Corp leases to Beta LLC the unit at {i} Elm St.")
        for i in range(n)
    ]


def extraction(url: str, n: int, cache_dir: Path | None) -> tuple[float, int, Budget]:
    """A whole extraction stage: (seconds, failed items, budget with the usage ledger)."""
    budget = Budget()
    ctx = Context(
        schema=builtin_schema("lease"),
        seed=0,
        workdir=Path(tempfile.mkdtemp()),
        cache_dir=cache_dir,
        budget=budget,
        stage="extract",
        quiet=True,
    )
    ex = LLMExtractor.from_dict({"endpoint": spec(url).model_dump(), "max_tokens": 256})
    start = time.perf_counter()
    preds = list(ex.extract(ModelRef(extractor="llm"), documents(n), ctx))
    elapsed = time.perf_counter() - start
    assert len(preds) == n
    return elapsed, sum(1 for p in preds if p.error or p.parse_error), budget


def row(label: str, value: str, note: str = "") -> None:
    print(f"  {label:<44} {value:>14}  {note}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=2000)
    ap.add_argument("--limited-calls", type=int, default=1000)
    args = ap.parse_args()
    n, m = args.calls, args.limited_calls

    print(
        f"1. throughput: {n} calls, concurrency {CONCURRENCY}, latency {LATENCY * 1000:.0f} ms "
        f"(ideal {IDEAL:.0f}/s)"
    )
    with server("--latency", str(LATENCY)) as url:
        reference(url, 200)  # warm-up: imports, connections
        ref_s, ref_fail = reference(url, n)
        our_s, our_fail, _ = ours(url, n)
        ext_s, ext_fail, _ = extraction(url, n, None)
    ref_tp, our_tp, ext_tp = n / ref_s, n / our_s, n / ext_s
    row(
        "reference (AsyncOpenAI + Semaphore)",
        f"{ref_tp:7.1f}/s",
        f"{ref_tp / IDEAL:.1%} of ideal  (server check: >= 70%)  failed {ref_fail}",
    )
    row(
        "leasebench client",
        f"{our_tp:7.1f}/s",
        f"{our_tp / ref_tp:.3f} x reference, {our_tp / IDEAL:.1%} of ideal  failed {our_fail}",
    )
    row(
        "leasebench extraction stage (cache off)",
        f"{ext_tp:7.1f}/s",
        f"{ext_tp / ref_tp:.3f} x reference, {ext_tp / IDEAL:.1%} of ideal  failed {ext_fail}",
    )

    print(
        f"\n2. rate limit: server admits {RATE:.0f} requests/s, 429 + Retry-After beyond; "
        f"{m} calls, concurrency {CONCURRENCY}"
    )
    with server("--latency", str(LATENCY), "--rate-limit", str(RATE)) as url:
        ref_s, ref_fail = reference(url, m)
    with server("--latency", str(LATENCY), "--rate-limit", str(RATE)) as url:
        our_s, our_fail, client = ours(url, m)
        sent = server_requests(url)
    ref_good, our_good = (m - ref_fail) / ref_s, (m - our_fail) / our_s
    row(
        "reference goodput",
        f"{ref_good:7.1f}/s",
        f"{ref_good / RATE:.3f} of {RATE:.0f}/s  failed {ref_fail} ({ref_fail / m:.1%})",
    )
    row(
        "leasebench goodput",
        f"{our_good:7.1f}/s",
        f"{our_good / RATE:.3f} of {RATE:.0f}/s  failed {our_fail}  "
        f"(429s {client.stats.rate_limited}, {sent} requests, limit now {client.limiter.current})",
    )

    print(f"\n3. re-run of a finished extraction ({n} documents, response cache on)")
    with server("--latency", str(LATENCY)) as url, tempfile.TemporaryDirectory() as tmp:
        first_s, _, _first = extraction(url, n, Path(tmp))
        before = server_requests(url)
        again_s, _, second = extraction(url, n, Path(tmp))
        extra = server_requests(url) - before
    row("first run", f"{first_s:7.2f} s", f"{before} requests")
    row(
        "re-run",
        f"{again_s:7.2f} s",
        f"{extra} requests, {second.ledger.stage('extract').cached} cache hits, "
        f"{again_s / first_s:.1%} of the first run's time",
    )


if __name__ == "__main__":
    main()
