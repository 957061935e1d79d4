"""The plugin hooks. Each ``register_*`` hook gets a ``register`` callback to call once
per component class the plugin provides."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
import pluggy

hookspec = pluggy.HookspecMarker("leasebench")
hookimpl = pluggy.HookimplMarker("leasebench")

Register = Callable[[type[Any]], None]


@hookspec
def register_datasets(register: Register) -> None:
    """Register dataset classes (subclasses of ``components.Dataset``)."""


@hookspec
def register_generators(register: Register) -> None:
    """Register synthetic-data generator classes (subclasses of ``components.Generator``)."""


@hookspec
def register_judges(register: Register) -> None:
    """Register judge classes (subclasses of ``components.Judge``)."""


@hookspec
def register_trainers(register: Register) -> None:
    """Register trainer classes (subclasses of ``components.Trainer``)."""


@hookspec
def register_extractors(register: Register) -> None:
    """Register extractor classes (subclasses of ``components.Extractor``)."""


@hookspec
def register_scorers(register: Register) -> None:
    """Register scorer classes (subclasses of ``components.Scorer``)."""


@hookspec
def register_reporters(register: Register) -> None:
    """Register reporter classes (subclasses of ``components.Reporter``)."""


@hookspec
def register_executors(register: Register) -> None:
    """Register executor classes (subclasses of ``components.Executor``)."""


@hookspec
def register_commands(cli: click.Group) -> None:
    """Add click commands to the ``leasebench`` command group."""


FAMILY_HOOKS: dict[str, str] = {
    "dataset": "register_datasets",
    "generator": "register_generators",
    "judge": "register_judges",
    "trainer": "register_trainers",
    "extractor": "register_extractors",
    "scorer": "register_scorers",
    "reporter": "register_reporters",
    "executor": "register_executors",
}

__all__ = ["FAMILY_HOOKS", "Register", "hookimpl", "hookspec"]
