"""Fixtures for the LLM tests: a loopback server factory and the lease schema."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from leasebench.schema import FieldSchema, builtin_schema
from leasebench.testing.llm_server import LLMTestServer


@pytest.fixture
def schema() -> FieldSchema:
    return builtin_schema("lease")


@pytest.fixture
def serve() -> Iterator[Callable[..., LLMTestServer]]:
    """Start servers with the given options; all are stopped at the end of the test."""
    started: list[LLMTestServer] = []

    def start(handler: Any = None, **kw: Any) -> LLMTestServer:
        srv = LLMTestServer(handler, **kw).start()
        started.append(srv)
        return srv

    yield start
    for srv in started:
        srv.stop()
