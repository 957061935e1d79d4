"""Plugin manager factory and the component registry built from it.

Built-in plugin modules and entry-point plugins (group ``leasebench``) go through the
same path: ``pm.register(module)``, then each ``register_*`` hook is called once per
plugin with a ``register`` callback that checks the class and records which
distribution provided it.

Environment:
  LEASEBENCH_PLUGINS      comma-separated distribution (or entry-point) names: load only
                          these external plugins; set but empty: load none.
  LEASEBENCH_TRACE_HOOKS  non-empty: trace every hook call to stderr.
"""

from __future__ import annotations

import importlib
import importlib.metadata as md
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import pluggy
from pydantic import BaseModel

from . import __version__, hookspecs
from .errors import PluginError

if TYPE_CHECKING:
    from .components import Component

C = TypeVar("C", bound="Component[Any]")

ENTRY_POINT_GROUP = "leasebench"
ENV_PLUGINS = "LEASEBENCH_PLUGINS"
ENV_TRACE = "LEASEBENCH_TRACE_HOOKS"
BUILTIN_MODULES = (
    "leasebench.builtins.datasets",
    "leasebench.builtins.generators",
    "leasebench.builtins.judges",
    "leasebench.builtins.trainers",
    "leasebench.builtins.extractors",
    "leasebench.builtins.scorers",
    "leasebench.builtins.reporters",
    "leasebench.builtins.llm",
    "leasebench.builtins.executors",
    "leasebench.builtins.commands",
)
FAMILY_METHODS = {
    "dataset": "load",
    "generator": "generate",
    "judge": "judge",
    "trainer": "train",
    "extractor": "extract",
    "scorer": "score",
    "reporter": "report",
    "executor": "map",
}
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.\-]*(/[a-z0-9][a-z0-9_.\-]*)?\Z")


@dataclass(frozen=True)
class Origin:
    """The distribution a plugin came from."""

    distribution: str
    version: str


class PluginManager(pluggy.PluginManager):
    """A pluggy manager that remembers each plugin's distribution."""

    def __init__(self) -> None:
        super().__init__("leasebench")
        self.origins: dict[str, Origin] = {}

    def register_plugin(self, plugin: Any, name: str, distribution: str, version: str) -> None:
        self.register(plugin, name=name)
        self.origins[name] = Origin(distribution, version)


def get_plugin_manager(*, entry_points: bool = True) -> PluginManager:
    """A fresh manager: specs, built-ins, entry-point plugins, then ``check_pending()``."""
    pm = PluginManager()
    pm.add_hookspecs(hookspecs)
    for module_name in BUILTIN_MODULES:
        module = importlib.import_module(module_name)
        pm.register_plugin(module, module_name, "leasebench", __version__)
    if entry_points:
        load_entry_points(pm)
    if os.environ.get(ENV_TRACE):
        pm.trace.root.setwriter(sys.stderr.write)
        pm.enable_tracing()
    pm.check_pending()
    return pm


def _allowed() -> set[str] | None:
    raw = os.environ.get(ENV_PLUGINS)
    if raw is None:
        return None
    return {part.strip() for part in raw.split(",") if part.strip()}


