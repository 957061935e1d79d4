"""leasebench's pytest fixtures (``lb_*``) come from its ``pytest11`` entry point; with a
leasebench that predates it, import them here."""

from __future__ import annotations

import importlib.metadata as md

if not any(ep.name == "leasebench" for ep in md.entry_points(group="pytest11")):
    from leasebench.testing.pytest_plugin import (  # noqa: F401
        lb_context,
        lb_plugin_manager,
        lb_register,
        lb_schema,
        lb_tiny_corpus,
    )
