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
from ..records import Usage, valid_text
from .usage import estimate_tokens

Messages = list[dict[str, Any]]
MAX_REPORTED_TOKENS = 10**9  # a usage count above this is not believed


class EndpointError(LeasebenchError):
    """The endpoint rejects the configuration itself (key, URL or model)."""


@dataclass
class CallResult:
    """One call's outcome: the text, or the error it finally failed with.

    ``usage`` is what the call cost when it was paid (for a cache hit: then, marked
    ``cached``); ``latency_s`` likewise. ``raw`` keeps a body that could not be read as
    a completion, so the failure can be inspected.
    """

    text: str | None = None
    finish_reason: str | None = None
    usage: Usage = field(default_factory=Usage)
    cached: bool = False
    error: str | None = None
    latency_s: float = 0.0
    attempts: int = 0
    raw: str | None = None

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
    in_flight: int = 0  # requests sent and not answered yet
    answered: int = 0  # requests the server answered (any status)
    timed_out: int = 0  # requests the server took and did not answer in time


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
    truncated: bool = False


def snippet(resp: RawResponse, n: int = 200) -> str:
    text = resp.raw[: 4 * n + 16].decode("utf-8", "replace").strip().replace("\n", " ")
    return text[:n] + ("..." if len(resp.raw) > n else "")


def content_text(content: Any) -> str:
    """A message's content as text, whatever shape the endpoint sent.

    A string as it is; ``null`` as ""; OpenAI content parts (a list of ``{"type":
    "text", "text": ...}`` or strings) joined; anything else (a number, an object) as
    its JSON text, which the component then parses or counts as a parse failure.
    """
    if isinstance(content, str):
        return content
    if content is None:
        return ""
    if isinstance(content, list):
        parts = []
        for part in content:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, dict) and isinstance(part.get("text"), str):
                parts.append(part["text"])
            elif isinstance(part, dict) and isinstance(part.get("refusal"), str):
                parts.append(part["refusal"])
        if parts or not content:
            return "".join(parts)
    try:
        return json.dumps(content, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return str(type(content).__name__)


def _tokens(value: Any) -> int | None:
    """A token count the endpoint reported, if it is a plausible one."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 0 <= value <= MAX_REPORTED_TOKENS else None


def parse_completion(resp: RawResponse, messages: Messages) -> CallResult | str:
    """A 200 answer as a ``CallResult``, or the reason it is not a completion.

    Every shape is survivable: a body that is not JSON (or nested too deep to decode),
    without ``choices``, with a non-object message, gives the reason (the call is retried
    and then fails with it); odd content is normalised by ``content_text``; usage counts
    that are missing, negative or absurd are replaced by estimates.
    """
    try:
        data = json.loads(resp.raw)
        choice = data["choices"][0]
        message = choice["message"]
        if not isinstance(message, dict):
            raise TypeError("message is not an object")
        text = valid_text(content_text(message.get("content")))  # no lone surrogate
        finish = choice.get("finish_reason")
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, RecursionError):
        return f"malformed response body: {snippet(resp, 120)}"
    usage = data.get("usage") if isinstance(data, dict) else None
    usage = usage if isinstance(usage, dict) else {}
    prompt = _tokens(usage.get("prompt_tokens"))
    completion = _tokens(usage.get("completion_tokens"))
    if prompt is None:
        prompt = estimate_tokens("".join(str(m.get("content", "")) for m in messages))
    if completion is None:
        completion = estimate_tokens(text)
    return CallResult(
        text=text,
        finish_reason=finish if isinstance(finish, str) else None,
        usage=Usage(prompt_tokens=prompt, completion_tokens=completion, calls=1),
    )


__all__ = [
    "CallResult",
    "ClientStats",
    "EndpointError",
    "Messages",
    "RawResponse",
    "content_text",
    "parse_completion",
    "retry_after_s",
    "snippet",
]
