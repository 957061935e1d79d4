"""What a shared manifest may ask for on its own, and how a user allows the rest.

A manifest names files to read, endpoints to call and settings for the machines that run
it; one received from someone else is trusted like that person's script for what it
reads and calls, but it may not make leasebench run code or write files of its choosing.
Spark settings are where that line is crossed: ``spark.driver.extraJavaOptions`` starts
the JVM with any agent, ``spark.pyspark.python`` picks the Python that runs, and
``spark.eventLog.dir`` writes anywhere. So ``executor.params.conf`` may set the sizing
and tuning keys in ``SAFE_SPARK_CONF`` only; any other key is a located problem at
validate time unless the person running it allows it in their own environment:
``LEASEBENCH_TRUST_SPARK_CONF=spark.eventLog.dir,spark.eventLog.enabled`` (comma
separated keys) or ``LEASEBENCH_TRUST_SPARK_CONF=*`` (every key: a manifest you wrote).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

TRUST_SPARK_CONF_ENV = "LEASEBENCH_TRUST_SPARK_CONF"

SAFE_SPARK_CONF = frozenset({
    "spark.app.name",
    "spark.default.parallelism",
    "spark.driver.cores",
    "spark.driver.maxResultSize",
    "spark.driver.memory",
    "spark.dynamicAllocation.enabled",
    "spark.dynamicAllocation.maxExecutors",
    "spark.dynamicAllocation.minExecutors",
    "spark.executor.cores",
    "spark.executor.heartbeatInterval",
    "spark.executor.instances",
    "spark.executor.memory",
    "spark.executor.memoryOverhead",
    "spark.locality.wait",
    "spark.memory.fraction",
    "spark.memory.storageFraction",
    "spark.network.timeout",
    "spark.python.worker.memory",
    "spark.python.worker.reuse",
    "spark.scheduler.mode",
    "spark.speculation",
    "spark.sql.adaptive.enabled",
    "spark.sql.execution.arrow.maxRecordsPerBatch",
    "spark.sql.execution.arrow.pyspark.enabled",
    "spark.sql.session.timeZone",
    "spark.sql.shuffle.partitions",
    "spark.task.cpus",
    "spark.task.maxFailures",
    "spark.ui.enabled",
    "spark.ui.showConsoleProgress",
})
"""Spark settings a manifest may make without the user allowing them: sizes and tuning."""


def trusted_spark_keys() -> frozenset[str] | None:
    """The keys the environment allows beyond the safe ones (None: every key)."""
    raw = os.environ.get(TRUST_SPARK_CONF_ENV, "")
    keys = frozenset(k.strip() for k in raw.split(",") if k.strip())
    return None if "*" in keys else keys


def spark_conf_problem(conf: Mapping[str, str]) -> str | None:
    """Why ``conf`` may not be used as it is (naming the keys and how to allow them)."""
    allowed = trusted_spark_keys()
    if allowed is None:
        return None
    refused = sorted(k for k in conf if k not in SAFE_SPARK_CONF and k not in allowed)
    if not refused:
        return None
    shown = ", ".join(refused[:5]) + (f" and {len(refused) - 5} more" if len(refused) > 5
                                      else "")
    return (f"{shown}: a manifest may set only Spark sizing and tuning keys on its own (others "
            "can run code or write files); if you trust this manifest, allow them where you "
            f"run it: {TRUST_SPARK_CONF_ENV}={','.join(refused)} (or =* for every key); see "
            "docs/executors.md")


__all__ = ["SAFE_SPARK_CONF", "TRUST_SPARK_CONF_ENV", "spark_conf_problem",
           "trusted_spark_keys"]
