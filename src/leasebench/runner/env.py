"""What every stage function shares: the manifest, registry, store, log and forced stages."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from ..components import Component, Context, Executor, ProgressCallback
from ..errors import PluginError
from ..executors import LocalExecutor, MapWork
from ..manifest.load import LoadedManifest
from ..manifest.models import ComponentSpec
from ..plugin_manager import Registry
from ..records import ModelRef, Record, Usage
from ..schema import FieldSchema
from .accounting import ItemAccount, account_of, total
from .progress import StageLog
from .stage_names import forces
from .store import Stage, StageStore
from .streams import RecordFile

F = TypeVar("F", bound=Component[Any])


@dataclass
class RunEnv:
    loaded: LoadedManifest
    registry: Registry
    store: StageStore
    schema: FieldSchema
    log: StageLog
    cache_dir: Path
    force: frozenset[str] = frozenset()
    budget: Any = None
    executor: Executor = field(default_factory=LocalExecutor)
    timings: list[dict[str, Any]] = field(default_factory=list)
    usage: dict[str, dict[str, Usage]] = field(default_factory=dict)
    started_at: float = field(default_factory=time.time)
    leaks: list[Any] = field(default_factory=list)
    #: trial models trained ahead of their round in this run, by stage path (with timings)
    trained_ahead: dict[str, tuple[Any, dict[str, float]]] = field(default_factory=dict)
    _forced_done: set[str] = field(default_factory=set)
    #: one-time notices already printed in this run (e.g. trials run one at a time)
    said: set[str] = field(default_factory=set)

    @property
    def seed(self) -> int:
        return self.loaded.manifest.seed

    def component(
        self, family: type[F], spec: ComponentSpec | str, params: dict[str, Any] | None = None
    ) -> F:
        """An instance of a registered ``family`` component, params validated by its model."""
        name = spec if isinstance(spec, str) else spec.name
        cls = self.registry.get(family.family, name)
        raw = params if params is not None else (
            {} if isinstance(spec, str) else spec.params
        )
        instance = cls(cls.Params.model_validate(raw))
        if not isinstance(instance, family):
            raise PluginError(f"{family.family} {name!r} ({cls.__qualname__}) does not subclass "
                              f"leasebench.components.{family.__name__}")
        return instance

    def identity(self, component: Component, *, training: bool = False) -> dict[str, Any]:
        """The cache-key part naming a component: name, version and params.

        With ``training``, params marked ``json_schema_extra={"finalize_only": True}`` are
        left out: they only matter to ``Trainer.finalize`` (e.g. how to deploy), so changing
        them re-runs the finalize stage, not the training.
        """
        params = component.params.model_dump(mode="json")
        if training:
            for name, field in type(component.params).model_fields.items():
                extra = field.json_schema_extra
                if isinstance(extra, dict) and extra.get("finalize_only"):
                    params.pop(name, None)
        return {"name": component.name, "version": str(component.version), "params": params}

    def stage(self, name: str, key_parts: dict[str, Any]) -> Stage:
        """The stage directory for this key; emptied first if ``--force`` names it."""
        stage = self.store.stage(name, key_parts)
        if any(forces(t, name) for t in self.force) and name not in self._forced_done:
            self.store.discard(stage)
            self._forced_done.add(name)
        return stage

    def context(
        self, stage: Stage, train: Sequence[Record] = (), holdout: Sequence[Record] = (),
        on_progress: ProgressCallback | None = None, seed: int | None = None,
    ) -> Context:
        return Context(
            schema=self.schema, seed=self.seed if seed is None else seed, workdir=stage.workdir,
            train=_frozen(train), holdout=_frozen(holdout), cache_dir=self.cache_dir,
            budget=self.budget, stage=stage.name, quiet=self.log.quiet, on_progress=on_progress,
            note=lambda line: self.log.info(f"    {line}"),
        )

    def record(self, stage: Stage, cached: bool, note: str = "") -> None:
        meta = stage.meta()
        seconds = 0.0 if cached else float(meta.get("seconds", 0.0))
        ended = time.time()
        self.timings.append(
            {"stage": stage.name, "key": stage.key, "cached": cached, "seconds": seconds,
             "started_at": round(ended - seconds, 3), "ended_at": round(ended, 3)}
        )
        self.log.stage_done(stage.name, cached, seconds, note)

    def book(self, stage: Stage, accounts: dict[str, ItemAccount]) -> None:
        """Record what a stage's results cost (whenever that was paid)."""
        entry = self.usage.setdefault(stage.name, {})
        entry["recorded"] = total(accounts)
        entry.setdefault("paid_now", Usage())

    def _paid(self, stage: Stage, result: BaseModel) -> None:
        account = account_of(result)
        if account is not None:
            entry = self.usage.setdefault(stage.name, {})
            entry["paid_now"] = entry.get("paid_now", Usage()) + account.usage.paid_now()

    def run_map(
        self, stage: Stage, work: MapWork, items: Callable[[], Iterable[Any]], output: str
    ) -> int:
        """Write every item's result, in item order, to ``output``; return how many.

        Checkpointed results are kept, except those recording a call that finally failed
        (nothing was paid for: they are retried). The executor gets only the missing items,
        streamed from ``items()`` (called twice: for the ids, then for the work).
        """
        ids = [work.item_id(it) for it in items()]
        expected = set(ids)
        done = stage.done_offsets(
            work.result_type, work.result_id, lambda r: not work.failed(r)
        )
        done = {k: v for k, v in done.items() if k in expected}
        todo = _Todo(items, work.item_id, set(done), len(expected) - len(done))
        if done and len(todo):
            self.log.info(f"  ↻ {stage.name}: resuming, {len(done)} of {len(ids)} done")
        if len(todo):
            with stage.checkpoint() as cp, self.log.bar(stage.name, len(ids), len(done)) as adv:
                if adv.progress is not None:
                    work = dataclasses.replace(work, on_items=adv.seen)
                for result in self.executor.map(work, todo):
                    rid = work.result_id(result)
                    if rid not in expected:
                        raise PluginError(f"{work.label} returned a result for unknown id {rid!r}")
                    if rid in done:
                        continue
                    done[rid] = cp.write(result)
                    self._paid(stage, result)
                    adv()
        missing = [i for i in ids if i not in done]
        if missing:
            raise PluginError(
                f"{work.label} returned no result for {len(missing)} item(s), e.g. {missing[0]!r}"
            )
        stage.write_ordered(output, [done[i] for i in ids])
        return len(ids)

    def map_work(self, stage: Stage, component: Component, ctx: Context,
                 model: ModelRef | None = None) -> MapWork:
        return MapWork(stage.name, component, ctx, model)


def _frozen(records: Sequence[Record]) -> Sequence[Record]:
    """A tuple, except a file-backed sequence, which stays lazy."""
    return records if isinstance(records, RecordFile) else tuple(records)


class _Todo:
    """The items still to do, streamed from ``items()``; sized, so executors can plan."""

    def __init__(self, items: Callable[[], Iterable[Any]], item_id: Callable[[Any], str],
                 done: set[str], count: int):
        self._items, self._id, self._done, self._count = items, item_id, done, count

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Any]:
        seen: set[str] = set()
        for item in self._items():
            key = self._id(item)
            if key not in self._done and key not in seen:
                seen.add(key)
                yield item


__all__ = ["RunEnv"]
