"""A fast, scriptable OpenAI-compatible chat-completions server for tests and benchmarks.

Plain asyncio streams, HTTP/1.1 with keep-alive, one buffered write per response and a
listen backlog set on the socket before it listens. It answers ``POST`` on any path
ending in ``/chat/completions`` (``/v1/...``, ``/serving-endpoints/...``) and can be
told to add latency, rate-limit (429 with ``Retry-After`` and ``retry-after-ms``),
fail with 5xx, hang, refuse ``response_format``, or answer whatever a handler returns
(fenced, malformed or truncated JSON). Every request is logged, with the authorization
header's value replaced by whether it matched the expected key. Given ``max_model_len``
it answers ``GET /v1/models`` as vLLM does (one model, ``test-model``, with that
context; without, 404); those requests are counted in ``models_requests``, not logged.
While a reply is delayed the server notices a client that hangs up
(``LoggedRequest.disconnected``) and, with ``cancel_on_disconnect`` (as vLLM), stops
working on it; otherwise it finishes the abandoned request (as ``transformers serve``).

    with LLMTestServer(handler=lambda body, req: '{"a": ["x"]}', latency=0.05) as srv:
        srv.script(Reply(status=429, headers={"Retry-After": "1"}))
        ... EndpointSpec(base_url=srv.url, ...)

``python -m leasebench.testing.llm_server --latency 0.1`` runs one in its own process
and prints its URL (``--replay llama-cpp-python`` answers as that server did, from
``leasebench.testing.recorded``);
``GET /_stats`` answers how many requests it has logged.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from .replies import Handler, LoggedRequest, Reply

REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def schema_json_handler(value: list[str] | None = None) -> Handler:
    """A handler that answers a JSON object with every property of the requested schema."""

    def handle(body: dict[str, Any], req: LoggedRequest) -> str:
        fmt = body.get("response_format") or {}
        schema = (fmt.get("json_schema") or {}).get("schema") or {}
        props = schema.get("properties") or {"answer": {}}
        return json.dumps({k: list(value or ["x"]) for k in props})

    return handle


class LLMTestServer:
    """The server; a context manager that serves on 127.0.0.1 from a background thread."""

    def __init__(
        self,
        handler: Handler | None = None,
        *,
        latency: float = 0.0,
        rate_limit: float | None = None,
        burst: float | None = None,
        api_key: str | None = None,
        reject_response_format: bool = False,
        host: str = "127.0.0.1",
        port: int = 0,
        backlog: int = 4096,
        hang_s: float = 3600.0,
        max_model_len: int | None = None,
        cancel_on_disconnect: bool = False,
    ):
        self.handler = handler or schema_json_handler()
        self.latency = latency
        self.rate_limit = rate_limit
        self.burst = burst if burst is not None else max(1.0, (rate_limit or 0) / 10)
        self.api_key = api_key
        self.reject_response_format = reject_response_format
        self.host, self.port, self.backlog, self.hang_s = host, port, backlog, hang_s
        self.max_model_len = max_model_len
        self.models_requests = 0
        self.cancel_on_disconnect = cancel_on_disconnect
        self._scripted: deque[Reply] = deque()
        self._log: list[LoggedRequest] = []
        self._lock = threading.Lock()
        self._tokens = self.burst
        self._refilled = time.monotonic()
        self._conns: set[asyncio.Task[Any]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None

    # -- control -------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The base URL to configure a client with (``.../v1``)."""
        return f"http://{self.host}:{self.port}/v1"

    def script(self, *replies: Reply) -> None:
        """Answer the next requests with these replies, in order, before the handler."""
        with self._lock:
            self._scripted.extend(replies)

    @property
    def requests(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._log)

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()

    def start(self) -> LLMTestServer:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        sock.listen(self.backlog)
        self.port = sock.getsockname()[1]
        self._thread = threading.Thread(
            target=self._serve, args=(sock,), daemon=True, name="llm-test-server"
        )
        self._thread.start()
        self._ready.wait(10)
        return self

    def stop(self) -> None:
        if self._thread is None:
            return
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None

    def __enter__(self) -> LLMTestServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _serve(self, sock: socket.socket) -> None:
        asyncio.run(self._main(sock))

    async def _main(self, sock: socket.socket) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        server = await asyncio.start_server(self._connection, sock=sock)
        self._ready.set()
        await self._stop.wait()
        server.close()
        for task in list(self._conns):
            task.cancel()
        await asyncio.gather(*self._conns, return_exceptions=True)

    # -- HTTP ----------------------------------------------------------------------

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._conns.add(task)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        k, v = line.split(":", 1)
                        headers[k.strip().lower()] = v.strip()
                raw = await reader.readexactly(int(headers.get("content-length", "0")))
                status, payload, extra = await self._respond(method, path, headers, raw,
                                                             reader.at_eof)
                if status is None:
                    break  # hung: drop the connection without an answer
                out = [
                    f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}",
                    "Content-Type: application/json",
                    f"Content-Length: {len(payload)}",
                ]
                out += [f"{k}: {v}" for k, v in extra.items()]
                writer.write(("\r\n".join(out) + "\r\n\r\n").encode("latin-1") + payload)
                if writer.transport.get_write_buffer_size() > 1 << 16:
                    await writer.drain()
                if headers.get("connection", "").lower() == "close":
                    break
        except (
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
            ConnectionError,
            ValueError,
        ):
            pass
        except asyncio.CancelledError:
            pass  # the server is stopping; end quietly
        finally:
            self._conns.discard(task)
            writer.close()

    def _take_token(self) -> float:
        """0 if a request may pass now, else the seconds until one may."""
        if self.rate_limit is None:
            return 0.0
        now = time.monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._refilled) * self.rate_limit)
        self._refilled = now
        if self._tokens >= 1:
            self._tokens -= 1
            return 0.0
        return (1 - self._tokens) / self.rate_limit

    async def _respond(
        self, method: str, path: str, headers: dict[str, str], raw: bytes,
        gone: Callable[[], bool] = lambda: False,
    ) -> tuple[int | None, bytes, dict[str, str]]:
        if method == "GET" and path == "/_stats":  # not logged, consumes no scripted reply
            with self._lock:
                stats = {"requests": len(self._log)}
            return 200, json.dumps(stats).encode(), {}
        if method == "GET" and path.endswith("/models"):  # not logged either: counted
            with self._lock:
                self.models_requests += 1
            if self.max_model_len is None:
                return 404, _error("not found", "not_found"), {}
            models = {"object": "list", "data": [
                {"id": "test-model", "object": "model", "max_model_len": self.max_model_len}]}
            return 200, json.dumps(models).encode(), {}
        auth = headers.get("authorization")
        auth_ok = None if self.api_key is None else auth == f"Bearer {self.api_key}"
        shown = {k: ("<redacted>" if k == "authorization" else v) for k, v in headers.items()}
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            body = None
        req = LoggedRequest(time.time(), method, path, shown, auth_ok, body)
        with self._lock:
            self._log.append(req)
            reply = self._scripted.popleft() if self._scripted else None

        def done(
            status: int | None, payload: bytes, extra: dict[str, str] | None = None
        ) -> tuple[int | None, bytes, dict[str, str]]:
            req.status, req.answered = status, time.time()
            return status, payload, extra or {}

        if method != "POST" or not path.endswith("/chat/completions"):
            return done(404, _error("not found", "not_found"))
        if not isinstance(body, dict):
            return done(400, _error("request body is not JSON", "invalid_request_error"))
        if auth_ok is False:
            return done(401, _error("invalid api key", "authentication_error"))
        wait = self._take_token()
        if wait > 0:
            return done(
                429,
                _error("rate limited", "rate_limit_exceeded"),
                {
                    "Retry-After": str(max(1, math.ceil(wait))),
                    "retry-after-ms": f"{wait * 1000:.1f}",
                },
            )
        if self.reject_response_format and "response_format" in body:
            return done(400, _error("response_format is not supported", "invalid_request_error"))
        if reply is None:
            try:
                answer = self.handler(body, req)
            except Exception as exc:  # a broken handler answers 500, it does not hang up
                return done(500, _error(f"handler error: {exc!r}", "server_error"))
            reply = (
                answer
                if isinstance(answer, Reply)
                else Reply(
                    content=answer
                    if isinstance(answer, str) or answer is None
                    else json.dumps(answer)
                )
            )
        delay = self.latency if reply.delay is None else reply.delay
        if reply.hang:
            await asyncio.sleep(self.hang_s)
            return done(None, b"")
        if delay > 0:  # "generating": noticing a client that hangs up, as servers do
            until = time.monotonic() + delay
            while (left := until - time.monotonic()) > 0:
                await asyncio.sleep(min(left, 0.02))
                if req.disconnected is None and gone():
                    req.disconnected = time.time()
                    if self.cancel_on_disconnect:
                        return done(None, b"")
        if reply.body is not None:
            payload = reply.body.encode() if isinstance(reply.body, str) else reply.body
            return done(reply.status, payload, reply.headers)
        if reply.status != 200:
            return done(
                reply.status, _error(f"scripted {reply.status}", "server_error"), reply.headers
            )
        return done(200, _completion(body, reply), reply.headers)


