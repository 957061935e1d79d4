"""Executor ``processes``: CPU-bound work in a pool of worker processes, in chunks.

Each stage gets a pool whose workers receive the work (component, params, context,
model) once, at start-up; chunks of items go out and their results come back as each
chunk finishes, with at most ``2 x workers`` chunks in flight. LLM components (and
components that drive a cluster themselves) run in the driver, as under ``local``.
Workers ignore Ctrl-C, are killed when their stage is interrupted, and exit when the
run's process ends, however it ends (``reaper``).
"""

from __future__ import annotations

import dataclasses
import itertools
import multiprocessing
import operator
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, as_completed, wait
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..components import Executor
from .local import run_here
from .reaper import stop_pool, worker_setup
from .relay import ItemCounter, ProgressRelay, Reporter
from .work import MapWork, chunked

_WORK: MapWork | None = None
_REPORTER: Reporter | None = None
PRELOAD = ["leasebench.executors.processes", "leasebench.crf.components",
           "leasebench.pattern.components", "leasebench.judging.dedup"]


def usable_cores() -> int:
    """The cores this process may run on (the affinity mask where the OS has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def start_context(method: str) -> Any:
    """A multiprocessing context: ``auto`` is ``forkserver`` where it exists, else spawn."""
    if method == "auto":
        methods = multiprocessing.get_all_start_methods()
        method = "forkserver" if "forkserver" in methods else "spawn"
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(PRELOAD)
    return ctx


def _init(work: MapWork, reporter: Reporter | None = None, run_pid: int | None = None) -> None:
    global _WORK, _REPORTER
    _WORK, _REPORTER = work, reporter
    worker_setup(run_pid)


def _run_chunk(chunk: list[Any]) -> list[BaseModel]:
    assert _WORK is not None, "worker started without its work"
    if _REPORTER is None:
        return list(_WORK.run(chunk))
    out = []
    for result in _WORK.run(chunk):  # each item counted as it finishes, not with its chunk
        out.append(result)
        _REPORTER.advance()
    _REPORTER.flush()
    return out


def auto_chunk(n: int, workers: int) -> int:
    """About four chunks per worker, 1 to 64 items each (32 when the count is unknown)."""
    if n <= 0:
        return 32
    return max(1, min(64, -(-n // (4 * workers))))


class ProcessesExecutorParams(BaseModel):
    """Params of the ``processes`` executor."""

    model_config = ConfigDict(extra="forbid")
    workers: int = Field(0, ge=0, description="Worker processes (0: the usable cores).")
    chunk_size: int = Field(
        0, ge=0, description="Items per chunk (0: about four chunks per worker, at most 64)."
    )
    min_items: int = Field(
        16, ge=1, description="Stages with fewer items to do run in the driver."
    )
    start_method: Literal["auto", "fork", "forkserver", "spawn"] = Field(
        "auto", description="How workers start (`auto`: forkserver where available)."
    )


class ProcessesExecutor(Executor[ProcessesExecutorParams]):
    """Runs CPU-bound components on every core, in chunks; LLM components stay in-process."""

    name: ClassVar[str] = "processes"
    version: ClassVar[str] = "1"

    @property
    def workers(self) -> int:
        return self.params.workers or usable_cores()

    def map(self, work: MapWork, items: Iterable[Any]) -> Iterator[BaseModel]:
        if work.io_bound or work.driver_only or self.workers < 2:
            yield from run_here(work, items)
            return
        total = operator.length_hint(items, 0)
        it = iter(items)
        head = list(itertools.islice(it, self.params.min_items))
        if len(head) < self.params.min_items:
            yield from run_here(work, head)
            return
        size = self.params.chunk_size or auto_chunk(total, self.workers)
        chunks = chunked(itertools.chain(head, it), size)
        if work.on_items is None:
            yield from self._pooled(self._shipped(work), chunks)
            return
        with ProgressRelay(ItemCounter(work.on_items)) as relay:
            yield from self._pooled(self._shipped(work), chunks, relay.reporter(work.stage))

    def _shipped(self, work: MapWork) -> MapWork:
        """The work as the workers get it, with their share of the cores."""
        out = work.portable()
        return dataclasses.replace(
            out, ctx=dataclasses.replace(out.ctx, threads=self.threads(self.workers)))

    def threads(self, parallel: int = 1) -> int:
        """One share of the usable cores per worker process running at once."""
        running = min(self.workers, max(1, parallel))
        return 0 if running < 2 else max(1, usable_cores() // running)

    def call_each(self, calls: Sequence[Any]) -> Iterator[tuple[int, Any]]:
        """Each call in its own worker process, up to ``workers`` at once, as they finish."""
        if len(calls) < 2 or self.workers < 2:
            yield from super().call_each(calls)
            return
        with ProcessPoolExecutor(min(self.workers, len(calls)),
                                 mp_context=start_context(self.params.start_method),
                                 initializer=worker_setup, initargs=(os.getpid(),)) as pool:
            futures = {pool.submit(call): i for i, call in enumerate(calls)}
            try:
                for future in as_completed(futures):
                    yield futures[future], future.result()
            except BaseException:  # interrupted, or a trial failed: no waiting on the rest
                stop_pool(pool)
                raise
            finally:
                for future in futures:
                    future.cancel()

    def _pooled(self, work: MapWork, chunks: Iterator[list[Any]],
                reporter: Reporter | None = None) -> Iterator[BaseModel]:
        pool = ProcessPoolExecutor(
            self.workers, mp_context=start_context(self.params.start_method),
            initializer=_init, initargs=(work, reporter, os.getpid()),
        )
        pending: set[Future[list[BaseModel]]] = set()
        failure: BaseException | None = None
        try:
            for chunk in itertools.islice(chunks, 2 * self.workers):
                pending.add(pool.submit(_run_chunk, chunk))
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    if future.cancelled():
                        continue
                    exc = future.exception()
                    if exc is not None:
                        failure = failure or exc
                        continue
                    yield from future.result()
                    if failure is None:
                        nxt = next(chunks, None)
                        if nxt is not None:
                            pending.add(pool.submit(_run_chunk, nxt))
                if failure is not None:
                    for future in pending:
                        future.cancel()
            if failure is not None:
                raise failure
        except BaseException:  # interrupted or closed early: the workers stop now
            stop_pool(pool)
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


__all__ = ["ProcessesExecutor", "auto_chunk", "start_context", "usable_cores"]
