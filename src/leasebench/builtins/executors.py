"""Built-in executors."""

from __future__ import annotations

from ..executors import LocalExecutor, ProcessesExecutor, SparkExecutor
from ..hookspecs import Register, hookimpl


@hookimpl(trylast=True)
def register_executors(register: Register) -> None:
    register(LocalExecutor)
    register(ProcessesExecutor)
    register(SparkExecutor)
