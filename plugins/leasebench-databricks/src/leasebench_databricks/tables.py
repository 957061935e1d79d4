"""UC Delta tables (``catalog.schema.table``) as record sources and sinks, through Spark.

Spark is imported lazily: on a Databricks cluster (or with ``pip install pyspark`` and a
local session) these work; elsewhere they raise a ``DatabricksError`` saying so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from leasebench.records import Record

from .workspace import DatabricksError

TABLE_RE = re.compile(r"^[A-Za-z0-9_`-]+\.[A-Za-z0-9_`-]+\.[A-Za-z0-9_`-]+$")


def check_table(name: str) -> str:
    if not TABLE_RE.match(name):
        raise DatabricksError(f"{name!r} is not a three-part UC table name catalog.schema.table")
    return name


def spark_session() -> Any:
    """The active Spark session (a cluster's, or a local one); a clear error without Spark."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise DatabricksError(
            "this needs Spark: run it on a Databricks cluster, or pip install "
            "'leasebench-databricks[spark]' for a local session"
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


__all__ = ["check_table", "read_table", "spark_session", "write_chat_table", "write_table"]
