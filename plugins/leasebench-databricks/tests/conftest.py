"""Fixtures: a fake workspace on 127.0.0.1 with the SDK's env auth pointed at it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dbx_fake import TOKEN, FakeWorkspace, serve
from leasebench.schema import builtin_schema


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeWorkspace]:
    workspace = FakeWorkspace()
    server, url = serve(workspace)
    for var in ("DATABRICKS_CONFIG_PROFILE", "DATABRICKS_CLIENT_ID", "DATABRICKS_CLIENT_SECRET",
                "DATABRICKS_AUTH_TYPE", "DATABRICKS_ACCOUNT_ID"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("DATABRICKS_HOST", url)
    monkeypatch.setenv("DATABRICKS_TOKEN", TOKEN)
    monkeypatch.setenv("DATABRICKS_CONFIG_FILE", str(tmp_path / "no-databrickscfg"))
    workspace.url = url  # type: ignore[attr-defined]
    yield workspace
    server.shutdown()
    server.server_close()


@pytest.fixture
def schema():
    return builtin_schema("lease")


class RecordingSpark:
    """The real local Spark session, noting each SQL statement it is sent (nothing else)."""

    def __init__(self, spark):
        self.spark, self.sql_seen = spark, []

    def sql(self, statement: str, *args, **kw):
        self.sql_seen.append(statement)
        return self.spark.sql(statement, *args, **kw)

    def __getattr__(self, name: str):
        return getattr(self.spark, name)


@pytest.fixture
def spark(lb_spark, monkeypatch: pytest.MonkeyPatch, request) -> Iterator[RecordingSpark]:
    """The shared local Spark session as the plugin's session, with a fresh schema
    ``spark_catalog.<test>`` for this test's tables (dropped afterwards)."""
    from leasebench_databricks import tables

    schema = "lbt_" + "".join(c if c.isalnum() else "_" for c in request.node.name)[:60].lower()
    lb_spark.sql(f"CREATE DATABASE IF NOT EXISTS spark_catalog.{schema}")
    session = RecordingSpark(lb_spark)
    session.schema = f"spark_catalog.{schema}"  # type: ignore[attr-defined]
    monkeypatch.setattr(tables, "SESSION_FACTORY", lambda: session)
    yield session
    lb_spark.sql(f"DROP DATABASE IF EXISTS spark_catalog.{schema} CASCADE")
