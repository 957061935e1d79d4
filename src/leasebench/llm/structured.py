"""Structured output: which ``response_format`` an endpoint gets, learnt per stage.

Modes (``EndpointSpec.structured_output``):

- ``json_schema``: ``{"type": "json_schema", "json_schema": {"name", "schema", "strict"}}``
  (OpenAI, vLLM, Databricks, Ollama, llama.cpp's ``llama-server``);
- ``json_object``: ``{"type": "json_object", "schema": ...}``, grammar-constrained JSON
  as llama.cpp's servers take it (plain JSON mode elsewhere, the schema ignored);
- ``none``: no ``response_format``; the JSON is parsed from the text;
- ``auto``: ``json_schema``, then ``json_object``, then ``none``, moving on whenever the
  endpoint refuses the one sent (any 4xx/5xx whose body names response_format, a
  schema or a grammar). The outcome holds for the rest of the client's life (one
  stage, one endpoint and model).

A server may also take ``response_format`` and ignore it (``transformers serve`` answers
200 with unconstrained text). A server that honours it only ever answers a JSON object
with the schema's required keys (cut off by ``max_tokens``: the start of one), so every
answer is checked and the ones that are not are counted: ``summary()`` then says the server seems
to ignore it. The answers are still parsed leniently either way.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

FALLBACK = {"json_schema": "json_object", "json_object": "none"}
_REFUSAL = re.compile(r"response_format|json_schema|json_object|schema|grammar", re.IGNORECASE)


def response_format(mode: str, schema: dict[str, Any]) -> dict[str, Any] | None:
    """The request's ``response_format`` for ``mode`` (None for ``none``)."""
    if mode == "json_schema":
        return {
            "type": "json_schema",
            "json_schema": {"name": "output", "schema": schema, "strict": True},
        }
    if mode == "json_object":
        return {"type": "json_object", "schema": schema}
    return None


def names_structured_output(body: str) -> bool:
    """Whether an error body is about response_format, a schema or a grammar."""
    return bool(_REFUSAL.search(body))


def follows_schema(text: str, schema: dict[str, Any]) -> bool:
    """A JSON object with every required key: what a constrained decoder answers."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return False
    if not isinstance(value, dict):
        return False
    return all(k in value for k in schema.get("required") or ())


@dataclass
class StructuredOutput:
    """What one client learnt about an endpoint's structured output."""

    requested: str
    mode: str = ""
    refusals: list[str] = field(default_factory=list)
    requests: int = 0
    answers: int = 0
    unconstrained: int = 0

    def __post_init__(self) -> None:
        if not self.mode:
            self.mode = "json_schema" if self.requested == "auto" else self.requested

    def refused(self, sent: str, reason: str) -> bool:
        """Record that ``sent`` was refused; True when ``auto`` moved on to another mode."""
        if self.requested != "auto" or sent not in FALLBACK:
            return False
        self.refusals.append(f"{sent}: {reason}")
        if self.mode == sent:
            self.mode = FALLBACK[sent]
        return True

    def observe(self, sent: str, text: str, schema: dict[str, Any], truncated: bool) -> None:
        """Check an answer to a request sent with ``response_format``.

        An answer cut off by ``max_tokens`` is judged by its start: a constrained one
        is the beginning of a JSON object.
        """
        if sent == "none":
            return
        stripped = text.strip()
        if truncated and not stripped:
            return
        self.answers += 1
        ok = stripped.startswith("{") if truncated else follows_schema(stripped, schema)
        if not ok:
            self.unconstrained += 1

    @property
    def ignored(self) -> bool:
        """Answers came back that no constrained decoder would give."""
        return self.unconstrained > 0

    def summary(self) -> str:
        """How structured output ended up, for the run's output."""
        text = f"structured output {self.mode}"
        if self.requested == "auto":
            text += " (auto"
            text += f"; refused: {'; '.join(self.refusals)})" if self.refusals else ")"
        if self.ignored:
            text += (
                f"; {self.unconstrained} of {self.answers} answers were not JSON of the schema:"
                f" the server seems to ignore response_format (answers are parsed leniently;"
                f" structured_output: none says so explicitly)"
            )
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "requested": self.requested, "mode": self.mode, "refusals": self.refusals,
            "requests": self.requests,
            "answers_checked": self.answers, "unconstrained": self.unconstrained,
        }


__all__ = [
    "FALLBACK",
    "StructuredOutput",
    "follows_schema",
    "names_structured_output",
    "response_format",
]