def load_entry_points(pm: PluginManager) -> None:
    """Load every ``leasebench`` entry point; an import failure is an error naming it."""
    allowed = _allowed()
    for ep in sorted(md.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        dist = ep.dist.name if ep.dist is not None else "unknown"
        version = ep.dist.version if ep.dist is not None else "unknown"
        if allowed is not None and dist not in allowed and ep.name not in allowed:
            continue
        try:
            plugin = ep.load()
        except Exception as exc:
            raise PluginError(
                f"plugin {ep.name!r} from distribution {dist} {version} failed to import "
                f"({ep.value}): {type(exc).__name__}: {exc}"
            ) from exc
        pm.register_plugin(plugin, f"{dist}:{ep.name}", dist, version)


@dataclass(frozen=True)
class ComponentInfo:
    family: str
    name: str
    cls: type[Component[Any]]
    distribution: str
    dist_version: str

    @property
    def version(self) -> str:
        return str(getattr(self.cls, "version", "1"))

    def describe(self) -> dict[str, str]:
        doc = (self.cls.__doc__ or "").strip().splitlines()
        return {
            "family": self.family,
            "name": self.name,
            "distribution": self.distribution,
            "distribution_version": self.dist_version,
            "component_version": self.version,
            "summary": doc[0] if doc else "",
        }


@dataclass
class Registry:
    """Every component the loaded plugins provide, by family and name."""

    pm: PluginManager
    components: dict[str, dict[str, ComponentInfo]] = field(default_factory=dict)

    def get(self, family: str, name: str) -> type[Component[Any]]:
        return self.info(family, name).cls

    def get_as(self, family: type[C], name: str) -> type[C]:
        """The ``family`` component ``name`` (``registry.get_as(Extractor, "crf")``)."""
        cls = self.get(family.family, name)
        if not issubclass(cls, family):
            raise PluginError(f"{family.family} {name!r} ({cls.__qualname__}) does not "
                              f"subclass leasebench.components.{family.__name__}")
        return cls

    def info(self, family: str, name: str) -> ComponentInfo:
        found = self.components.get(family, {})
        if name not in found:
            known = ", ".join(sorted(found)) or "none"
            raise PluginError(f"unknown {family} {name!r}; known: {known}")
        return found[name]

    def names(self, family: str) -> list[str]:
        return sorted(self.components.get(family, {}))

    def describe(self) -> list[dict[str, str]]:
        return [
            info.describe()
            for family in FAMILY_METHODS
            for _, info in sorted(self.components.get(family, {}).items())
        ]


def check_component(family: str, cls: Any) -> str:
    """The component's name, after checking it honours its family's contract."""
    label = getattr(cls, "__qualname__", repr(cls))
    if not isinstance(cls, type):
        raise PluginError(f"{family} registration got {cls!r}, not a class")
    name = getattr(cls, "name", None)
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise PluginError(
            f"{family} class {label}: 'name' must be a lowercase string like 'swap' or "
            f"'mypkg/swap', got {name!r}"
        )
    params = getattr(cls, "Params", None)
    if not (isinstance(params, type) and issubclass(params, BaseModel)):
        raise PluginError(f"{family} {name!r} ({label}): 'Params' must be a pydantic model")
    if params.model_config.get("extra") != "forbid":
        raise PluginError(
            f"{family} {name!r} ({label}): Params must set model_config extra='forbid' "
            "so a typo in a manifest is an error"
        )
    method = FAMILY_METHODS[family]
    if not callable(getattr(cls, method, None)):
        raise PluginError(f"{family} {name!r} ({label}): missing method {method}()")
    return name


def _plugins_with(pm: PluginManager, hook_name: str) -> Iterable[Any]:
    caller = getattr(pm.hook, hook_name)
    seen: list[Any] = []
    for impl in caller.get_hookimpls():
        if impl.plugin not in seen:
            seen.append(impl.plugin)
    return seen


def _registrar(family: str, origin: Origin, found: dict[str, ComponentInfo]) -> Any:
    """The ``register`` callback one plugin gets for one family."""

    def register(cls: Any) -> None:
        name = check_component(family, cls)
        if name in found:
            other = found[name]
            raise PluginError(
                f"duplicate {family} name {name!r}: registered by {other.distribution} "
                f"({other.cls.__module__}.{other.cls.__qualname__}) and by "
                f"{origin.distribution} ({cls.__module__}.{cls.__qualname__})"
            )
        found[name] = ComponentInfo(family, name, cls, origin.distribution, origin.version)

    return register


def build_registry(pm: PluginManager | None = None) -> Registry:
    """Call every ``register_*`` hook, one plugin at a time, and collect the components."""
    pm = pm if pm is not None else get_plugin_manager()
    registry = Registry(pm)
    unknown = Origin("unknown", "unknown")
    for family, hook_name in hookspecs.FAMILY_HOOKS.items():
        found: dict[str, ComponentInfo] = {}
        plugins = list(_plugins_with(pm, hook_name))
        for plugin in plugins:
            origin = pm.origins.get(pm.get_name(plugin) or "", unknown)
            others = [p for p in plugins if p is not plugin]
            caller = pm.subset_hook_caller(hook_name, remove_plugins=others)
            caller(register=_registrar(family, origin, found))
        registry.components[family] = found
    return registry


__all__ = [
    "BUILTIN_MODULES",
    "ENTRY_POINT_GROUP",
    "ENV_PLUGINS",
    "ENV_TRACE",
    "ComponentInfo",
    "PluginManager",
    "Registry",
    "build_registry",
    "check_component",
    "get_plugin_manager",
    "load_entry_points",
]
