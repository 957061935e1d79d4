"""The ``leasebench`` entry point: a dataset, two trainers, an extractor, a command group."""

from __future__ import annotations

import click
from leasebench.hookspecs import Register, hookimpl


@hookimpl
def register_datasets(register: Register) -> None:
    from .uc_table import UCTableDataset

    register(UCTableDataset)


@hookimpl
def register_trainers(register: Register) -> None:
    from .finetune import DatabricksFinetuneTrainer
    from .jobs import DatabricksJobTrainer

    register(DatabricksFinetuneTrainer)
    register(DatabricksJobTrainer)


@hookimpl
def register_extractors(register: Register) -> None:
    from .ai_query import AIQueryExtractor

    register(AIQueryExtractor)


@hookimpl
def register_commands(cli: click.Group) -> None:
    from .cli import databricks

    cli.add_command(databricks)


__all__ = [
    "register_commands",
    "register_datasets",
    "register_extractors",
    "register_trainers",
]
