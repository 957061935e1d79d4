"""``check_executor``: an executor gives what ``local`` gives, for every item, once."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from functools import partial
from typing import Any, ClassVar

from ...components import Context, Extractor, GenerateTask
from ...errors import DataError
from ...records import ModelRef, Prediction, Record
from .harness import SEED, ConformanceReport, Params, _expect, _Harness, stable


class FailingExtractor(Extractor):
    """Extracts nothing, and raises on the document with id ``boom`` (for executor checks)."""

    name: ClassVar[str] = "conformance/failing"

    def extract(self, model: ModelRef, records: Sequence[Record], ctx: Context
                ) -> Iterator[Prediction]:
        for record in records:
            if record.id == "boom":
                raise DataError("document 'boom' cannot be read")
            yield Prediction(id=record.id, fields={})


class _Once:
    """An iterator over items that can be walked once (executors must not need more)."""

    def __init__(self, items: Sequence[Any]):
        self._items, self._used = list(items), False

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Any]:
        if self._used:
            raise AssertionError("the executor iterated its items twice")
        self._used = True
        return iter(self._items)


def _works(h: _Harness) -> list[tuple[str, Any, list[Any]]]:
    """(what, work, items): a CPU extraction, a generation and a judging stage's work."""
    from ...executors import MapWork
    from ...judging.basic import SchemaJudge
    from ...pattern.components import PatternExtractor, PatternTrainer
    from ...synth.perturb import PerturbGenerator

    model = PatternTrainer.from_dict({}).train(h.train, (), h.ctx())
    docs = [r.unlabelled() for r in (*h.holdout, *h.train)]
    rng = random.Random(h.seed)
    tasks = [GenerateTask(sample_id=f"b1-{i:03d}", batch=1, index=i, source=src,
                          seed=rng.randrange(2**31)) for i, src in enumerate(h.train)]
    generated = list(PerturbGenerator.from_dict({}).generate(tasks, h.ctx()))
    return [
        ("extraction", MapWork("extract-x", PatternExtractor.from_dict({}), h.ctx(), model),
         docs),
        ("generation", MapWork("generate-b1", PerturbGenerator.from_dict({}), h.ctx(
            train=h.train)), tasks),
        ("judging", MapWork("judge-b1-0schema", SchemaJudge.from_dict({}), h.ctx()),
         generated),
    ]


def check_executor(cls: type, params: Params = None, *, seed: int = SEED
                   ) -> ConformanceReport:
    """Every item gets exactly ``local``'s result; a component error propagates or is
    recorded per item; items are walked once."""
    from ...executors import LocalExecutor, MapWork

    with _Harness("executor", cls, params, seed) as h:
        h.check_class()
        executor = h.make()

        def map_once(work: Any, items: Sequence[Any]) -> list[Any]:
            return list(executor.map(work, _Once(items)))

        try:
            for what, work, items in _works(h):
                want = sorted(LocalExecutor().map(work, items), key=work.result_id)
                got = h.call(partial(map_once, work, items), f"map() on a {what} stage")
                h.outputs_serialise(got, work.result_type)
                h.ids_once([work.result_id(r) for r in got], [work.item_id(i) for i in items],
                           f"{what} result")
                got = sorted(got, key=work.result_id)
                _expect(stable(got, h.tmp) == stable(want, h.tmp), cls,
                        f"{what}: results differ from the local executor's")
                h.passed(f"same as local: {what}")
                h.call(partial(map_once, work, []), f"map() on no {what}")
            docs = [Record(id=f"d{i}", text=f"Lease {i}.") for i in range(5)]
            docs.insert(2, Record(id="boom", text="unreadable"))
            work = MapWork("extract-x", FailingExtractor(), h.ctx(), ModelRef(extractor="x"))
            out = h.bad_input(lambda: list(executor.map(work, _Once(docs))),
                              "a component that raises on one item")
            if out is not None:
                h.ids_once([p.id for p in out], [d.id for d in docs], "result (or failure)")
                boom = [p for p in out if p.id == "boom"]
                _expect(work.failed(boom[0]) and "cannot be read" in (boom[0].error or ""), cls,
                        "an item whose work failed must get work.failure(item, error) naming "
                        "the error, or the error must propagate")
        finally:
            executor.close()
        return h.report


__all__ = ["FailingExtractor", "check_executor"]
