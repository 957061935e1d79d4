"""Load a manifest file and report every problem at once, each with its location."""

from __future__ import annotations

import itertools
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import ManifestError, PluginError
from ..hashing import stable_hash
from ..limits import LimitsSpec, env_problems
from ..nearest import did_you_mean, keys_at
from ..plugin_manager import Registry
from .cross import cross_field_problems
from .models import Manifest
from .yaml_read import ManifestText, read_manifest_yaml

UNION_TAGS = ("BuiltinData", "FileData", "DatasetData", "builtin", "files", "dataset")


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
        """The run id's source: the resolved manifest without `limits` and `executor` (they
        change no result)."""
        return stable_hash({k: v for k, v in self.resolved.items()
                            if k not in ("limits", "executor")})


def _loc(parts: tuple[Any, ...]) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def format_errors(exc: ValidationError, prefix: str = "",
                  model: type[BaseModel] | None = None,
                  only: Collection[str] | None = None) -> list[str]:
    """One line per pydantic error: ``rounds[2].synthetic_batches: message``; with the
    ``model`` validated, an unknown key names the key it is nearest to; with ``only``,
    just the errors under those top-level keys."""
    problems = []
    for err in exc.errors():
        if only is not None and not (err["loc"] and err["loc"][0] in only):
            continue
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and "[" in p))
        if loc and loc[0] == "data" and len(loc) > 1 and loc[1] in UNION_TAGS:
            loc = (loc[0], *loc[2:])
        where = _loc(loc)
        where = f"{prefix}.{where}" if prefix and where != "(top level)" else prefix or where
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown key"
            if model is not None and loc:
                msg += did_you_mean(str(loc[-1]), keys_at(model, loc))
        if where == "(top level)" and err["type"] == "value_error":
            problems += msg.split("; ")  # a model check: each part names its own key
            continue
        problems.append(f"{where}: {msg}")
    return sorted(set(problems), key=problems.index)


def read_yaml(path: Path) -> Any:
    """The data of a manifest file (strict: see ``yaml_read``)."""
    return read_manifest_yaml(path).data


FAMILY_OF_SECTION = {
    "generator": "generator",
    "judges": "judge",
    "trainer": "trainer",
    "baseline": "extractor",
    "scorers": "scorer",
    "reporters": "reporter",
    "executor": "executor",
}
ARM_SECTIONS = {"extractors": "extractor", "trainers": "trainer"}


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
    for section, family in ARM_SECTIONS.items():
        arms = raw.get(section)
        if not isinstance(arms, dict):
            continue
        for arm, spec in arms.items():
            if isinstance(spec, dict) and isinstance(spec.get("name"), str):
                entries.append((f"{section}.{arm}", family, spec))
    return entries


def sweep_trials(sweep: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """Every combination of the sweep values, in key order (one empty trial if no sweep)."""
    keys = list(sweep)
    return [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*sweep.values())]


def sweep_size(sweep: Any) -> int:
    """How many trials a sweep grid makes (without making them)."""
    size = 1
    if isinstance(sweep, dict):
        for values in sweep.values():
            size *= len(values) if isinstance(values, list) else 1
    return size


def _sweep_problems(
    spec: dict[str, Any], params_model: type[BaseModel], limits: LimitsSpec,
    loc: str = "trainer",
) -> list[str]:
    sweep = spec.get("sweep") or {}
    if not isinstance(sweep, dict):
        return []
    problems = []
    for key, values in sweep.items():
        if key not in params_model.model_fields:
            problems.append(f"{loc}.sweep.{key}: unknown key for trainer {spec['name']!r}"
                            + did_you_mean(key, params_model.model_fields))
        elif not isinstance(values, list) or not values:
            problems.append(f"{loc}.sweep.{key}: give a non-empty list of values")
    too_many = limits.exceeded(f"{loc}.sweep", "sweep_trials", sweep_size(sweep), "")
    if problems or too_many:
        return problems
    base = spec.get("params") or {}
    for i, trial in enumerate(sweep_trials(sweep)):
        try:
            params_model.model_validate({**base, **trial})
        except ValidationError as exc:  # the trial's own values only: a problem of
            problems += format_errors(  # `params` is reported once, under `params`
                exc, f"{loc}.sweep (trial {i}: {trial})", only=list(trial))
    return problems