def _error(message: str, kind: str) -> bytes:
    return json.dumps({"error": {"message": message, "type": kind}}).encode()


def _completion(body: dict[str, Any], reply: Reply) -> bytes:
    content = reply.content if reply.content is not None else ""
    out: dict[str, Any] = {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", ""),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": reply.finish_reason,
            }
        ],
    }
    if reply.usage:
        chars = sum(len(str(m.get("content", ""))) for m in body.get("messages") or [])
        p = reply.prompt_tokens if reply.prompt_tokens is not None else max(1, chars // 4)
        c = reply.completion_tokens
        c = c if c is not None else max(1, len(content) // 4)
        out["usage"] = {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c}
    return json.dumps(out).encode()


def main(argv: list[str] | None = None) -> None:
    """Serve until killed; print the base URL on the first line of stdout."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--latency", type=float, default=0.0)
    ap.add_argument("--rate-limit", type=float, default=None)
    ap.add_argument("--burst", type=float, default=None)
    ap.add_argument("--api-key-env", default=None, help="env var holding the expected key")
    ap.add_argument("--replay", default=None, metavar="SERVER",
                    help="answer as a recorded server did: llama-cpp-python, transformers-serve")
    args = ap.parse_args(argv)
    import os
    import signal

    from . import llm_server  # the package's classes, not this script's copies
    from .recorded import replay_handler

    handler = replay_handler(args.replay) if args.replay else None
    key = os.environ.get(args.api_key_env) if args.api_key_env else None
    srv = llm_server.LLMTestServer(
        handler,
        latency=args.latency,
        rate_limit=args.rate_limit,
        burst=args.burst,
        api_key=key,
        port=args.port,
    ).start()
    print(srv.url, flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    srv.stop()


if __name__ == "__main__":
    main()

__all__ = ["LLMTestServer", "LoggedRequest", "Reply", "main", "schema_json_handler"]
