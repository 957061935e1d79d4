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
