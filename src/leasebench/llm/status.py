"""What an endpoint's HTTP error answer means for the call, the stage and the run.

Configuration errors would fail every call the same way, so they stop the stage at the
first answer (``EndpointError``, exit code 2 at the CLI) with the endpoint, the model
and the server's own message: 401/403 (key), 404 (URL, or the model), and a 400/422
that names the model (``transformers serve`` answers a wrong model with 400; OpenAI,
vLLM and Ollama with 404). A refusal of ``response_format`` is told apart first.
"""

from __future__ import annotations

import re
from enum import Enum

from .structured import names_structured_output

_MODEL_PROBLEM = re.compile(
    r"model\W[^.\n]{0,120}?(not found|does not exist|doesn't exist|not exist|unknown|invalid|"
    r"not available|unavailable|not supported|no such|not loaded|not served|pinned)"
    r"|(unknown|invalid|unsupported|no such) model|model_not_found|pinned to",
    re.IGNORECASE,
)
_PER_ITEM = re.compile(r"context|too long|too many tokens|maximum .{0,20}tokens", re.IGNORECASE)


class Answer(Enum):
    RETRY = "retry"  # transient: 408/409/425/5xx
    RATE_LIMITED = "rate_limited"  # 429
    REFUSED_FORMAT = "refused_format"  # the response_format sent was refused
    BAD_KEY = "bad_key"  # 401/403
    NOT_FOUND = "not_found"  # 404: wrong URL or model
    BAD_MODEL = "bad_model"  # 400/422 naming the model
    FAILED = "failed"  # any other 4xx: this call fails, the stage goes on


def names_model_problem(body: str, model: str) -> bool:
    """Whether an error body says the model is wrong (and not that the input is too long)."""
    if _PER_ITEM.search(body):
        return False
    return bool(_MODEL_PROBLEM.search(body)) or (len(model) >= 3 and model in body)


def classify(status: int, body: str, *, sent_format: bool, model: str) -> Answer:
    """The meaning of a non-200 answer to a request (``sent_format``: with response_format)."""
    if status == 429:
        return Answer.RATE_LIMITED
    if sent_format and status >= 400 and names_structured_output(body):
        return Answer.REFUSED_FORMAT
    if status in (401, 403):
        return Answer.BAD_KEY
    if status == 404:
        return Answer.NOT_FOUND
    if status in (400, 422) and names_model_problem(body, model):
        return Answer.BAD_MODEL
    if status in (408, 409, 425) or status >= 500:
        return Answer.RETRY
    return Answer.FAILED


FATAL = {Answer.BAD_KEY, Answer.NOT_FOUND, Answer.BAD_MODEL}

HINTS = {
    Answer.BAD_KEY: "check the key in the environment variable named by endpoint.api_key_env",
    Answer.NOT_FOUND: "check endpoint.base_url (OpenAI-compatible servers usually serve "
    "under /v1) and endpoint.model",
    Answer.BAD_MODEL: "check endpoint.model against the models the server serves",
}

__all__ = ["FATAL", "HINTS", "Answer", "classify", "names_model_problem"]
