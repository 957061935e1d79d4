"""What runs on the Spark executors: one partition of items through ``MapWork.run``.

Input rows are ``idx long, part int, payload binary`` (the pickled item); output rows are
``idx long, result string, budget string``: the result's JSON, or (``budget``) the reason
the item was not attempted because the partition's share of the cost budget ran out. A
partition whose work raises is retried by Spark; on its last attempt the error is
recorded per item (``MapWork.failure``) instead.
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
from collections.abc import Callable, Iterator
from typing import Any

from ..errors import BudgetExceeded
from .relay import Reporter
from .work import MapWork, describe_error

OUTPUT_SCHEMA = "idx long, result string, budget string"
ROWS_PER_BATCH = 64
_WORKS: dict[str, MapWork] = {}


def work_key(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


def load_work(key: str, payload: bytes) -> MapWork:
    """The unpickled work, once per Python worker and stage (workers are reused)."""
    work = _WORKS.get(key)
    if work is None:
        if len(_WORKS) > 8:
            _WORKS.clear()
        work = _WORKS[key] = pickle.loads(payload)
    return work


def attempt_number() -> int:
    from pyspark import TaskContext

    ctx = TaskContext.get()
    return ctx.attemptNumber() if ctx is not None else 0


def partition_function(
    payload: bytes, max_failures: int, budget_share: float | None,
    reporter: Reporter | None = None,
) -> Callable[[Iterator[Any]], Iterator[Any]]:
    """The ``mapInPandas`` function for one stage's work; with a ``reporter``, each item
    finished is counted to the driver's progress bar as it happens."""
    key = work_key(payload)

    def run_partition(batches: Iterator[Any]) -> Iterator[Any]:
        import pandas as pd

        work = load_work(key, payload)
        if budget_share is not None:
            from ..llm.usage import Budget

            work = dataclasses.replace(
                work, ctx=dataclasses.replace(work.ctx, budget=Budget(budget_share)))
        idx_of: dict[str, int] = {}
        items = []
        for frame in batches:
            for idx, blob in zip(frame["idx"], frame["payload"], strict=True):
                item = pickle.loads(blob)
                idx_of[work.item_id(item)] = int(idx)
                items.append(item)
        rows: list[tuple[int, str | None, str | None]] = []
        done: set[str] = set()

        def flush(force: bool = False) -> Iterator[Any]:
            if rows and (force or len(rows) >= ROWS_PER_BATCH):
                yield pd.DataFrame(rows, columns=["idx", "result", "budget"])
                rows.clear()

        try:
            for result in work.run(items):
                rid = work.result_id(result)
                done.add(rid)
                rows.append((idx_of.get(rid, -1), result.model_dump_json(), None))
                if reporter is not None:
                    reporter.advance()
                yield from flush()
        except BudgetExceeded as exc:
            rows.extend((idx_of[work.item_id(it)], None, str(exc))
                        for it in items if work.item_id(it) not in done)
        except Exception as exc:
            if attempt_number() + 1 < max_failures:
                raise
            error = describe_error(exc)
            rows.extend(
                (idx_of[work.item_id(it)], work.failure(it, error).model_dump_json(), None)
                for it in items if work.item_id(it) not in done
            )
        if reporter is not None:
            reporter.flush()
            reporter.close()
        yield from flush(force=True)

    return run_partition


__all__ = ["OUTPUT_SCHEMA", "load_work", "partition_function", "work_key"]
