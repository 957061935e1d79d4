"""A loopback Databricks workspace: the REST paths the plugin uses, validated strictly.

Every request is recorded; one whose method, path or payload does not match the
documented shape is answered 400 and noted in ``problems`` (tests assert it stays
empty). Remote runs follow scripts (e.g. PENDING -> RUNNING -> COMPLETED), one step per
status read, so tests drive success, failure and time-outs.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOKEN = "dapi-test-token"
FT_TASKS = ("CHAT_COMPLETION", "INSTRUCTION_FINETUNE", "CONTINUED_PRETRAIN")
FT_OPTIONAL = {"evalDataPath": str, "trainingDuration": str, "learningRate": float,
               "contextLength": int, "dataPrepConfig": dict, "evalPrompts": list,
               "customWeightsPath": str}
CHUNK = 980


class Invalid(Exception):
    """A request that does not match the documented shape."""


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    status: int = 200


@dataclass
class FakeWorkspace:
    finetune_script: list[str] = field(
        default_factory=lambda: ["PENDING", "QUEUED", "RUNNING", "COMPLETED"])
    job_script: list[tuple[str, str | None]] = field(default_factory=lambda: [
        ("PENDING", None), ("RUNNING", None), ("TERMINATED", "SUCCESS")])
    endpoint_script: list[tuple[str, str]] = field(default_factory=lambda: [
        ("NOT_READY", "IN_PROGRESS"), ("READY", "NOT_UPDATING")])
    volumes: tuple[str, ...] = ("/Volumes/main/lb/files",)
    schemas: tuple[str, ...] = ("main.lb",)
    token_accuracy: Callable[[float], float] = lambda lr: 0.5 + lr * 1e5
    on_job_success: Callable[[FakeWorkspace, dict[str, Any]], None] | None = None
    requests: list[Request] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    finetunes: dict[str, dict[str, Any]] = field(default_factory=dict)
    jobs: dict[int, dict[str, Any]] = field(default_factory=dict)
    endpoints: dict[str, dict[str, Any]] = field(default_factory=dict)
    metrics: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    versions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    # -- helpers used by handlers and tests -------------------------------------------
    def calls(self, method: str, prefix: str) -> list[Request]:
        return [r for r in self.requests if r.method == method and r.path.startswith(prefix)]

    def graphql(self, operation: str) -> list[Request]:
        return [r for r in self.calls("POST", "/api/2.0/genai-mapi/graphql")
                if isinstance(r.body, dict) and operation in r.body.get("query", "")]

    def register_version(self, full_name: str, run_id: str) -> int:
        versions = self.versions.setdefault(full_name, [])
        number = len(versions) + 1
        versions.append({"model_name": full_name.split(".")[-1], "catalog_name":
                         full_name.split(".")[0], "schema_name": full_name.split(".")[1],
                         "version": number, "run_id": run_id, "status": "READY"})
        return number

    def log_metric(self, run_id: str, key: str, values: list[float]) -> None:
        self.metrics[(run_id, key)] = [
            {"key": key, "value": v, "step": i, "timestamp": 1000 + i}
            for i, v in enumerate(values)]


def _need(obj: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(obj, dict) or key not in obj:
        raise Invalid(f"{where}: missing {key!r}")
    if not isinstance(obj[key], kind) or (isinstance(obj[key], bool) and kind is not bool):
        raise Invalid(f"{where}.{key}: expected {kind}, got {type(obj[key]).__name__}")
    return obj[key]


def _only(obj: dict[str, Any], allowed: set[str], where: str) -> None:
    extra = set(obj) - allowed
    if extra:
        raise Invalid(f"{where}: unknown keys {sorted(extra)}")


class Handlers:
    """Route table: (method, regex) -> handler(fake, match, request) -> (status, body)."""

    def __init__(self, fake: FakeWorkspace):
        self.fake = fake
        self.routes: list[tuple[str, re.Pattern[str], Callable[..., Any]]] = []
        import dbx_routes

        dbx_routes.install(self)

    def add(self, method: str, pattern: str, fn: Callable[..., Any]) -> None:
        self.routes.append((method, re.compile("^" + pattern + "$"), fn))

    def dispatch(self, req: Request) -> tuple[int, Any]:
        for method, pattern, fn in self.routes:
            match = pattern.match(req.path)
            if match and method == req.method:
                return fn(self.fake, match, req)
        raise Invalid(f"no such endpoint: {req.method} {req.path}")


def serve(fake: FakeWorkspace) -> tuple[ThreadingHTTPServer, str]:
    """Start the fake on 127.0.0.1 (a daemon thread); returns the server and its URL."""
    handlers = Handlers(fake)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def setup(self) -> None:
            super().setup()
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def _handle(self) -> None:
            url = urllib.parse.urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            ctype = self.headers.get("Content-Type", "")
            body: Any = raw
            if raw and "json" in ctype:
                body = json.loads(raw)
            query = dict(urllib.parse.parse_qsl(url.query))
            req = Request(self.command, urllib.parse.unquote(url.path), query, body)
            fake.requests.append(req)
            try:
                if req.path == "/.well-known/databricks-config":
                    # the SDK asks for host metadata first; a plain workspace may not have it
                    status, out = 404, {"error_code": "NOT_FOUND", "message": "no metadata"}
                elif self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    status, out = 401, {"error_code": "UNAUTHENTICATED", "message": "bad token"}
                else:
                    status, out = handlers.dispatch(req)
            except Invalid as exc:
                fake.problems.append(f"{req.method} {req.path}: {exc}")
                status, out = 400, {"error_code": "INVALID_PARAMETER_VALUE", "message": str(exc)}
            except Exception as exc:  # a bug in the fake: answer, never hang the client
                fake.problems.append(f"{req.method} {req.path}: fake crashed: {exc!r}")
                status, out = 500, {"error_code": "INTERNAL_ERROR", "message": repr(exc)}
            req.status = status
            payload = out if isinstance(out, bytes) else json.dumps(out).encode()
            self.send_response(status)
            kind = "application/octet-stream" if isinstance(out, bytes) else "application/json"
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _handle

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


__all__ = ["CHUNK", "FT_OPTIONAL", "FT_TASKS", "TOKEN", "FakeWorkspace", "Invalid", "Request",
           "serve"]
