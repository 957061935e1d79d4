"""Endpoint settings shared by every LLM component.

String fields that locate the endpoint (``base_url``, ``model``) accept ``${VAR}`` and
``${VAR:-default}`` so a manifest can take them from the environment. The API key is
never a setting: ``api_key_env`` names the environment variable that holds it, and the
client reads that variable only when it sends a request.
"""

from __future__ import annotations

import os
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


def expand_env(value: str, environ: dict[str, str] | None = None) -> str:
    """Replace ``${VAR}`` / ``${VAR:-default}``; an unset variable without default is an error."""
    env = os.environ if environ is None else environ

    def sub(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        found = env.get(name)
        if found:
            return found
        if default is not None:
            return default
        raise ValueError(f"environment variable {name} is not set (write ${{{name}:-default}})")

    return _VAR.sub(sub, value)


class Prices(BaseModel):
    """Price per 1,000 tokens, in any currency (reports just sum them)."""

    model_config = ConfigDict(extra="forbid")

    prompt_per_1k: float = Field(0.0, ge=0, description="Price of 1,000 prompt tokens.")
    completion_per_1k: float = Field(0.0, ge=0, description="Price of 1,000 completion tokens.")

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        return (
            prompt_tokens * self.prompt_per_1k + completion_tokens * self.completion_per_1k
        ) / 1000


class EndpointSpec(BaseModel):
    """An OpenAI-compatible chat-completions endpoint and how to call it."""

    model_config = ConfigDict(extra="forbid")

    base_url: str = Field(
        "https://api.openai.com/v1",
        description="Base URL; `/chat/completions` is appended. Supports `${VAR:-default}`.",
    )
    model: str = Field("gpt-4o-mini", description="Model name sent with every request.")
    api_key_env: str | None = Field(
        "OPENAI_API_KEY",
        description="Name of the environment variable holding the API key (null, or unset: "
        "no Authorization header, as local servers need none).",
    )
    concurrency: int = Field(8, ge=1, le=1024, description="Most requests in flight at once.")
    timeout_s: float = Field(
        600.0,
        gt=0,
        description="How long one request may wait for its answer once the server has it, "
        "in seconds (as the official OpenAI client; a CPU server queues requests and can "
        "take minutes for a long document). A request past it is not sent again in the run "
        "(the server may still be working on it); the next run retries it.",
    )
    connect_timeout_s: float = Field(
        30.0,
        gt=0,
        description="How long to wait for the server to accept a connection; past it the "
        "server counts as down and the request is retried (`max_retries`).",
    )
    max_retries: int = Field(
        5, ge=0, description="Retries of a request after 5xx, connection errors and time-outs."
    )
    rate_limit_wait_s: float = Field(
        600.0,
        ge=0,
        description="Longest total time one request may wait on 429 answers before it fails.",
    )
    backoff_s: float = Field(0.5, ge=0, description="First back-off delay; doubles per retry.")
    backoff_max_s: float = Field(30.0, ge=0, description="Longest back-off delay.")
    structured_output: Literal["auto", "json_schema", "json_object", "none"] = Field(
        "auto",
        description="How to ask for JSON: `json_schema` (response_format with the schema), "
        "`json_object` (`{type: json_object, schema}`: grammar-constrained on llama.cpp), "
        "`none` (parse JSON from the text), or `auto`: json_schema, falling back to "
        "json_object and then none when the endpoint refuses one.",
    )
    send_seed: bool = Field(True, description="Send the per-item `seed` with each request.")
    extra_body: dict[str, Any] = Field(
        default_factory=dict, description="Extra request fields (e.g. `top_p`)."
    )
    prices: Prices = Field(default_factory=Prices, description="Price table for cost.")

    @field_validator("base_url", "model", mode="before")
    @classmethod
    def _expand(cls, value: Any) -> Any:
        return expand_env(value) if isinstance(value, str) else value

    @field_validator("base_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value.rstrip("/")

    @property
    def completions_url(self) -> str:
        return f"{self.base_url}/chat/completions"

    def api_key(self) -> str | None:
        """The key from the environment, read now; None without auth or when unset."""
        if self.api_key_env is None:
            return None
        return os.environ.get(self.api_key_env) or None


__all__ = ["EndpointSpec", "Prices", "expand_env"]
