"""Executor ``local``: the work runs in the run's own process (the default)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from ..components import Executor
from .work import MapWork, chunked

CPU_BATCH = 512
IO_BATCH = 8192


def run_here(work: MapWork, items: Iterable[object], batch_size: int = 0) -> Iterator[BaseModel]:
    """``work.run`` on consecutive batches of ``items`` in this process, streaming."""
    size = batch_size or (IO_BATCH if work.io_bound else CPU_BATCH)
    for batch in chunked(items, size):
        yield from work.run(batch)


class LocalExecutorParams(BaseModel):
    """Params of the ``local`` executor."""

    model_config = ConfigDict(extra="forbid")
    batch_size: int = Field(
        0, ge=0, description="Items per call of the component (0: 512, or 8192 for LLM "
        "components, whose calls in a batch run concurrently)."
    )


class LocalExecutor(Executor[LocalExecutorParams]):
    """Runs every item in the run's process; LLM components keep their async concurrency."""

    name: ClassVar[str] = "local"
    version: ClassVar[str] = "1"

    def map(self, work: MapWork, items: Iterable[object]) -> Iterator[BaseModel]:
        return run_here(work, items, self.params.batch_size)


__all__ = ["LocalExecutor", "run_here"]
