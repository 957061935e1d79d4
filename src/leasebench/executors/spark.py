"""Executor ``spark``: items as a Spark DataFrame partitioned by size, ``mapInPandas``.

Items are pickled and pulled from the runner in waves; each wave becomes one DataFrame
(``idx, part, payload``) range-partitioned on ``part`` so each partition holds one
size-balanced part; the work runs on the executors (``spark_worker``) and the wave's
results come back to the driver, which checkpoints them before the next wave is pickled.
pyspark and pandas are imported only when a stage runs (the `spark` extra).
"""

from __future__ import annotations

import dataclasses
import pickle
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..components import Executor
from ..errors import BudgetExceeded, PluginError
from ..trust import spark_conf_problem
from .local import run_here
from .reaper import interrupt_in
from .relay import ItemCounter, ProgressRelay, Reporter
from .spark_session import (
    is_local,
    max_failures,
    open_session,
    quiet_pandas_warning,
    slots,
    stop_quietly,
)
from .spark_worker import OUTPUT_SCHEMA, partition_function
from .work import MapWork

MB = 1 << 20


def balanced_parts(sizes: list[int], n_parts: int) -> list[int]:
    """A part number per item: ``n_parts`` contiguous runs of about equal total size."""
    n_parts = max(1, min(n_parts, len(sizes)))
    total = sum(sizes) or 1
    out, part, acc = [], 0, 0
    for i, size in enumerate(sizes):
        full = acc >= total * (part + 1) / n_parts
        starved = len(sizes) - i <= n_parts - part - 1  # each later part needs an item
        if part < n_parts - 1 and (full or starved):
            part += 1
        out.append(part)
        acc += size
    return out


class SparkExecutorParams(BaseModel):
    """Params of the ``spark`` executor."""

    model_config = ConfigDict(extra="forbid")
    master: str | None = Field(
        None, description="Master of a new classic session (`local[2]`, `local[4,2]`, "
        "`spark://host:7077`); default: the active session, else `local[*]`."
    )
    remote: str | None = Field(
        None, description="A Spark Connect URL (`sc://host:15002`); `SPARK_REMOTE` in "
        "the environment works too."
    )
    databricks_connect: bool = Field(
        False, description="Take the session from Databricks Connect (environment auth)."
    )
    conf: dict[str, str] = Field(
        default_factory=dict, description="Conf of a new session: sizing and tuning keys; "
        "others only where LEASEBENCH_TRUST_SPARK_CONF allows them (docs/executors.md).")
    partition_mb: float = Field(8.0, gt=0, description="Pickled items per partition, MiB.")
    partition_items: int = Field(256, ge=1, description="Most items per partition.")
    wave_partitions: int = Field(
        0, ge=0, description="Most partitions per Spark job (0: four per core)."
    )
    cache_dir: str | None = Field(
        None, description="Response-cache directory the executors can reach; default "
        "the run's own when the master is local, else none."
    )

    @field_validator("conf")
    @classmethod
    def _trusted(cls, conf: dict[str, str]) -> dict[str, str]:
        problem = spark_conf_problem(conf)
        if problem:
            raise ValueError(problem)
        return conf


