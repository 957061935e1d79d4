"""Load a manifest file and report every problem at once, each with its location."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from ..errors import ManifestError, PluginError
from ..hashing import stable_hash
from ..plugin_manager import Registry
from .models import Manifest


@dataclass(frozen=True)
class LoadedManifest:
    """A validated manifest, its directory (for relative paths) and resolved params."""

    path: Path
    manifest: Manifest
    resolved: dict[str, Any]

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    @property
    def hash(self) -> str:
        return stable_hash(self.resolved)


def _loc(parts: tuple[Any, ...]) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def format_errors(exc: ValidationError, prefix: str = "") -> list[str]:
    """One line per pydantic error: ``rounds[2].synthetic_batches: message``."""
    problems = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and "[" in p))
        loc = tuple(p for p in loc if p not in ("BuiltinData", "FileData", "DatasetData"))
        where = _loc(loc)
        where = f"{prefix}.{where}" if prefix and where != "(top level)" else prefix or where
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown key"
        problems.append(f"{where}: {msg}")
    return sorted(set(problems), key=problems.index)


def read_yaml(path: Path) -> Any:
    if not path.exists():
        raise ManifestError(str(path), ["no such file"])
    try:
        return yaml.safe_load(path.read_text("utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "YAML"
        raise ManifestError(str(path), [f"{where}: invalid YAML: {exc}"]) from exc


FAMILY_OF_SECTION = {
    "generator": "generator",
    "judges": "judge",
    "trainer": "trainer",
    "baseline": "extractor",
    "scorers": "scorer",
    "reporters": "reporter",
}


def _component_entries(raw: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(location, family, raw spec) for every component named in a raw manifest mapping."""
    entries = []
    data = raw.get("data")
    if isinstance(data, dict) and isinstance(data.get("dataset"), str):
        entries.append(("data", "dataset", {"name": data["dataset"], "params": data.get("params")}))
    for section, family in FAMILY_OF_SECTION.items():
        value = raw.get(section)
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for i, spec in items:
            if isinstance(spec, dict) and isinstance(spec.get("name"), str):
                loc = section if i is None else f"{section}[{i}]"
                entries.append((loc, family, spec))
    return entries


def sweep_trials(sweep: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """Every combination of the sweep values, in key order (one empty trial if no sweep)."""
    keys = list(sweep)
    return [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*sweep.values())]


def _sweep_problems(spec: dict[str, Any], params_model: type[BaseModel]) -> list[str]:
    sweep = spec.get("sweep") or {}
    if not isinstance(sweep, dict):
        return []
    problems = []
    for key, values in sweep.items():
        if key not in params_model.model_fields:
            problems.append(f"trainer.sweep.{key}: unknown key for trainer {spec['name']!r}")
        elif not isinstance(values, list) or not values:
            problems.append(f"trainer.sweep.{key}: give a non-empty list of values")
    if problems:
        return problems
    base = spec.get("params") or {}
    for i, trial in enumerate(sweep_trials(sweep)):
        try:
            params_model.model_validate({**base, **trial})
        except ValidationError as exc:
            problems += format_errors(exc, f"trainer.sweep (trial {i}: {trial})")
    return problems


def validate_components(
    raw: dict[str, Any], registry: Registry
) -> tuple[list[str], dict[str, Any]]:
    """Problems with component names and params, and the params with defaults filled in."""
    problems: list[str] = []
    resolved: dict[str, Any] = {}
    for loc, family, spec in _component_entries(raw):
        try:
            cls = registry.get(family, spec["name"])
        except PluginError as exc:
            problems.append(f"{loc}.{'dataset' if loc == 'data' else 'name'}: {exc}")
            continue
        params_model: type[BaseModel] = cls.Params
        params = spec.get("params") or {}
        if not isinstance(params, dict):
            continue  # reported by the manifest model
        try:
            resolved[loc] = params_model.model_validate(params).model_dump(mode="json")
        except ValidationError as exc:
            problems += format_errors(exc, f"{loc}.params")
        if family == "trainer":
            problems += _sweep_problems(spec, params_model)
    return problems, resolved


def load_manifest(path: Path, registry: Registry) -> LoadedManifest:
    """Parse, validate and resolve a manifest; raise ``ManifestError`` with every problem."""
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise ManifestError(str(path), ["(top level): expected a mapping of keys"])
    problems: list[str] = []
    manifest: Manifest | None = None
    try:
        manifest = Manifest.model_validate(raw)
    except ValidationError as exc:
        problems += format_errors(exc)
    component_problems, params = validate_components(raw, registry)
    problems += [p for p in component_problems if p not in problems]
    if problems or manifest is None:
        raise ManifestError(str(path), problems)
    resolved = manifest.model_dump(mode="json", by_alias=True)
    for loc, values in params.items():
        node: Any = resolved
        for part in loc.replace("]", "").replace("[", ".").split("."):
            node = node[int(part)] if part.isdigit() else node[part]
        node["params"] = values
    return LoadedManifest(path.resolve(), manifest, resolved)


__all__ = [
    "LoadedManifest",
    "format_errors",
    "load_manifest",
    "sweep_trials",
    "validate_components",
]
