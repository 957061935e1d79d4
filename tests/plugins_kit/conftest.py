"""The plugin-kit fixtures (``leasebench.testing.pytest_plugin``), imported here so the tests
run whether or not the ``pytest11`` entry point is installed."""

from __future__ import annotations

from leasebench.testing.pytest_plugin import (  # noqa: F401
    lb_context,
    lb_llm_server,
    lb_no_network,
    lb_plugin_manager,
    lb_register,
    lb_schema,
    lb_tiny_corpus,
)
