"""Run async per-item work from the synchronous component methods.

The component contract's methods are sync generators, and the runner checkpoints each
yielded result. ``stream`` runs an async per-item function over all items on a private
event loop in a worker thread and yields each result the moment it completes, so the
loop keeps calls in flight while the caller writes its checkpoint.

``BudgetExceeded`` from an item is held back: every other item still runs to the end
(calls already reserved finish; later reservations are refused at once), all results
are yielded, and then the first ``BudgetExceeded`` is raised. Any other exception
cancels the remaining items and is raised after the results that were complete.
Closing the generator early cancels whatever is still running.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, TypeVar

from ..errors import BudgetExceeded

T = TypeVar("T")
R = TypeVar("R")
S = TypeVar("S")

_DONE = object()


async def amap(fn: Callable[[T], Awaitable[R]], items: Sequence[T]) -> AsyncIterator[R]:
    """Run ``fn`` on every item concurrently; yield results in completion order."""
    done: asyncio.Queue[asyncio.Task[R]] = asyncio.Queue()
    tasks = [asyncio.ensure_future(fn(item)) for item in items]
    for task in tasks:
        task.add_done_callback(done.put_nowait)
    budget: BudgetExceeded | None = None
    try:
        for _ in range(len(tasks)):
            task = await done.get()
            exc = task.exception()
            if exc is None:
                yield task.result()
            elif isinstance(exc, BudgetExceeded):
                budget = budget or exc
            else:
                raise exc
    finally:
        pending = [t for t in tasks if not t.done()]
        for t in pending:
            t.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
        for t in tasks:  # retrieve every outcome: no "Task exception was never retrieved"
            if not t.cancelled():
                t.exception()
    if budget is not None:
        raise budget


def stream(
    resource: Callable[[], AbstractAsyncContextManager[S]],
    fn: Callable[[S, T], Awaitable[R]],
    items: Sequence[T],
) -> Iterator[R]:
    """Yield ``fn(res, item)`` for every item as each completes.

    ``resource()`` is entered on the worker loop (an ``LLMClient``, say) and passed to
    every call; it is closed when all items are done or the generator is closed.
    """

    async def run() -> AsyncIterator[R]:
        async with resource() as res:
            async for out in amap(lambda item: fn(res, item), items):
                yield out

    return iterate(run)


def iterate(make: Callable[[], AsyncIterator[R]]) -> Iterator[R]:
    """Drive the async iterator ``make()`` on a worker thread; yield what it yields."""
    out: queue.Queue[Any] = queue.Queue()
    loop = asyncio.new_event_loop()
    main: list[asyncio.Task[None]] = []

    async def pump() -> None:
        try:
            async for item in make():
                out.put(item)
        except BaseException as exc:  # handed to the consumer thread
            out.put(_Raise(exc))
        finally:
            out.put(_DONE)

    def worker() -> None:
        asyncio.set_event_loop(loop)
        try:
            task = loop.create_task(pump())
            main.append(task)
            loop.run_until_complete(task)
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            loop.close()

    thread = threading.Thread(target=worker, name="leasebench-llm", daemon=True)
    thread.start()
    finished = False
    try:
        while True:
            item = out.get()
            if item is _DONE:
                finished = True
                return
            if isinstance(item, _Raise):
                if isinstance(item.exc, asyncio.CancelledError):
                    continue
                raise item.exc
            yield item
    finally:
        if not finished:

            def cancel() -> None:
                for task in main:
                    task.cancel()

            with contextlib.suppress(RuntimeError):  # the loop is already closed
                loop.call_soon_threadsafe(cancel)
        thread.join()


class _Raise:
    __slots__ = ("exc",)

    def __init__(self, exc: BaseException):
        self.exc = exc


__all__ = ["amap", "iterate", "stream"]
