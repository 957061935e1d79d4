"""UC Delta tables (``catalog.schema.table``) as record sources and sinks, through Spark.

Spark is imported lazily: on a Databricks cluster (or with ``pip install pyspark`` and a
session that reaches the workspace) these work; elsewhere they raise an error saying so.
``SESSION_FACTORY``, when set, supplies the session instead (e.g. a Databricks Connect
session: ``tables.SESSION_FACTORY = DatabricksSession.builder.getOrCreate``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from leasebench.errors import LeasebenchError
from leasebench.records import Record

from .workspace import DatabricksError

TABLE_RE = re.compile(r"^[A-Za-z0-9_`-]+\.[A-Za-z0-9_`-]+\.[A-Za-z0-9_`-]+$")
SESSION_FACTORY: Callable[[], Any] | None = None


def check_table(name: str) -> str:
    if not TABLE_RE.match(name):
        raise DatabricksError(f"{name!r} is not a three-part UC table name catalog.schema.table")
    return name


def spark_session(error: type[LeasebenchError] = DatabricksError) -> Any:
    """The Spark session: ``SESSION_FACTORY``'s, the active one (on a cluster), or a new one.

    Without ``pyspark`` it raises ``error`` saying what to install or where to run.
    """
    if SESSION_FACTORY is not None:
        return SESSION_FACTORY()
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise error(
            "this needs Spark: run it on a Databricks cluster (notebook or job), or pip "
            "install pyspark (or 'leasebench-databricks[spark]') with a session that reaches "
            "the workspace"
        ) from exc
    session = SparkSession.getActiveSession()
    return session if session is not None else SparkSession.builder.getOrCreate()


def read_table(name: str, spark: Any = None) -> list[Record]:
    """Records from a table with columns ``id``, ``text`` and ``labels`` (JSON or map)."""
    spark = spark or spark_session()
    rows = spark.table(check_table(name)).collect()
    out = []
    for row in rows:
        data = row.asDict(recursive=True)
        labels = data.get("labels") or {}
        if isinstance(labels, str):
            labels = json.loads(labels)
        meta = data.get("meta") or {}
        out.append(Record(id=str(data["id"]), text=data["text"], labels=labels,
                          meta=json.loads(meta) if isinstance(meta, str) else meta))
    return out


def write_table(records: Sequence[Record], name: str, spark: Any = None) -> int:
    """Overwrite ``name`` with ``id``, ``text``, ``labels`` (JSON), ``origin`` (JSON)."""
    spark = spark or spark_session()
    rows = [
        (r.id, r.text, json.dumps(r.labels, ensure_ascii=False), r.origin.model_dump_json())
        for r in records
    ]
    frame = spark.createDataFrame(rows, "id string, text string, labels string, origin string")
    frame.write.mode("overwrite").saveAsTable(check_table(name))
    return len(rows)


def write_chat_table(rows: Sequence[dict[str, Any]], name: str, spark: Any = None) -> int:
    """Overwrite ``name`` with one ``messages`` array<struct<role,content>> per row."""
    spark = spark or spark_session()
    data = [([(m["role"], m["content"]) for m in row["messages"]],) for row in rows]
    frame = spark.createDataFrame(data, "messages array<struct<role:string,content:string>>")
    frame.write.mode("overwrite").saveAsTable(check_table(name))
    return len(data)


__all__ = [
    "SESSION_FACTORY",
    "check_table",
    "read_table",
    "spark_session",
    "write_chat_table",
    "write_table",
]
