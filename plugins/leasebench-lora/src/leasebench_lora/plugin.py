"""The plugin module named by the ``leasebench`` entry point."""

from __future__ import annotations

from leasebench.hookspecs import Register, hookimpl

from .extractor import HFExtractor
from .trainer import LoraTrainer


@hookimpl
def register_trainers(register: Register) -> None:
    register(LoraTrainer)


@hookimpl
def register_extractors(register: Register) -> None:
    register(HFExtractor)


__all__ = ["register_extractors", "register_trainers"]