def validate_components(
    raw: dict[str, Any], registry: Registry, limits: LimitsSpec | None = None
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
            problems += format_errors(exc, f"{loc}.params", params_model)
        if family == "trainer":
            problems += _sweep_problems(spec, params_model, limits or LimitsSpec(), loc)
    return problems, resolved


def raw_limits(raw: dict[str, Any]) -> LimitsSpec:
    """The manifest's `limits` block, or the defaults when it is missing or invalid."""
    try:
        return LimitsSpec.model_validate(raw.get("limits") or {})
    except ValidationError:
        return LimitsSpec()  # reported by the manifest model


def _int(value: Any) -> int | None:
    """A whole number as the manifest model will read it (``1.0e+12`` included)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def limit_problems(raw: dict[str, Any], limits: LimitsSpec) -> list[str]:
    """Values over a size limit, found on the raw mapping so nothing big is built first."""
    checks: list[tuple[str, str, Any]] = []
    generator, stats, data = raw.get("generator"), raw.get("stats"), raw.get("data")
    if isinstance(generator, dict):
        checks.append(("generator.batch_size", "batch_size", generator.get("batch_size")))
    if isinstance(stats, dict):
        checks.append(("stats.bootstrap", "bootstrap", stats.get("bootstrap")))
    if isinstance(data, dict) and "builtin" in data:
        checks += [(f"data.{k}", "records", data.get(k)) for k in ("train", "holdout")]
    rounds = raw.get("rounds")
    for i, spec in enumerate(rounds if isinstance(rounds, list) else []):
        if isinstance(spec, dict):
            checks.append((f"rounds[{i}].synthetic_batches", "batches",
                           spec.get("synthetic_batches")))
    problems = []
    for key, name, value in checks:
        number = _int(value)
        problem = None if number is None else limits.exceeded(key, name, number)
        if problem:
            problems.append(problem)
    trainers = [("trainer", raw.get("trainer"))]
    arms = raw.get("trainers")
    if isinstance(arms, dict):
        trainers += [(f"trainers.{arm}", spec) for arm, spec in arms.items()]
    for loc, trainer in trainers:
        if not isinstance(trainer, dict):
            continue
        problem = limits.exceeded(f"{loc}.sweep", "sweep_trials",
                                  sweep_size(trainer.get("sweep")), "trials in the grid")
        repeats = _int(trainer.get("repeats"))
        more = None if repeats is None else limits.exceeded(f"{loc}.repeats", "repeats", repeats)
        problems += [p for p in (problem, more) if p]
    return problems


def with_lines(problems: list[str], text: ManifestText) -> list[str]:
    """Each problem with the line of its key, where the key is in the file."""
    out = []
    for problem in problems:
        where = problem.split(": ", 1)[0]
        if where.startswith("line ") or " (" in where:
            where = where.split(" (", 1)[0]
            if where.startswith("line "):
                out.append(problem)
                continue
        loc = tuple(int(p) if p.isdigit() else p
                    for p in where.replace("]", "").replace("[", ".").split(".") if p)
        line = text.line_of(loc) if loc and where != "(top level)" else None
        out.append(f"{problem} (line {line})" if line else problem)
    return out


def load_manifest(path: Path, registry: Registry) -> LoadedManifest:
    """Parse, validate and resolve a manifest; raise ``ManifestError`` with every problem."""
    text = read_manifest_yaml(path)
    raw = text.data
    if not isinstance(raw, dict):
        raise ManifestError(str(path), [*text.problems, "(top level): expected a mapping of keys"])
    limits = raw_limits(raw)
    problems: list[str] = env_problems() + limit_problems(raw, limits)
    manifest: Manifest | None = None
    try:
        manifest = Manifest.model_validate(raw)
    except ValidationError as exc:
        problems += [p for p in format_errors(exc, model=Manifest) if p not in problems]
        problems += [p for p in cross_field_problems(raw, exc, format_errors)
                     if p not in problems]
    component_problems, params = validate_components(raw, registry, limits)
    problems += [p for p in component_problems if p not in problems]
    problems = text.problems + with_lines(problems, text)
    if problems or manifest is None:
        raise ManifestError(str(path), problems)
    resolved = manifest.model_dump(mode="json", by_alias=True)
    for loc, values in params.items():
        node: Any = resolved
        section, _, rest = loc.partition(".")
        parts = [section, rest] if section in ARM_SECTIONS else \
            loc.replace("]", "").replace("[", ".").split(".")
        for part in parts:
            node = node[int(part)] if part.isdigit() and section not in ARM_SECTIONS \
                else node[part]
        node["params"] = values
    return LoadedManifest(path.resolve(), manifest, resolved)


__all__ = [
    "LoadedManifest",
    "format_errors",
    "limit_problems",
    "load_manifest",
    "read_yaml",
    "sweep_trials",
    "validate_components",
    "with_lines",
]
