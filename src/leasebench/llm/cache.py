"""The persistent response cache: one sqlite file (WAL) per experiment.

A key is the sha256 of the canonical JSON of everything that determines a response:
endpoint URL, model, messages, every generation param, the output schema and, for
sampled calls (temperature > 0), the seed and the sample index. Only successful
responses are stored; an error is never cached. Every write commits at once, so a
response that arrived before a crash is there for the re-run.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Sequence
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


class ResponseCache:
    """A sqlite key -> response store, safe to share between threads and processes."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
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

    @classmethod
    def in_dir(cls, cache_dir: Path | str | None) -> ResponseCache | None:
        """The cache under ``cache_dir``, or None when there is no cache directory."""
        return None if cache_dir is None else cls(Path(cache_dir) / CACHE_FILE)

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
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO responses (key, value, created) VALUES (?, ?, ?)",
                (key, canonical_json(value), time.time()),
            )

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM responses").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()


__all__ = ["CACHE_FILE", "ResponseCache", "cache_key", "canonical_json"]
