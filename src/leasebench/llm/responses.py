"""What one chat-completions call returns: results, stats, errors and response parsing."""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from multidict import CIMultiDictProxy

from ..errors import LeasebenchError
from ..records import Usage
from .usage import estimate_tokens

Messages = list[dict[str, Any]]


class EndpointError(LeasebenchError):
    """The endpoint rejects the configuration itself (key, URL or model)."""


@dataclass
class CallResult:
    """One call's outcome: the text, or the error it finally failed with."""

    text: str | None = None
    finish_reason: str | None = None
    usage: Usage = field(default_factory=Usage)
    cached: bool = False
    error: str | None = None
    latency_s: float = 0.0
    attempts: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def truncated(self) -> bool:
        return self.finish_reason == "length"


@dataclass
class ClientStats:
    requests: int = 0
    rate_limited: int = 0
    retried: int = 0
    cache_hits: int = 0
    failed: int = 0


def retry_after_s(headers: Mapping[str, str]) -> float | None:
    """Seconds the server asked us to wait: ``retry-after-ms``, else ``Retry-After``."""
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0.0, when.timestamp() - time.time())


@dataclass
class RawResponse:
    status: int
    headers: CIMultiDictProxy[str]
    raw: bytes


def snippet(resp: RawResponse, n: int = 200) -> str:
    text = resp.raw.decode("utf-8", "replace").strip().replace("\n", " ")
    return text[:n] + ("..." if len(text) > n else "")


def parse_completion(resp: RawResponse, messages: Messages) -> CallResult | str:
    try:
        data = json.loads(resp.raw)
        choice = data["choices"][0]
        text = choice["message"].get("content") or ""
        finish = choice.get("finish_reason")
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return f"malformed response body: {snippet(resp, 120)}"
    usage = data.get("usage") or {}
    prompt = usage.get("prompt_tokens")
    completion = usage.get("completion_tokens")
    if not isinstance(prompt, int):
        prompt = estimate_tokens("".join(str(m.get("content", "")) for m in messages))
    if not isinstance(completion, int):
        completion = estimate_tokens(text)
    return CallResult(
        text=text,
        finish_reason=finish,
        usage=Usage(prompt_tokens=prompt, completion_tokens=completion, calls=1),
    )


__all__ = [
    "CallResult",
    "ClientStats",
    "EndpointError",
    "Messages",
    "RawResponse",
    "parse_completion",
    "retry_after_s",
    "snippet",
]
