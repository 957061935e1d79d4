"""Every check ``run`` makes before its first stage, so ``validate`` can make them too.

``check_inputs`` gathers every problem at once: the schema file (exists, readable, UTF-8,
valid JSON, a valid field schema), the built-in dataset name, and each data file (exists,
a regular readable file within the size limit, a known format; a built-in dataset's split
given as a file too). With ``read_data`` it also reads the records exactly as the
``load`` stage will (``read_file_data``: parse, column mapping, unique ids, no id in both
train and hold-out, labels in the schema, a split that leaves train records) and checks
that a trained round has records enough for a train part and a dev split. A dataset
component is not loaded (that may read a warehouse table); its params were checked with
the manifest.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..data.rows import check_file
from ..errors import LeasebenchError, ManifestError
from ..limits import env_max_file_mb
from ..manifest.load import LoadedManifest, load_manifest, with_lines
from ..manifest.models import BuiltinData, FileData, GuardsSpec
from ..manifest.yaml_read import read_manifest_yaml
from ..memory import bootstrap_problem
from ..plugin_manager import Registry
from ..reach import spark_problem, tracking_problem
from ..records import Record
from ..schema import FieldSchema, load_schema
from .data import builtin_datasets, data_files, read_file_data, read_options, split_source
from .guards import leaked_pairs

MIN_TRAIN = 2  # a trained round needs a train part and a dev split


def _strip(message: str) -> str:
    return message.removeprefix("Error: ")


Guard = Callable[[dict[str, list[Record]]], list[str]]


def _file_problems(
    base: Path, data: FileData | BuiltinData, schema: FieldSchema | None, read_data: bool,
    trained: bool, guard: Guard | None = None,
) -> list[str]:
    fields = schema.fields if schema is not None else None
    try:
        env_max_file_mb()
    except LeasebenchError:
        return []  # a malformed LEASEBENCH_MAX_FILE_MB: reported once, with the manifest
    options = read_options(data, fields)
    problems = []
    for key, path in data_files(data, base).items():
        try:
            check_file(path, options)
        except LeasebenchError as exc:
            problems.append(f"data.{key}: {_strip(str(exc))}")
    if problems or not read_data:
        return problems
    try:
        parts = read_file_data(data, base, fields)
    except LeasebenchError as exc:
        return [f"data: {_strip(str(exc))}"]
    if guard is not None:
        problems += guard(parts)
    if trained:
        n = len(parts.get("train", parts.get("source", [])))
        if isinstance(data, BuiltinData) and isinstance(data.train, int):
            n = data.train
        if "source" in parts and isinstance(data, FileData):
            n -= max(1, round(n * data.holdout_fraction))
        if n < MIN_TRAIN:
            problems.append(
                f"data: {n} train record(s); a trained round needs at least {MIN_TRAIN} "
                "(a train part and a dev split, `dev.fraction`)"
            )
    return problems


def _inputs(
    base: Path, schema_spec: Any, data: Any, trained: bool, read_data: bool,
    guard: Guard | None = None,
) -> tuple[FieldSchema | None, list[str]]:
    problems: list[str] = []
    schema: FieldSchema | None = None
    if isinstance(schema_spec, str):
        try:
            schema = load_schema(schema_spec, base)
        except LeasebenchError as exc:
            problems.append(f"schema: {_strip(str(exc))}")
    if isinstance(data, BuiltinData):
        known = builtin_datasets()
        if data.builtin not in known:
            problems.append(
                f"data.builtin: unknown dataset {data.builtin!r}; known: {', '.join(known)}"
            )
        if data.files():
            problems += _file_problems(base, data, schema, read_data and schema is not None,
                                       trained)
    elif isinstance(data, FileData):
        problems += _file_problems(base, data, schema, read_data and schema is not None,
                                   trained, guard)
    return schema, problems


def _leakage_guard(guards: GuardsSpec, data: Any, seed: int) -> Guard | None:
    """With ``guards.leakage: error``, the check the run makes after its split stage."""
    if guards.leakage != "error" or not isinstance(data, FileData):
        return None

    def check(parts: dict[str, list[Record]]) -> list[str]:
        try:
            if "source" in parts:
                train, holdout = split_source(parts["source"], data.holdout_fraction, seed)
            else:
                train, holdout = parts.get("train", []), parts.get("holdout", [])
            leaked_pairs(train, holdout, guards, seed)
        except LeasebenchError as exc:
            return [f"guards.leakage: {_strip(str(exc))}"]
        return []

    return check


def check_inputs(
    loaded: LoadedManifest, *, read_data: bool = True
) -> tuple[FieldSchema | None, list[str]]:
    """The field schema (None if it failed) and every input problem found."""
    m = loaded.manifest
    trained = any(r.trained for r in m.rounds)
    schema, problems = _inputs(loaded.base_dir, m.schema_, m.data, trained, read_data,
                               _leakage_guard(m.guards, m.data, m.seed))
    if m.executor.name == "spark":
        master, remote = m.executor.params.get("master"), m.executor.params.get("remote")
        key = "executor.params." + ("remote" if remote else "master")
        problem = spark_problem(master if isinstance(master, str) else None,
                                remote if isinstance(remote, str) else None, key)
        problems += [problem] if problem else []
    if schema is not None:  # what the bootstrap will hold, against the memory there is now
        docs = m.data.holdout if isinstance(m.data, BuiltinData) else 0
        problem = bootstrap_problem(m.stats.bootstrap, len(schema.fields),
                                    docs if isinstance(docs, int) else 0)
        problems += [problem] if problem else []
    return schema, problems


def raw_input_problems(path: Path, raw: Any) -> list[str]:
    """Input problems of a manifest that failed validation, from the parts that parse."""
    if not isinstance(raw, dict):
        return []
    data = raw.get("data")
    try:
        if isinstance(data, dict) and "builtin" in data:
            data = BuiltinData.model_validate(data)
        else:
            data = FileData.model_validate(data) if isinstance(data, dict) and not (
                {"builtin", "dataset"} & set(data)) else None
    except ValidationError:
        data = None  # reported with the manifest's problems
    rounds = raw.get("rounds")
    if not isinstance(rounds, list):
        rounds = []
    trained = any(isinstance(r, dict) and r.get("synthetic_batches") is not None
                  for r in rounds)
    schema = raw.get("schema", "lease")
    try:
        guards = GuardsSpec.model_validate(raw.get("guards") or {})
        seed = raw.get("seed", 0)
        guard = _leakage_guard(guards, data, seed) if isinstance(seed, int) else None
    except ValidationError:
        guard = None
    return _inputs(path.resolve().parent, schema, data, trained, read_data=True,
                   guard=guard)[1]


def validate_manifest(path: Path, registry: Registry) -> LoadedManifest:
    """``load_manifest`` plus every input check, all problems in one ``ManifestError``."""
    try:
        loaded = load_manifest(path, registry)
    except ManifestError as exc:
        try:
            text = read_manifest_yaml(path)
        except LeasebenchError:
            raise exc from None
        extra = [p for p in raw_input_problems(path, text.data) if p not in exc.problems]
        raise ManifestError(exc.source, [*exc.problems, *with_lines(extra, text)]) from None
    _, problems = check_inputs(loaded)
    tracking = loaded.manifest.tracking
    if tracking.mlflow:
        from ..tracking import default_tracking_uri

        problem = tracking_problem(tracking.tracking_uri or default_tracking_uri())
        problems += [f"tracking: {problem}"] if problem else []
    if problems:
        raise ManifestError(str(path), with_lines(problems, read_manifest_yaml(path)))
    return loaded


def preflight(loaded: LoadedManifest, *, read_data: bool = True) -> FieldSchema:
    """The field schema, or ``ManifestError`` listing every input problem."""
    schema, problems = check_inputs(loaded, read_data=read_data)
    if problems or schema is None:
        raise ManifestError(str(loaded.path), problems)
    return schema


__all__ = ["MIN_TRAIN", "check_inputs", "preflight", "raw_input_problems", "validate_manifest"]
