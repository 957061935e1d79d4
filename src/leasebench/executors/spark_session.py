"""Getting a Spark session for the ``spark`` executor: classic, Spark Connect, Databricks."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import signal
import sys
import threading
import warnings
from collections.abc import Callable
from typing import Any

from ..errors import LeasebenchError

QUIET_CONF = {
    "spark.ui.showConsoleProgress": "false",
    "spark.ui.enabled": "false",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
}
_LOCAL = re.compile(r"^local(?:\[(\*|\d+)(?:\s*,\s*(\d+))?\])?\Z")


def quiet_pandas_warning() -> None:
    """PySpark warns on every pandas conversion under pandas 3; the conversions work."""
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")


PY4J_LOGGERS = ("", "py4j.clientserver", "py4j.java_gateway")


def _py4j_interrupt(record: logging.LogRecord) -> bool:
    """False for py4j's own reports of a call cut by Ctrl-C (the run says it)."""
    message = record.getMessage()
    return not ("py4j" in record.pathname and (
        "while sending command" in message or "while shutting down connection" in message))


def stop_quietly(spark: Any) -> None:
    """After an interrupt: the JVM logs nothing more (its Python workers are about to
    end, which it would report as crashes) and its jobs are cancelled."""
    context: Any = getattr(spark, "sparkContext", None)
    if context is None:  # Spark Connect: nothing local to quiet
        return
    with contextlib.suppress(Exception):
        context.setLogLevel("OFF")
    with contextlib.suppress(Exception):
        context.cancelAllJobs()


def keep_signal_handlers(start: Callable[[], Any]) -> Any:
    """``start()`` with the run's SIGINT handler kept: a new SparkContext installs its own,
    which calls the JVM from inside the interrupted JVM call (a re-entrant py4j error) and
    stops the run's clean stop. py4j's reports of interrupted calls are left out too."""
    for name in PY4J_LOGGERS:
        logging.getLogger(name).addFilter(_py4j_interrupt)
    if threading.current_thread() is not threading.main_thread():
        return start()
    handler = signal.getsignal(signal.SIGINT)
    try:
        return start()
    finally:
        signal.signal(signal.SIGINT, handler)


def require_pandas() -> None:
    """The driver hands Spark each wave as a pandas frame (``mapInPandas``, over Arrow)."""
    for module in ("pandas", "pyarrow"):
        try:
            __import__(module)
        except ImportError as exc:
            raise LeasebenchError(
                f"executor spark needs {module} on the driver: "
                "`pip install 'leasebench[spark]'` (pyspark, pandas, pyarrow)") from exc


def open_session(master: str | None, remote: str | None, databricks_connect: bool,
                 conf: dict[str, str]) -> Any:
    """The session the params ask for; an active session when they ask for nothing."""
    require_pandas()
    quiet_pandas_warning()
    if databricks_connect:
        try:
            from databricks.connect import DatabricksSession
        except ImportError as exc:
            raise LeasebenchError(
                "executor spark: databricks_connect needs `pip install databricks-connect` "
                "(the version matching the cluster's runtime)") from exc
        return DatabricksSession.builder.getOrCreate()
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise LeasebenchError(
            "executor spark needs pyspark: `pip install 'leasebench[spark]'` "
            "(or run on a cluster)"
        ) from exc
    if remote:
        return SparkSession.builder.remote(remote).getOrCreate()
    active = SparkSession.getActiveSession()
    if active is not None and master is None:
        return active
    builder = SparkSession.builder.appName("leasebench")
    if master:
        builder = builder.master(master)
    if master is None or _LOCAL.match(master):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        builder = builder.config("spark.pyspark.python", os.environ["PYSPARK_PYTHON"])
    for key, value in {**QUIET_CONF, **conf}.items():
        builder = builder.config(key, value)
    session = keep_signal_handlers(builder.getOrCreate)
    if master is None or _LOCAL.match(master):
        session.sparkContext.setLogLevel("ERROR")
    return session


def conf_get(spark: Any, key: str, default: str | None = None) -> str | None:
    try:
        return spark.conf.get(key, default)
    except Exception:
        return default


def is_local(spark: Any) -> bool:
    return bool(_LOCAL.match(conf_get(spark, "spark.master", "") or ""))


def slots(spark: Any) -> int:
    """Tasks that run at once: the default parallelism."""
    try:
        return max(1, int(spark.sparkContext.defaultParallelism))
    except Exception:  # Spark Connect has no SparkContext
        found = conf_get(spark, "spark.default.parallelism")
        if found:
            return max(1, int(found))
        m = _LOCAL.match(conf_get(spark, "spark.master", "") or "")
        if m and m.group(1) and m.group(1) != "*":
            return int(m.group(1))
        return max(1, os.cpu_count() or 1)


def max_failures(spark: Any) -> int:
    """Attempts Spark makes per task: ``local[N,F]`` gives F; a cluster its maxFailures."""
    m = _LOCAL.match(conf_get(spark, "spark.master", "") or "")
    if m:
        return int(m.group(2) or 1)
    return max(1, int(conf_get(spark, "spark.task.maxFailures", "4") or 4))


__all__ = ["conf_get", "is_local", "max_failures", "open_session", "quiet_pandas_warning",
           "require_pandas", "slots"]
