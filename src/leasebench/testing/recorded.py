"""Answers recorded from real OpenAI-compatible servers, replayed by the loopback server.

``testing/data/recorded_servers.json`` holds the exact HTTP bodies that
llama-cpp-python 0.3.36's server and ``transformers serve`` 5.24 gave to each kind of
request (structured output modes, a wrong model, a wrong path, a wrong key), recorded
against tiny random-weight models. ``replay_handler(server)`` is an ``LLMTestServer``
handler that answers as that server did, by the request's shape, so tests cover their
behaviour without building or starting them:

    with LLMTestServer(replay_handler("llama-cpp-python")) as srv: ...
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from .replies import Handler, LoggedRequest, Reply

SERVERS = ("llama-cpp-python", "transformers-serve")
# the request fields transformers serve accepts (the OpenAI ones and its own)
_TRANSFORMERS_FIELDS = {
    "messages", "model", "max_tokens", "max_completion_tokens", "temperature", "top_p",
    "seed", "stop", "stream", "response_format", "frequency_penalty", "logit_bias", "n",
    "tools", "tool_choice", "user", "generation_config", "chat_template_kwargs",
}


@lru_cache(maxsize=1)
def recorded_servers() -> dict[str, Any]:
    """The recorded answers, by server."""
    text = resources.files("leasebench.testing").joinpath("data", "recorded_servers.json")
    return json.loads(text.read_text("utf-8"))


def recorded(server: str, answer: str) -> Reply:
    """One recorded answer as a ``Reply``."""
    found = recorded_servers()[server]["answers"][answer]
    return Reply(status=found["status"], body=found["body"])


def replay_handler(server: str, *, model: str | None = None) -> Handler:
    """A handler answering as ``server`` did (``model``: the model it serves)."""
    if server not in SERVERS:
        raise ValueError(f"no recorded answers for {server!r} (known: {', '.join(SERVERS)})")
    served = model or recorded_servers()[server]["model"]

    def handle(body: dict[str, Any], req: LoggedRequest) -> Reply:
        if not req.path.startswith("/v1/"):
            return recorded(server, "wrong_path")
        fmt = body.get("response_format")
        kind = fmt.get("type") if isinstance(fmt, dict) else None
        if server == "llama-cpp-python":  # one model loaded: the name is not checked
            if kind == "json_schema":
                return recorded(server, "json_schema")
            return recorded(server, "json_object" if kind == "json_object" else "none")
        unexpected = sorted(set(body) - _TRANSFORMERS_FIELDS)
        if unexpected:
            detail = f"Unexpected fields in the request: {set(unexpected)}"
            return Reply(status=422, body=json.dumps({"detail": detail}))
        if body.get("model") != served:
            detail = f"Server is pinned to '{served}'; requested '{body.get('model')}'."
            return Reply(status=400, body=json.dumps({"detail": detail}))
        return recorded(server, "json_schema")  # response_format or not: the same text

    return handle


__all__ = ["SERVERS", "recorded", "recorded_servers", "replay_handler"]
