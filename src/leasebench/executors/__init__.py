"""Where map stages' per-item work runs: ``MapWork`` and the built-in executors.

``local`` (the run's process), ``processes`` (a worker pool on every core) and ``spark``
(a Spark cluster, ``local[*]`` included). The contract: ``docs/executors.md``.
"""

from __future__ import annotations

from .local import LocalExecutor, run_here
from .processes import ProcessesExecutor, usable_cores
from .spark import SparkExecutor
from .work import RESULT_TYPES, MapWork, chunked, describe_error

__all__ = [
    "RESULT_TYPES",
    "LocalExecutor",
    "MapWork",
    "ProcessesExecutor",
    "SparkExecutor",
    "chunked",
    "describe_error",
    "run_here",
    "usable_cores",
]