class SparkExecutor(Executor[SparkExecutorParams]):
    """Runs items on Spark executors via mapInPandas; results checkpointed on the driver."""

    name: ClassVar[str] = "spark"
    version: ClassVar[str] = "1"

    def __init__(self, params: SparkExecutorParams | None = None):
        super().__init__(params)
        self._spark: Any = None

    @property
    def spark(self) -> Any:
        if self._spark is None:
            p = self.params
            self._spark = open_session(p.master, p.remote, p.databricks_connect, p.conf)
        return self._spark

    def map(self, work: MapWork, items: Iterable[Any]) -> Iterator[BaseModel]:
        if work.driver_only:
            yield from run_here(work, items)
            return
        spark = self.spark
        cores = slots(spark)
        wave = self.params.wave_partitions or 4 * cores
        limit = work.component.concurrency_limit(work.model) if work.io_bound else None
        if limit:
            wave = min(wave, limit)
        running = min(wave, cores)
        shipped = self._shipped(work, running, is_local(spark))
        budget = self._budget_share(work, wave)
        payload = pickle.dumps(shipped)
        it = iter(items)
        # items finished in local Spark tasks reach the bar as they finish (a remote
        # cluster's executors cannot reach the driver's loopback relay: bars move per wave)
        relay = ProgressRelay(ItemCounter(work.on_items)) \
            if work.on_items is not None and is_local(spark) else None
        reporter = relay.reporter(work.stage) if relay is not None else None
        try:
            yield from self._waves(spark, work, it, wave, cores, payload, budget, reporter)
        except BaseException as exc:  # Ctrl-C, SIGTERM: jobs stop, the JVM says nothing more
            interrupt = interrupt_in(exc)
            if interrupt is None:
                raise
            stop_quietly(spark)
            raise interrupt from None  # not py4j's error on the interrupted call
        finally:
            if relay is not None:
                relay.close()

    def _waves(self, spark: Any, work: MapWork, it: Iterator[Any], wave: int, cores: int,
               payload: bytes, budget: float | None, reporter: Reporter | None
               ) -> Iterator[BaseModel]:
        refused: str | None = None
        while True:
            rows = self._next_wave(it, wave)
            if not rows:
                break
            fn = partition_function(payload, max_failures(spark), budget, reporter)
            for result, reason in self._run_wave(spark, rows, wave, cores, fn, work):
                if reason is not None:
                    refused = refused or reason
                elif result is not None:
                    yield result
            if refused is not None:
                break
        if refused is not None:
            raise BudgetExceeded(refused)

    def _shipped(self, work: MapWork, running: int, local: bool) -> MapWork:
        """The work as the executors get it: no budget, a concurrency share, a cache dir."""
        out = work.portable().for_workers(running)
        cache = self.params.cache_dir
        from pathlib import Path

        cache_dir = Path(cache) if cache else (work.ctx.cache_dir if local else None)
        # a Spark task holds one core (spark.task.cpus), so its work uses one thread
        return dataclasses.replace(
            out, ctx=dataclasses.replace(out.ctx, cache_dir=cache_dir, threads=1))

    @staticmethod
    def _budget_share(work: MapWork, partitions: int) -> float | None:
        budget = work.ctx.budget
        max_cost = getattr(budget, "max_cost", None)
        if max_cost is None:
            return None
        return max(0.0, max_cost - budget.spent) / max(1, partitions)

    def _next_wave(self, it: Iterator[Any], wave: int) -> list[tuple[Any, bytes]]:
        """The next items (with their pickles), up to ``wave`` full partitions."""
        p = self.params
        most_items, most_bytes = wave * p.partition_items, wave * p.partition_mb * MB
        rows: list[tuple[Any, bytes]] = []
        size = 0
        for item in it:
            blob = pickle.dumps(item)
            rows.append((item, blob))
            size += len(blob)
            if len(rows) >= most_items or size >= most_bytes:
                break
        return rows

    def _run_wave(self, spark: Any, rows: list[tuple[Any, bytes]], wave: int, cores: int,
                  fn: Any, work: MapWork) -> Iterator[tuple[BaseModel | None, str | None]]:
        import pandas as pd

        p = self.params
        sizes = [len(blob) for _, blob in rows]
        n_parts = max(min(cores, len(rows)), -(-sum(sizes) // int(p.partition_mb * MB)),
                      -(-len(rows) // p.partition_items))
        parts = balanced_parts(sizes, min(n_parts, max(wave, cores)))
        frame = pd.DataFrame({"idx": range(len(rows)), "part": parts,
                              "payload": [blob for _, blob in rows]})
        quiet_pandas_warning()
        df = spark.createDataFrame(frame, "idx long, part int, payload binary")
        df = df.repartitionByRange(max(parts) + 1, "part").mapInPandas(fn, OUTPUT_SCHEMA)
        for row in df.collect():
            if row["budget"] is not None:
                yield None, str(row["budget"])
                continue
            if row["result"] is None:
                raise PluginError(f"{work.label}: a Spark partition returned an empty row")
            yield work.result_type.model_validate_json(row["result"]), None

    def close(self) -> None:
        self._spark = None


__all__ = ["SparkExecutor", "balanced_parts"]
