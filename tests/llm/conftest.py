"""Fixtures for the LLM tests: a loopback server factory and the lease schema."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from leasebench.schema import FieldSchema, builtin_schema
from leasebench.testing.llm_server import LLMTestServer


@pytest.fixture
def schema() -> FieldSchema:
    return builtin_schema("lease")


@pytest.fixture
def serve(lb_llm_server: Callable[..., LLMTestServer]) -> Callable[..., LLMTestServer]:
    """Start servers with the given options; all are stopped at the end of the test."""
    return lb_llm_server
