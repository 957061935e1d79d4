"""The persistent response cache: one sqlite file (WAL) per experiment.

A key is the sha256 of the canonical JSON of everything that determines a response:
endpoint URL, model, messages, every generation param, the output schema and, for
sampled calls (temperature > 0), the seed and the sample index. Only successful
responses are stored; an error is never cached. Every write commits at once, so a
response that arrived before a crash is there for the re-run.

Before a request goes out its key is marked *sent* (with the sending process); storing
its answer, or a conclusive failure, clears the mark in the same transaction. A mark
left by a process that has ended (killed, crashed, interrupted mid-call) is a call that
may have been answered and paid with its answer lost: when the same request is sent
again, that re-send is recorded (``resent``), so a report can say how many calls may have
been paid twice. A mark left by a process on another machine is never counted (its
liveness cannot be checked).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

CACHE_FILE = "llm-responses.sqlite"


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def cache_key(
    *,
    base_url: str,
    model: str,
    messages: list[dict[str, Any]],
    params: dict[str, Any],
    schema: Sequence[str] | None,
    seed: int | None = None,
    sample: int | None = None,
) -> str:
    """The key of one request. Seed and sample count only when sampling (temperature > 0)."""
    sampled = float(params.get("temperature") or 0) > 0
    payload = {
        "base_url": base_url,
        "model": model,
        "messages": messages,
        "params": params,
        "schema": schema,
        "seed": seed if sampled else None,
        "sample": sample if sampled else None,
    }
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def _started(pid: int) -> int | None:
    """When process ``pid`` started (clock ticks since boot, from /proc), if known."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
        return int(stat[stat.rindex(b")") + 2 :].split()[19])
    except (OSError, ValueError, IndexError):
        return None


HOST = socket.gethostname()


_ME: tuple[str, int, int | None] = ("", 0, None)


def _this_process() -> tuple[str, int, int | None]:
    """(host, PID, start time) of this process (read again in a forked child)."""
    global _ME
    pid = os.getpid()
    if _ME[1] != pid:
        _ME = (HOST, pid, _started(pid))
    return _ME


def ended(host: str, pid: int, started: int | None) -> bool:
    """Whether the process that made a mark has ended (False when it cannot be told)."""
    if host != HOST:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError, ValueError):
        return False
    now = _started(pid)  # the same PID, another process: the marker's owner is gone
    return started is not None and now is not None and now != started


