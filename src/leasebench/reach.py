"""Can the services a run needs be reached? Asked before the first stage, in seconds.

An MLflow tracking URI that cannot be reached used to be found after the whole run (minutes
of client retries at the end), and a Spark master that cannot be reached after minutes of
Java stack traces. Here each is probed once, with a short timeout, and a problem names the
URI and what to do: ``tracking_problem`` (HTTP answers anything, SQLite has a writable
directory, a database server accepts a connection) and ``spark_problem`` (a ``spark://``
master, one of several, a ``k8s://`` API server or a Spark Connect ``sc://`` endpoint
accepts a connection). Local masters, YARN and Databricks are not probed.
"""

from __future__ import annotations

import os
import socket
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

TIMEOUT_S = 5.0
DB_PORTS = {"postgresql": 5432, "postgres": 5432, "mysql": 3306, "mssql": 1433}


def tcp_problem(host: str, port: int, timeout: float = TIMEOUT_S) -> str | None:
    """Why a TCP connection to ``host:port`` fails (None: it was accepted)."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return None
    except OSError as e:
        return e.strerror or str(e) or type(e).__name__


def _http_problem(uri: str, timeout: float) -> str | None:
    try:
        with urllib.request.urlopen(uri.rstrip("/") + "/health", timeout=timeout):
            return None
    except urllib.error.HTTPError:
        return None  # it answered: reachable (the client will say what it thinks of it)
    except (urllib.error.URLError, OSError, ValueError) as e:
        reason = getattr(e, "reason", e)
        return str(getattr(reason, "strerror", None) or reason)


def _sqlite_problem(uri: str) -> str | None:
    rest = uri.split(":///", 1)[1] if ":///" in uri else ""
    if not rest or rest.startswith(":memory:"):
        return None
    db = Path(rest)
    if db.is_symlink() or (db.exists() and not db.is_file()):
        return f"{db} is not a regular file"
    folder = db.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"{folder} is not writable"
    return None


def tracking_problem(uri: str, timeout: float = TIMEOUT_S) -> str | None:
    """A problem naming ``uri`` when MLflow could not log there, else None."""
    parts = urlsplit(uri)
    scheme = parts.scheme.lower().split("+")[0]
    if scheme in ("http", "https"):
        why = _http_problem(uri, timeout)
    elif scheme == "sqlite":
        why = _sqlite_problem(uri)
    elif scheme in DB_PORTS and parts.hostname:
        why = tcp_problem(parts.hostname, parts.port or DB_PORTS[scheme], timeout)
    else:
        return None  # a local folder, databricks, or a plugin's scheme: left to MLflow
    if why is None:
        return None
    return (f"MLflow tracking URI {uri} cannot be reached ({why}); fix it (`tracking."
            "tracking_uri`, --tracking-uri or MLFLOW_TRACKING_URI), or run with --no-mlflow")


def _endpoints(master: str) -> list[tuple[str, int]]:
    """``host:port`` pairs a master URL names (``spark://a:7077,b:7077``, ``k8s://…``)."""
    if master.startswith("spark://"):
        out = []
        for part in master.removeprefix("spark://").split(","):
            host, _, port = part.strip().rpartition(":")
            if host and port.isascii() and port.isdigit():
                out.append((host.strip("[]"), int(port)))
        return out
    if master.startswith("k8s://"):
        api = urlsplit(master.removeprefix("k8s://"))
        if api.hostname:
            return [(api.hostname, api.port or (443 if api.scheme == "https" else 80))]
    if master.startswith("sc://"):
        endpoint = urlsplit(master.split(";", 1)[0])
        if endpoint.hostname:
            return [(endpoint.hostname, endpoint.port or 15002)]
    return []


def spark_problem(master: str | None, remote: str | None, key: str,
                  timeout: float = TIMEOUT_S) -> str | None:
    """A problem at ``key`` when the Spark master or Connect endpoint cannot be reached."""
    url = remote or master
    if not url:
        return None
    endpoints = _endpoints(url)
    if not endpoints:
        return None
    whys = [tcp_problem(host, port, timeout) for host, port in endpoints]
    if any(why is None for why in whys):
        return None
    return (f"{key}: Spark at {url} cannot be reached ({whys[0]}); start it, fix the "
            "address, or use `master: local[*]`")


__all__ = ["spark_problem", "tcp_problem", "tracking_problem"]
