"""One local Spark session per test process, shared by every test that needs Spark.

Starting a JVM takes seconds, so tests share ``shared_session()``: ``local[2,2]`` (two
cores, a failed task is tried twice), no UI, quiet logs, the warehouse (tables of the
local catalog, ``spark_catalog.<schema>.<table>``) in a temporary directory, and the
Python workers running this interpreter.
"""

from __future__ import annotations

import os
import sys
import tempfile
from typing import Any

MASTER = "local[2,2]"
_SESSION: Any = None


def shared_session() -> Any:
    """The process's test Spark session, started on first use."""
    global _SESSION
    if _SESSION is not None:
        return _SESSION
    from pyspark.sql import SparkSession

    from ..executors.spark_session import QUIET_CONF, quiet_pandas_warning

    quiet_pandas_warning()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    warehouse = tempfile.mkdtemp(prefix="lb-spark-warehouse-")
    builder = SparkSession.builder.master(MASTER).appName("leasebench-tests")
    conf = {
        **QUIET_CONF, "spark.sql.shuffle.partitions": "4",
        "spark.sql.warehouse.dir": warehouse, "spark.pyspark.python": sys.executable,
        "spark.driver.extraJavaOptions": f"-Dderby.system.home={warehouse}",
    }
    for key, value in conf.items():
        builder = builder.config(key, value)
    _SESSION = builder.getOrCreate()
    _SESSION.sparkContext.setLogLevel("ERROR")
    return _SESSION


__all__ = ["MASTER", "shared_session"]
