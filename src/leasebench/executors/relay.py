"""Progress from worker processes and Spark tasks back to the run's display, as it happens.

Work that runs in another process (a ``processes`` worker, a Spark task on a local master)
cannot move the driver's progress bars itself. ``ProgressRelay`` listens on a loopback TCP
port; each worker gets a picklable ``Reporter`` that connects on first use and sends one
JSON line per event: a trial started or ended, ``ctx.progress(done, total, unit)`` from a
trainer, items finished in a chunk or a partition. Events are throttled to the display's
own refresh (ten a second), the relay only accepts connections that present its random
token, and progress is best effort: a worker that cannot reach the relay goes on silently.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Event = dict[str, Any]
INTERVAL = 0.1  # seconds between a reporter's updates, the display's refresh
MAX_LINE = 4096


class ProgressRelay:
    """A loopback listener passing workers' events to ``handler`` (in its own threads).

    Events: ``{"k": key, "s": "started" | "ended"}``, ``{"k": key, "d": done, "t": total,
    "u": unit}`` (a ``ctx.progress`` call), ``{"k": key, "w": worker, "i": items}`` (items
    one worker process finished so far).
    """

    def __init__(self, handler: Callable[[Event], None], host: str = "127.0.0.1"):
        self._handler = handler
        self._lock = threading.Lock()
        self._token = secrets.token_hex(16)
        self._server = socket.create_server((host, 0))
        self.address: tuple[str, int] = self._server.getsockname()[:2]
        threading.Thread(target=self._serve, name="progress-relay", daemon=True).start()

    def reporter(self, key: str) -> Reporter:
        """A picklable progress callback for the work named ``key``."""
        return Reporter(self.address[0], self.address[1], self._token, key)

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._server.accept()
            except OSError:  # closed
                return
            threading.Thread(target=self._read, args=(conn,), daemon=True).start()

    def _read(self, conn: socket.socket) -> None:
        with conn, conn.makefile("r", encoding="utf-8", errors="replace") as lines:
            if lines.readline(MAX_LINE).strip() != self._token:
                return
            while line := lines.readline(MAX_LINE):
                try:
                    event = json.loads(line)
                except ValueError:
                    continue
                if isinstance(event, dict) and isinstance(event.get("k"), str):
                    # a display problem never stops the work
                    with self._lock, contextlib.suppress(Exception):
                        self._handler(event)

    def close(self) -> None:
        self._server.close()

    def __enter__(self) -> ProgressRelay:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class Reporter:
    """The worker's end: ``reporter(done, total, unit)`` is a ``ctx.progress`` callback;
    ``advance(n)`` counts finished items; ``started()``/``ended()`` frame a whole call."""

    host: str
    port: int
    token: str
    key: str
    worker: str = field(default_factory=lambda: secrets.token_hex(4))
    _guard: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _sock: socket.socket | None = field(default=None, repr=False)
    _broken: bool = field(default=False, repr=False)
    _last: float = field(default=0.0, repr=False)
    _items: int = field(default=0, repr=False)
    _sent_items: int = field(default=0, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        """Address and key only: each process that unpickles it is a new worker."""
        return {"host": self.host, "port": self.port, "token": self.token, "key": self.key}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(**state)  # type: ignore[misc]

    def __call__(self, done: float, total: float | None = None, unit: str = "") -> None:
        final = total is not None and done >= total
        if final or self._due():
            self._send({"k": self.key, "d": done, "t": total, "u": unit})

    def advance(self, n: int = 1) -> None:
        self._items += n
        if self._due():
            self.flush()

    def flush(self) -> None:
        if self._items != self._sent_items:
            self._sent_items = self._items
            self._send({"k": self.key, "w": self.worker, "i": self._items})

    def started(self) -> None:
        self._send({"k": self.key, "s": "started"})

    def ended(self) -> None:
        self.flush()
        self._send({"k": self.key, "s": "ended"})
        self.close()

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def _due(self) -> bool:
        now = time.monotonic()
        if now - self._last < INTERVAL:
            return False
        self._last = now
        return True

    def _send(self, event: Event) -> None:
        with self._guard:
            self._send_now(event)

    def _send_now(self, event: Event) -> None:
        if self._broken:
            return
        try:
            if self._sock is None:
                self._sock = socket.create_connection((self.host, self.port), timeout=1.0)
                self._sock.sendall(self.token.encode() + b"\n")
            self._sock.sendall(json.dumps(event).encode() + b"\n")
        except OSError:
            self._broken = True
            self.close()


def reported(reporter: Reporter, fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)`` framed by ``started``/``ended`` events (picklable with functools)."""
    reporter.started()
    try:
        return fn(*args)
    finally:
        reporter.ended()


class ItemCounter:
    """Sums the ``i`` events of every worker of one map and passes the total on."""

    def __init__(self, on_items: Callable[[int], None]):
        self.on_items = on_items
        self.per_worker: dict[str, int] = {}

    def __call__(self, event: Event) -> None:
        if isinstance(event.get("i"), int) and isinstance(event.get("w"), str):
            self.per_worker[event["w"]] = event["i"]
            self.on_items(sum(self.per_worker.values()))


__all__ = ["INTERVAL", "ItemCounter", "ProgressRelay", "Reporter", "reported"]
