"""pytest fixtures for plugin authors (registered through the ``pytest11`` entry point).

``lb_plugin_manager``  a fresh plugin manager with the built-in components only
``lb_register``        register a plugin object inline: ``registry = lb_register(MyPlugin())``
``lb_tiny_corpus``     ``(train, holdout)``: twelve and eight short labelled lease records
``lb_schema``          the built-in ``lease`` field schema
``lb_context``         a ``Context`` factory with a private ``workdir`` under ``tmp_path``
``lb_llm_server``      start loopback OpenAI-compatible servers; all stop after the test
``lb_no_network``      connections to hosts other than the loopback interface raise
``lb_spark``           the process's shared local Spark session (``local[2,2]``; needs pyspark)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ..components import Context
from ..plugin_manager import PluginManager, Registry, build_registry, get_plugin_manager
from ..records import Record
from ..schema import FieldSchema
from .conformance import make_context, no_network, tiny_corpus, tiny_schema
from .llm_server import LLMTestServer


@pytest.fixture
def lb_plugin_manager() -> PluginManager:
    """A fresh plugin manager: hook specs and the built-in plugins, no entry points."""
    return get_plugin_manager(entry_points=False)


@pytest.fixture
def lb_register(lb_plugin_manager: PluginManager) -> Iterator[Callable[..., Registry]]:
    """Register plugin objects inline; returns the registry built with them.

    ``lb_register(plugin, name="mine", distribution="my-dist", version="0")``; every plugin
    registered this way is unregistered when the test ends.
    """
    added: list[Any] = []

    def register(plugin: Any, name: str | None = None, distribution: str = "inline",
                 version: str = "0") -> Registry:
        label = name or f"inline-{len(added)}-{getattr(plugin, '__name__', type(plugin).__name__)}"
        lb_plugin_manager.register_plugin(plugin, label, distribution, version)
        added.append(plugin)
        return build_registry(lb_plugin_manager)

    yield register
    for plugin in added:
        if lb_plugin_manager.is_registered(plugin):
            lb_plugin_manager.unregister(plugin)


@pytest.fixture
def lb_tiny_corpus() -> tuple[list[Record], list[Record]]:
    """``(train, holdout)``: 12 + 8 short lease records labelled for the ``lease`` schema."""
    return tiny_corpus()


@pytest.fixture
def lb_schema() -> FieldSchema:
    """The built-in ``lease`` schema."""
    return tiny_schema()


@pytest.fixture
def lb_context(tmp_path: Path, lb_schema: FieldSchema) -> Callable[..., Context]:
    """``lb_context(seed=7, train=..., holdout=...)``: a Context with a fresh workdir."""
    count = [0]

    def make(**kw: Any) -> Context:
        count[0] += 1
        kw.setdefault("schema", lb_schema)
        return make_context(tmp_path / f"work{count[0]}", **kw)

    return make


@pytest.fixture
def lb_llm_server() -> Iterator[Callable[..., LLMTestServer]]:
    """``lb_llm_server(handler=None, **options)`` starts a loopback server; ``.url`` is its base."""
    started: list[LLMTestServer] = []

    def start(handler: Any = None, **kw: Any) -> LLMTestServer:
        from ..llm.context import forget_served_contexts

        forget_served_contexts()  # a port an earlier test's server used may come back
        srv = LLMTestServer(handler, **kw).start()
        started.append(srv)
        return srv

    yield start
    for srv in started:
        srv.stop()


@pytest.fixture
def lb_no_network() -> Iterator[None]:
    """Connections (and name lookups) to anything but the loopback interface raise."""
    with no_network():
        yield


__all__ = [
    "lb_context",
    "lb_llm_server",
    "lb_no_network",
    "lb_plugin_manager",
    "lb_register",
    "lb_schema",
    "lb_tiny_corpus",
]


@pytest.fixture(scope="session")
def lb_spark() -> Any:
    """The shared local Spark session (started once per test process; skips without pyspark)."""
    pytest.importorskip("pyspark")
    from .spark import shared_session

    return shared_session()
