"""Library log noise: silenced by default, shown (with leasebench's own INFO logs) with -v."""

from __future__ import annotations

import logging
import os

NOISY = ("mlflow", "alembic", "huey", "urllib3", "databricks.sdk", "py4j", "httpx")


def configure_logging(verbose: bool) -> None:
    """Without ``verbose`` only warnings from libraries reach stderr; with it, INFO logs of
    leasebench and its libraries do (e.g. MLflow creating its database tables)."""
    if verbose:
        from rich.logging import RichHandler

        os.environ.setdefault("MLFLOW_LOGGING_LEVEL", "INFO")
        handler = RichHandler(show_path=False, rich_tracebacks=False)
        logging.basicConfig(level=logging.WARNING, handlers=[handler], format="%(message)s")
        for name in ("leasebench", *NOISY):
            logging.getLogger(name).setLevel(logging.INFO)
        return
    os.environ.setdefault("MLFLOW_LOGGING_LEVEL", "WARNING")  # read when mlflow is imported
    for name in NOISY:  # and in case it already was
        logging.getLogger(name).setLevel(logging.WARNING)


__all__ = ["configure_logging"]
