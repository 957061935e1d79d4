"""What a request to an endpoint looks like: its body, its cache key, its worst-case cost."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ..records import Usage
from .cache import cache_key, canonical_json
from .config import EndpointSpec
from .responses import CallResult, Messages, content_text
from .structured import StructuredOutput, response_format
from .usage import estimate_tokens


class RequestShape:
    """The request side of ``LLMClient``: bodies, cache keys, cost bounds, cache hits."""

    def __init__(self, spec: EndpointSpec):
        self.spec = spec
        self.structured = StructuredOutput(spec.structured_output)
        self._digests: dict[int, tuple[dict[str, Any], str]] = {}

    def params(self, temperature: float, max_tokens: int) -> dict[str, Any]:
        return {"temperature": temperature, "max_tokens": max_tokens, **self.spec.extra_body}

    def key(
        self,
        messages: Messages,
        *,
        temperature: float = 0.0,
        max_tokens: int = 1024,
        seed: int | None = None,
        sample: int | None = None,
        schema: dict[str, Any] | None = None,
    ) -> str:
        """The response-cache key of a call."""
        structured = None
        if schema is not None:
            structured = [self.spec.structured_output, self._schema_digest(schema)]
        return cache_key(
            base_url=self.spec.base_url,
            model=self.spec.model,
            messages=messages,
            params=self.params(temperature, max_tokens),
            schema=structured,
            seed=seed,
            sample=sample,
        )

    def _schema_digest(self, schema: dict[str, Any]) -> str:
        """A schema's digest, remembered per schema object (the key of every call has it)."""
        found = self._digests.get(id(schema))
        if found is None or found[0] is not schema:
            digest = hashlib.sha256(canonical_json(schema).encode()).hexdigest()
            found = self._digests[id(schema)] = (schema, digest)
        return found[1]

    def worst_case(
        self, messages: Messages, max_tokens: int, schema: dict[str, Any] | None = None
    ) -> tuple[int, int, float]:
        """Estimated prompt tokens, the completion bound and the cost bound of a call."""
        chars = sum(len(str(m.get("content", ""))) for m in messages)
        prompt = estimate_tokens("x" * chars) + 4 * len(messages)
        if schema is not None and self.spec.structured_output != "none":
            prompt += estimate_tokens(json.dumps(schema))
        return prompt, max_tokens, self.spec.prices.cost(prompt, max_tokens)

    def _body(
        self,
        messages: Messages,
        temperature: float,
        max_tokens: int,
        seed: int | None,
        schema: dict[str, Any] | None,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"model": self.spec.model, "messages": messages}
        body.update(self.params(temperature, max_tokens))
        if seed is not None and self.spec.send_seed:
            body["seed"] = seed
        if schema is not None:
            fmt = response_format(self.structured.mode, schema)
            if fmt is not None:
                body["response_format"] = fmt
        return body

    def describe(self) -> str:
        """The endpoint, the model and how structured output ended up."""
        return f"{self.spec.base_url} (model {self.spec.model}): {self.structured.summary()}"

    def _from_cache(self, hit: dict[str, Any]) -> CallResult:
        """A cached answer with the usage and latency it had when it was paid."""
        prompt, completion = hit.get("prompt_tokens"), hit.get("completion_tokens")
        prompt = prompt if isinstance(prompt, int) and prompt >= 0 else 0
        completion = completion if isinstance(completion, int) and completion >= 0 else 0
        usage = Usage(
            prompt_tokens=prompt, completion_tokens=completion, calls=1,
            cost=self.spec.prices.cost(prompt, completion),
        )
        latency = hit.get("latency_s")
        finish = hit.get("finish_reason")
        return CallResult(
            text=content_text(hit.get("text")), finish_reason=finish if isinstance(
                finish, str) else None, usage=usage.as_cached(), cached=True,
            latency_s=float(latency) if isinstance(latency, (int, float)) else 0.0,
        )


__all__ = ["RequestShape"]
