"""``MapWork``: one map stage's per-item work, as executors ship it."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel

from ..components import Component, Context, GenerateTask
from ..errors import PluginError
from ..pause import pause_point
from ..records import ModelRef, Origin, Prediction, Record, Verdict

T = TypeVar("T")
RESULT_TYPES: dict[str, type[BaseModel]] = {
    "generator": Record, "judge": Verdict, "extractor": Prediction,
}


@dataclass(frozen=True)
class MapWork:
    """A generator, judge or extractor with its context (and model): picklable, complete.

    ``run(batch)`` is what every executor calls, in whichever process it likes.
    """

    stage: str
    component: Component
    ctx: Context
    model: ModelRef | None = None
    #: the driver's count of items finished in workers (executors that relay it call it
    #: with the running total; never shipped)
    on_items: Callable[[int], None] | None = None

    def __post_init__(self) -> None:
        if self.component.family not in RESULT_TYPES:
            raise PluginError(f"{self.component.family} {self.component.name!r} is not a map "
                              "component (generator, judge or extractor)")

    @property
    def family(self) -> str:
        return self.component.family

    @property
    def result_type(self) -> type[BaseModel]:
        return RESULT_TYPES[self.family]

    @property
    def label(self) -> str:
        return f"{self.family} {self.component.name!r}"

    @property
    def io_bound(self) -> bool:
        return bool(getattr(type(self.component), "io_bound", False))

    @property
    def driver_only(self) -> bool:
        return bool(getattr(type(self.component), "driver_only", False))

    def run(self, items: Iterable[Any]) -> Iterator[BaseModel]:
        """The component's method on a batch of items; yields their results."""
        batch = items if isinstance(items, Sequence) else list(items)
        pause_point("map-batch")  # tests stop a run here, in whichever process runs it
        c: Any = self.component
        if self.family == "generator":
            return iter(c.generate(batch, self.ctx))
        if self.family == "judge":
            return iter(c.judge(batch, self.ctx))
        return iter(c.extract(self.model, batch, self.ctx))

    def item_id(self, item: Any) -> str:
        return str(item.sample_id if isinstance(item, GenerateTask) else item.id)

    def result_id(self, result: Any) -> str:
        return str(result.record_id if isinstance(result, Verdict) else result.id)

    def failed(self, result: Any) -> bool:
        """Whether ``result`` records a call that finally failed (nothing paid: retry it)."""
        if isinstance(result, Record):
            return bool(result.meta.get("error"))
        return result.error is not None

    def failure(self, item: Any, error: str) -> BaseModel:
        """The result recording that ``item``'s work failed for good (retried on resume)."""
        name = self.component.name
        if self.family == "extractor":
            return Prediction(id=item.id, error=error)
        if self.family == "judge":
            return Verdict(record_id=item.id, judge=name, passed=False,
                           reason=f"call failed: {error}", error=error)
        return Record(id=item.sample_id, text="", meta={"error": error}, origin=Origin(
            kind="synthetic", generator=name, batch=item.batch, source_id=item.source.id))

    def portable(self) -> MapWork:
        """The work as it crosses a process: without the run's budget and output (driver state)."""
        ctx = dataclasses.replace(self.ctx, budget=None, note=None, on_progress=None)
        return dataclasses.replace(self, ctx=ctx, on_items=None)

    def for_workers(self, n: int) -> MapWork:
        """The work as one of ``n`` copies running at once (endpoint concurrency shared)."""
        return dataclasses.replace(self, ctx=dataclasses.replace(self.ctx, workers=max(1, n)))


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of up to ``size`` items, pulled from ``items`` as each list is needed."""
    it = iter(items)
    while chunk := list(itertools.islice(it, max(1, size))):
        yield chunk


def describe_error(exc: BaseException) -> str:
    """``Type: message``, the way failures are recorded per item."""
    return f"{type(exc).__name__}: {exc}"


__all__ = ["RESULT_TYPES", "MapWork", "chunked", "describe_error"]
