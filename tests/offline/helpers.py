"""Shared pieces of the offline-component tests: corpus samples and components by name."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from leasebench.components import Component, Context
from leasebench.corpus import lease_dataset
from leasebench.plugin_manager import build_registry
from leasebench.records import Record
from leasebench.schema import builtin_schema

SCHEMA = builtin_schema("lease")
REGISTRY = build_registry()


@lru_cache(maxsize=4)
def corpus(train: int, holdout: int, seed: int = 614) -> tuple[list[Record], list[Record]]:
    return lease_dataset(train, holdout, seed)


def component(family: str, name: str, **params) -> Component:
    cls = REGISTRY.get(family, name)
    return cls(cls.Params.model_validate(params))


def context(
    workdir: Path, train=(), holdout=(), seed: int = 0
) -> Context:
    workdir.mkdir(parents=True, exist_ok=True)
    return Context(
        schema=SCHEMA, seed=seed, workdir=workdir, train=tuple(train), holdout=tuple(holdout)
    )
