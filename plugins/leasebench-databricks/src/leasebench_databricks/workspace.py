"""The workspace connection: unified auth, the Files API for UC Volumes, polling.

Every REST call goes through the databricks-sdk ``ApiClient`` (``w.api_client.do``), so
auth (environment, ``~/.databrickscfg`` profiles, OAuth, notebook context), retries on
429/5xx and error mapping are the SDK's, while the paths and payloads stay exactly the
documented ones whatever the SDK version.
"""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any, TypeVar

from leasebench.errors import LeasebenchError

T = TypeVar("T")


class DatabricksError(LeasebenchError):
    """A Databricks call failed, or a remote run ended badly."""


class RemoteTimeout(DatabricksError):
    """A remote run did not finish in time; it keeps running and a re-run re-attaches."""


def workspace_client(profile: str | None = None) -> Any:
    """A ``WorkspaceClient`` from the SDK's unified auth (env vars, or ``profile``)."""
    try:
        from databricks.sdk import WorkspaceClient
    except ImportError as exc:  # pragma: no cover - a dependency of this package
        raise DatabricksError("databricks-sdk is missing: pip install databricks-sdk") from exc
    try:
        return WorkspaceClient(profile=profile) if profile else WorkspaceClient()
    except Exception as exc:
        raise DatabricksError(f"Databricks auth failed: {exc}") from exc


def host_of(w: Any) -> str:
    """The workspace URL without a trailing slash."""
    return str(w.config.host).rstrip("/")


def call(w: Any, method: str, path: str, *, what: str, **kwargs: Any) -> Any:
    """``w.api_client.do`` with errors turned into one readable ``DatabricksError``."""
    try:
        return w.api_client.do(method, path, **kwargs)
    except Exception as exc:
        raise DatabricksError(f"{what}: {method} {path}: {type(exc).__name__}: {exc}") from exc


def _files_path(path: str) -> str:
    if not path.startswith("/Volumes/"):
        raise DatabricksError(f"{path!r} is not a UC Volume path (/Volumes/<cat>/<schema>/...)")
    return "/api/2.0/fs/files" + urllib.parse.quote(path)


def upload(w: Any, path: str, data: bytes) -> str:
    """PUT ``data`` to a UC Volume file (directories are created implicitly); returns path."""
    parent = str(PurePosixPath(path).parent)
    call(w, "PUT", "/api/2.0/fs/directories" + urllib.parse.quote(parent), what="mkdir")
    call(
        w, "PUT", _files_path(path), what="upload", query={"overwrite": "true"}, data=data,
        headers={"Content-Type": "application/octet-stream"},
    )
    return path


def download(w: Any, path: str) -> bytes | None:
    """A UC Volume file's bytes, or None when it does not exist."""
    try:
        res = w.api_client.do(
            "GET", _files_path(path), headers={"Accept": "application/octet-stream"}, raw=True
        )
    except Exception as exc:
        if type(exc).__name__ in ("NotFound", "ResourceDoesNotExist"):
            return None
        raise DatabricksError(f"download {path}: {type(exc).__name__}: {exc}") from exc
    return res["contents"].read()


def poll(
    fetch: Callable[[], T],
    done: Callable[[T], bool],
    *,
    what: str,
    interval_s: float,
    timeout_s: float,
    on_change: Callable[[T], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Call ``fetch`` every ``interval_s`` until ``done``; ``RemoteTimeout`` after ``timeout_s``."""
    start = time.monotonic()
    while True:
        state = fetch()
        if on_change is not None:
            on_change(state)
        if done(state):
            return state
        if time.monotonic() - start > timeout_s:
            raise RemoteTimeout(
                f"{what}: not finished after {timeout_s:g} s; it keeps running remotely and "
                "running the same command again re-attaches to it"
            )
        sleep(interval_s)


def dumps(obj: Any) -> bytes:
    return (json.dumps(obj, indent=2, sort_keys=True) + "\n").encode("utf-8")


__all__ = [
    "DatabricksError",
    "RemoteTimeout",
    "call",
    "download",
    "dumps",
    "host_of",
    "poll",
    "upload",
    "workspace_client",
]
