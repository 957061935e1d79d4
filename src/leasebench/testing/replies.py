"""The test server's vocabulary: what it is told to answer (``Reply``), what it logged of a
request (``LoggedRequest``), and a ``Handler``, which maps a request to its answer.
``llm_server`` serves them; ``recorded`` builds handlers from recorded answers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Reply:
    """What to answer to one request. ``body`` (raw bytes/str) overrides everything."""

    content: str | None = None
    status: int = 200
    finish_reason: str = "stop"
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | str | None = None
    delay: float | None = None
    hang: bool = False
    usage: bool = True
    prompt_tokens: int | None = None
    completion_tokens: int | None = None


@dataclass
class LoggedRequest:
    """One request as the server saw it (the authorization value is never kept)."""

    time: float
    method: str
    path: str
    headers: dict[str, str]
    auth_ok: bool | None
    body: Any
    status: int | None = None
    answered: float | None = None
    disconnected: float | None = None  # when the client closed the connection unanswered


Handler = Callable[[dict[str, Any], LoggedRequest], "Reply | str | dict[str, Any] | None"]


__all__ = ["Handler", "LoggedRequest", "Reply"]
