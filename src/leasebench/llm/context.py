"""What fits one request to an endpoint: the model's context, the answer bound, windows.

The context comes from the extractor's ``context_tokens`` or, unset, from the server:
``GET {base_url}/models`` where it reports the model's ``max_model_len`` (vLLM) or a
``context_length`` (asked once per endpoint and model, within ``MODELS_TIMEOUT_S``; no
answer means unknown). With no context known and no forced ``chunking.chunk_tokens``,
documents are sent whole, as before.

The answer bound (``max_tokens`` unless set) comes from the schema: ``answer_tokens``
allows every field its name, JSON punctuation and ``VALUE_TOKENS`` tokens of values, so a
model that loops stops after about the size of a full answer, not after thousands of
tokens on a slow server. The ``llm`` generator's bounds, unless set, are as generous:
``labels_tokens`` is that bound plus the size of the real labels it imitates (which may
list more values), and ``document_tokens`` lets a written document run to
``DOCUMENT_FACTOR`` times the source document's generous token count (about twice its
length in real tokens: the prompt asks for the same length) plus the schema's answer
bound, so a long lease is not cut off while a model that loops still stops.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import urllib.request
from dataclasses import dataclass
from typing import Any

from ..chunking import Window, WindowSpec, context_tokens, split_windows, window_budget
from ..schema import FieldSchema
from .client import Messages
from .config import EndpointSpec

log = logging.getLogger("leasebench.llm")

VALUE_TOKENS = 48
DOCUMENT_FACTOR = 1.5
MODELS_TIMEOUT_S = 10.0
_CONTEXT_KEYS = ("max_model_len", "context_length", "context_window", "max_context_length")
_served: dict[tuple[str, str], int | None] = {}
_lock = threading.Lock()


def answer_tokens(schema: FieldSchema) -> int:
    """A bound on the tokens of a JSON answer listing every field of ``schema``."""
    return 16 + sum(math.ceil(len(f) / 3) + 6 + VALUE_TOKENS for f in schema.fields)


def labels_tokens(schema: FieldSchema, source_labels: str) -> int:
    """A bound on the tokens of new labels imitating ``source_labels`` (their JSON)."""
    return answer_tokens(schema) + context_tokens(source_labels)


def document_tokens(schema: FieldSchema, source: str) -> int:
    """A bound on the tokens of a document written to look like ``source``."""
    return math.ceil(DOCUMENT_FACTOR * context_tokens(source)) + answer_tokens(schema)


def _context_of(entry: Any) -> int | None:
    if not isinstance(entry, dict):
        return None
    for key in _CONTEXT_KEYS:
        value = entry.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    return None


def served_context(endpoint: EndpointSpec) -> int | None:
    """The model's context as the server reports it at ``/models``; None when it does not."""
    key = (endpoint.base_url, endpoint.model)
    with _lock:
        if key in _served:
            return _served[key]
    found = None
    request = urllib.request.Request(f"{endpoint.base_url}/models")
    api_key = endpoint.api_key()
    if api_key is not None:
        request.add_header("Authorization", f"Bearer {api_key}")
    try:
        with urllib.request.urlopen(request, timeout=MODELS_TIMEOUT_S) as resp:
            body = json.loads(resp.read(1 << 20))
        entries = body.get("data") if isinstance(body, dict) else None
        if isinstance(entries, list):
            named = [e for e in entries if isinstance(e, dict) and e.get("id") == endpoint.model]
            pick = named or (entries if len(entries) == 1 else [])
            found = _context_of(pick[0]) if pick else None
    except (OSError, ValueError) as exc:
        log.debug("%s/models: %s", endpoint.base_url, exc)
    if found is not None:
        log.info("%s reports a context of %d tokens for %s", endpoint.base_url, found,
                 endpoint.model)
    with _lock:
        _served[key] = found
    return found


def forget_served_contexts() -> None:
    """Ask each server again: one started anew at the same address (a test's loopback
    server on a reused port, a restarted local server) may serve another context."""
    with _lock:
        _served.clear()


def prompt_tokens(messages: Messages, schema: dict[str, Any] | None, structured: bool) -> int:
    """A generous count of a request's prompt: its messages and, where the endpoint puts
    it in the prompt, the schema."""
    n = sum(context_tokens(str(m.get("content", ""))) + 4 for m in messages)
    return n + (context_tokens(json.dumps(schema)) if schema is not None and structured else 0)


@dataclass(frozen=True)
class RequestPlan:
    """How documents go out: whole (``window`` None) or in windows of ``window`` tokens."""

    context: int | None
    window: int | None
    spec: WindowSpec

    def windows(self, text: str) -> list[Window]:
        if self.window is None:
            return [Window(0, 0, len(text), text)]
        return split_windows(text, self.window, overlap=self.spec.overlap_tokens)

    def describe(self) -> str:
        if self.window is None:
            return "documents sent whole (model context unknown)"
        known = f"a context of {self.context:,} tokens" if self.context else "no known context"
        return f"windows of up to {self.window:,} document tokens ({known})"


def plan_requests(
    context: int | None, fixed: int, answer: int, spec: WindowSpec, what: str
) -> RequestPlan:
    """The plan for a prompt of ``fixed`` tokens besides the document and an answer bound."""
    if context is None:
        return RequestPlan(None, spec.chunk_tokens, spec)
    return RequestPlan(context, window_budget(context, fixed, answer, spec.chunk_tokens, what),
                       spec)


__all__ = [
    "DOCUMENT_FACTOR",
    "VALUE_TOKENS",
    "RequestPlan",
    "answer_tokens",
    "document_tokens",
    "forget_served_contexts",
    "labels_tokens",
    "plan_requests",
    "prompt_tokens",
    "served_context",
]