class ResponseCache:
    """A sqlite key -> response store, safe to share between threads and processes.

    ``scope`` names where re-sends are recorded (the runner gives each stage's directory
    name); without it, the ``stage`` a call is marked with.
    """

    def __init__(self, path: Path | str, *, scope: str = ""):
        self.path = Path(path)
        self.scope = scope
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(
            self.path, timeout=30.0, isolation_level=None, check_same_thread=False
        )
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS responses ("
            "key TEXT PRIMARY KEY, value TEXT NOT NULL, created REAL NOT NULL)"
        )
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS sent (key TEXT PRIMARY KEY, scope TEXT NOT NULL, "
            "host TEXT NOT NULL, pid INTEGER NOT NULL, started INTEGER, created REAL NOT NULL)"
        )
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS resent (id INTEGER PRIMARY KEY, key TEXT NOT NULL, "
            "scope TEXT NOT NULL, first_scope TEXT NOT NULL, first_sent REAL NOT NULL, "
            "created REAL NOT NULL)"
        )

    @classmethod
    def in_dir(cls, cache_dir: Path | str | None, *, scope: str = "") -> ResponseCache | None:
        """The cache under ``cache_dir``, or None when there is no cache directory."""
        return None if cache_dir is None else cls(Path(cache_dir) / CACHE_FILE, scope=scope)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM responses WHERE key = ?", (key,)).fetchone()
        return None if row is None else json.loads(row[0])

    def get_many(self, keys: list[str]) -> dict[str, dict[str, Any]]:
        """Every cached entry among ``keys``, in few queries."""
        found: dict[str, dict[str, Any]] = {}
        with self._lock:
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                marks = ",".join("?" * len(chunk))
                sql = f"SELECT key, value FROM responses WHERE key IN ({marks})"
                for key, value in self._db.execute(sql, chunk):
                    found[key] = json.loads(value)
        return found

    def __contains__(self, key: str) -> bool:
        with self._lock:
            sql = "SELECT 1 FROM responses WHERE key = ?"
            return self._db.execute(sql, (key,)).fetchone() is not None

    def put(self, key: str, value: dict[str, Any]) -> None:
        """Store the answer to ``key`` (and clear its sent mark, whoever made it)."""
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO responses (key, value, created) VALUES (?, ?, ?)",
                (key, canonical_json(value), time.time()),
            )
            db.execute("DELETE FROM sent WHERE key = ?", (key,))

    # -- sent marks ----------------------------------------------------------------

    def mark_sent(self, key: str, stage: str = "") -> bool:
        """Mark ``key`` as sent by this process, just before the request goes out.

        Returns True (and records the re-send) when a process that has ended had sent the
        same request without storing its answer.
        """
        host, pid, started = _this_process()
        scope = self.scope or stage
        now = time.time()
        mark = ("INSERT OR REPLACE INTO sent (key, scope, host, pid, started, created) "
                "VALUES (?, ?, ?, ?, ?, ?)", (key, scope, host, pid, started, now))
        find = "SELECT scope, host, pid, started, created FROM sent WHERE key = ?"
        with self._lock:
            row = self._db.execute(find, (key,)).fetchone()
        if row is None or (row[1], row[2]) == (host, pid) or not ended(*row[1:4]):
            with self._lock:
                self._db.execute(*mark)  # one write (the usual case)
            return False
        with self._transaction() as db:  # a lost call: record its re-send once
            row = db.execute(find, (key,)).fetchone()
            lost = row is not None and (row[1], row[2]) != (host, pid) and ended(*row[1:4])
            if lost:
                db.execute(
                    "INSERT INTO resent (key, scope, first_scope, first_sent, created) "
                    "VALUES (?, ?, ?, ?, ?)", (key, scope, row[0], row[4], now),
                )
            db.execute(*mark)
        return lost

    def unmark(self, key: str) -> None:
        """Clear this process's sent mark of ``key``: the call ended without an answer to
        store (an error answer, a failure to connect), so nothing was paid for."""
        host, pid, _ = _this_process()
        with self._lock:
            self._db.execute(
                "DELETE FROM sent WHERE key = ? AND host = ? AND pid = ?", (key, host, pid)
            )

    @contextlib.contextmanager
    def sending(self, key: str, stage: str = "") -> Iterator[None]:
        """The sent mark around one call. An exception (a configuration error) clears it;
        a cancelled or interrupted call keeps it: it may have been answered. After a normal
        exit the caller stores the answer (``put``) or ``unmark``s a failed call."""
        self.mark_sent(key, stage)
        try:
            yield
        except Exception:
            self.unmark(key)
            raise

    def unanswered(self) -> int:
        """How many sent marks have no answer stored (calls in flight or lost)."""
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM sent").fetchone()[0])

    def resent(self, scopes: Iterable[str] | None = None) -> dict[str, int]:
        """Re-sends of lost calls per scope (only ``scopes``, when given)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT scope, COUNT(*) FROM resent GROUP BY scope"
            ).fetchall()
        wanted = None if scopes is None else set(scopes)
        return {s: int(n) for s, n in rows if wanted is None or s in wanted}

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM responses").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()


def sending(cache: ResponseCache | None, key: str | None, stage: str = "") -> Any:
    """``cache.sending(key, stage)``, or nothing to do without a cache or a key."""
    if cache is None or key is None:
        return contextlib.nullcontext()
    return cache.sending(key, stage)


__all__ = ["CACHE_FILE", "ResponseCache", "cache_key", "canonical_json", "ended", "sending"]
