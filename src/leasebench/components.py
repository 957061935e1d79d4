"""The component contract: one base class per plugin family.

A component is a class with a ``name``, a ``version`` (bump it when outputs change, it
is part of every stage's cache key), a pydantic params model that forbids unknown keys,
and the one method of its family. The params model is the family's type argument
(``class MyTrainer(Trainer[MyParams])``): it becomes the class's ``Params`` and the type
of ``self.params``. The runner builds it as ``cls(Params.model_validate(params))``.

Map families (generators, judges, extractors) take a sequence of items and *yield*
one result per item, in any order, each carrying its id. The runner checkpoints every
yielded result, so a killed run resumes with only the missing items. An executor decides
where that per-item work runs (this process, worker processes, a cluster).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast, get_args, get_origin

from pydantic import BaseModel, ConfigDict

from .errors import DataError
from .records import ModelRef, Prediction, Record, Verdict
from .schema import FieldSchema

if TYPE_CHECKING:
    from .outcomes import Outcomes


class NoParams(BaseModel):
    """Params model for components that take none."""

    model_config = ConfigDict(extra="forbid")


P = TypeVar("P", bound=BaseModel)
C = TypeVar("C", bound="Component[Any]")


class Component(Generic[P]):
    """Base of every component family, generic in its params model ``P``.

    Subclass a family with its params model as the type argument; ``Params`` is set from
    it (a class that also assigns ``Params`` must assign the same model), and
    ``self.params`` is typed ``P``. A component without params uses ``NoParams``.
    """

    family: ClassVar[str] = ""
    name: ClassVar[str] = ""
    version: ClassVar[str] = "1"
    Params: ClassVar[type[BaseModel]] = NoParams
    #: The component waits on a remote service (an LLM endpoint) and keeps its own
    #: concurrency; executors do not spread it over processes for cores' sake.
    io_bound: ClassVar[bool] = False
    #: The component drives a distributed engine itself (e.g. SQL on a cluster) and must
    #: run in the run's own process, whatever the executor.
    driver_only: ClassVar[bool] = False
    params: P

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        argument = _params_argument(cls)
        if argument is None:
            return
        declared = cls.__dict__.get("Params")
        if declared is None:
            cls.Params = argument
        elif declared is not argument:
            raise TypeError(
                f"{cls.__qualname__}: Params is {declared.__name__} but the type argument "
                f"is {argument.__name__}; give the params model once, as the type argument"
            )

    def __init__(self, params: P | None = None):
        # without params the class's own model supplies every default; it is P by
        # construction (__init_subclass__), which the type system cannot see
        self.params = params if params is not None else cast(P, self.Params())

    @classmethod
    def from_dict(cls: type[C], params: dict[str, Any] | None = None) -> C:
        return cls(cls.Params.model_validate(params or {}))

    def concurrency_limit(self, model: ModelRef | None = None) -> int | None:
        """Most calls this component should have in flight at once (its endpoint's), if any.

        Executors that run several copies of the work keep their sum within this limit.
        """
        return None


ProgressCallback = Callable[[float, "float | None", str], None]


def _params_argument(cls: type) -> type[BaseModel] | None:
    """The params model given as ``cls``'s type argument (``Trainer[MyParams]``), if any."""
    for base in cls.__dict__.get("__orig_bases__", ()):
        origin = get_origin(base)
        if isinstance(origin, type) and issubclass(origin, Component):
            args = get_args(base)
            if args and isinstance(args[0], type) and issubclass(args[0], BaseModel):
                return args[0]
    return None


@dataclass(frozen=True)
class Context:
    """What every component call gets: the schema, the seed and a private work dir.

    ``workdir`` is durable across a crash (it lives under the stage's directory), so a
    component may keep its own checkpoints there. ``rng()`` is the only source of
    randomness a component should use. ``cache_dir`` is the experiment's persistent
    response-cache directory (shared by all runs of one experiment name); ``budget`` is the
    run's shared cost budget (``leasebench.llm.Budget`` or None); ``stage`` names the
    calling stage (for usage accounting); ``quiet`` turns progress bars off; ``say()``
    prints a line under the stage in the run's output. ``workers`` is how many copies of
    this stage's work an executor runs at once: a component with its own concurrency limit
    (an endpoint's) takes a ``1/workers`` share of it.

    A long call reports how far it is with ``ctx.progress(done, total, unit)``; the runner
    draws it as the stage's progress bar on a terminal (``on_progress`` receives it).
    ``batch`` (judges only) is every sample of the batch the stage judges, in batch order,
    including those already judged before a resume, so a judge can compare a sample with
    the rest. ``threads`` is how many CPU threads a compute-bound call should use (set by
    the executor: one share of the cores per worker running at once; 0 means every
    usable core, as for work in the run's own process).
    """

    schema: FieldSchema
    seed: int
    workdir: Path
    train: Sequence[Record] = ()
    holdout: Sequence[Record] = ()
    cache_dir: Path | None = None
    budget: Any = None
    stage: str = ""
    quiet: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    note: Callable[[str], None] | None = None
    on_progress: ProgressCallback | None = None
    workers: int = 1
    batch: Sequence[Record] = ()
    threads: int = 0

    def say(self, line: str) -> None:
        """A line for the run's output (what an endpoint turned out to support, say)."""
        if self.note is not None:
            self.note(line)

    def rng(self, *salt: object) -> random.Random:
        return random.Random(f"{self.seed}|" + "|".join(map(str, salt)))

    def progress(self, done: float, total: float | None = None, unit: str = "") -> None:
        """Report progress: ``done`` of ``total`` ``unit`` (e.g. ``12, 50, "iterations"``).

        Call it as often as you like (it is cheap, thread-safe, and a no-op when nothing
        listens); ``total=None`` means unknown. Trainers report epochs, steps or
        iterations; datasets the records loaded so far.
        """
        if self.on_progress is not None:
            self.on_progress(done, total, unit)


@dataclass(frozen=True)
class GenerateTask:
    """One synthetic sample to make: its id, its batch, the real record it derives from."""

    sample_id: str
    batch: int
    index: int
    source: Record
    seed: int


@dataclass(frozen=True)
class LoadedData:
    """What a dataset hands back: train records and, if it has one, its own hold-out.

    ``holdout=None`` lets the runner split ``train`` by the manifest's ``holdout_fraction``.
    """

    train: Sequence[Record]
    holdout: Sequence[Record] | None = None


class Dataset(Component[P]):
    """Loads labelled records from somewhere (a warehouse table, an API, a generator)."""

    family: ClassVar[str] = "dataset"

    def load(self, ctx: Context) -> LoadedData:
        """Return the records; labels may omit schema fields (they count as absent)."""
        raise NotImplementedError

    def fingerprint(self, ctx: Context) -> str | None:
        """A cheap identifier of the data's current version (e.g. a table version).

        When it is unchanged the cached ``load`` stage is reused without loading. ``None``
        (the default) means: load every run and key the stage by the records' content.
        """
        return None


class Generator(Component[P]):
    """Makes synthetic labelled records from real train records."""

    family: ClassVar[str] = "generator"

    def generate(self, tasks: Sequence[GenerateTask], ctx: Context) -> Iterator[Record]:
        """Yield one record per task, ``id == task.sample_id``, ``origin.kind == "synthetic"``."""
        raise NotImplementedError


class Judge(Component[P]):
    """Accepts or rejects synthetic records; a sample is kept only if every judge passes it."""

    family: ClassVar[str] = "judge"

    def judge(self, records: Sequence[Record], ctx: Context) -> Iterator[Verdict]:
        """Yield one verdict per record, ``verdict.record_id == record.id``."""
        raise NotImplementedError


class Trainer(Component[P]):
    """Trains a model on a round's records (one sweep trial per call)."""

    family: ClassVar[str] = "trainer"

    def train(self, train: Sequence[Record], eval: Sequence[Record], ctx: Context) -> ModelRef:
        """Train on ``train``; report eval metrics on ``eval`` in ``ModelRef.metrics``.

        Save the model under ``ctx.workdir``; the returned ``ModelRef.extractor`` names the
        extractor that loads it.
        """
        raise NotImplementedError

    def memory_bytes(self, train: Sequence[Record]) -> int | None:
        """Peak memory one trial on ``train`` is expected to need, in bytes (None: small or
        unknown). The runner trains trials in parallel only when their estimates fit."""
        return None

    def finalize(self, model: ModelRef, ctx: Context) -> ModelRef:
        """Called once per round on the *selected* trial's model (e.g. to deploy it).

        Optional; the default returns the model unchanged. Its result is cached as the
        stage ``finalize-b<n>``, so work done here (an endpoint) happens once per round.
        """
        return model


class Extractor(Component[P]):
    """Extracts field values from documents with a model (trained or prompted)."""

    family: ClassVar[str] = "extractor"

    def extract(
        self, model: ModelRef, records: Sequence[Record], ctx: Context
    ) -> Iterator[Prediction]:
        """Yield one prediction per record (records arrive without labels)."""
        raise NotImplementedError

    def uses_train(self) -> bool:
        """Whether ``extract`` reads ``ctx.train`` (e.g. few-shot examples from the real
        train records); the runner then keys the extraction by those records too."""
        return False

    def serve(
        self, model: ModelRef, server: str, ctx: Context
    ) -> AbstractContextManager[ModelRef]:
        """Serve ``model`` with the server called ``server`` on 127.0.0.1 for the length of
        the ``with`` block, yielding the ``ModelRef`` of an extractor that reads from it
        (a round's ``serve``). Optional; the default cannot serve."""
        raise DataError(f"extractor {self.name!r} cannot serve a model (`serve: {server}`); "
                        "leave `serve` out to extract in-process")


class Scorer(Component[P]):
    """Decides, per (document, field), the TP/FP/FN/TN counts; statistics are the core's."""

    family: ClassVar[str] = "scorer"

    def score(
        self, gold: Sequence[Record], predictions: Sequence[Prediction], schema: FieldSchema
    ) -> Outcomes:
        """Return the outcome counts for every gold document and schema field."""
        raise NotImplementedError


class Reporter(Component[P]):
    """Writes a run's results in one format."""

    family: ClassVar[str] = "reporter"

    def report(self, result: Any, out_dir: Path) -> list[Path]:
        """Write files under ``out_dir`` from a ``RunResult``; return their paths."""
        raise NotImplementedError


class Executor(Component[P]):
    """Runs a map stage's per-item work somewhere: this process, worker processes, a cluster.

    The runner hands ``map`` a ``leasebench.executors.MapWork`` and an iterator over the
    items still to do; checkpointing, resume and output order stay with the runner.
    """

    family: ClassVar[str] = "executor"

    def map(self, work: Any, items: Iterable[Any]) -> Iterator[BaseModel]:
        """Yield ``work.run``'s result for every item (or ``work.failure(item, error)``)."""
        raise NotImplementedError

    def threads(self, parallel: int = 1) -> int:
        """CPU threads each of ``parallel`` calls run at once should use (0: every usable
        core). The default runs calls one at a time in this process."""
        return 0

    def call_each(self, calls: Sequence[Any]) -> Iterator[tuple[int, Any]]:
        """Run independent, picklable calls (the sweep's trials); yield ``(index, result)``
        as each finishes. The default runs them one after another in this process."""
        for index, call in enumerate(calls):
            yield index, call()

    def close(self) -> None:
        """Release workers and sessions; called once when the run ends."""


FAMILIES: dict[str, type[Component[Any]]] = {
    "dataset": Dataset,
    "generator": Generator,
    "judge": Judge,
    "trainer": Trainer,
    "extractor": Extractor,
    "scorer": Scorer,
    "reporter": Reporter,
    "executor": Executor,
}

__all__ = [
    "FAMILIES",
    "Component",
    "Context",
    "Dataset",
    "Executor",
    "Extractor",
    "GenerateTask",
    "Generator",
    "Judge",
    "LoadedData",
    "NoParams",
    "ProgressCallback",
    "Reporter",
    "Scorer",
    "Trainer",
]
