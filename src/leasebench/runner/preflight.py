"""Every check ``run`` makes before its first stage, so ``validate`` can make them too.

``check_inputs`` gathers every problem at once: the schema file (exists, readable, UTF-8,
valid JSON, a valid field schema), the built-in dataset name, and each data file (exists,
a regular readable file within the size limit, a known format). With ``read_data`` it
also reads the records exactly as the ``load`` stage will (``read_file_data``: parse,
column mapping, unique ids, no id in both train and hold-out, labels in the schema, a
split that leaves train records) and checks that a trained round has records enough to
split into train and eval. A dataset component is not loaded (that may read a warehouse
table); its params were checked with the manifest.
"""

from __future__ import annotations

from ..data.rows import check_file
from ..errors import LeasebenchError, ManifestError
from ..manifest.load import LoadedManifest
from ..manifest.models import BuiltinData, FileData
from ..schema import FieldSchema, load_schema
from .data import builtin_datasets, data_files, read_file_data, read_options

MIN_TRAIN = 2  # a trained round splits its records into train and eval


def _strip(message: str) -> str:
    return message.removeprefix("Error: ")


def _file_problems(
    loaded: LoadedManifest, data: FileData, schema: FieldSchema | None, read_data: bool
) -> list[str]:
    fields = schema.fields if schema is not None else None
    options = read_options(data, fields)
    problems = []
    for key, path in data_files(data, loaded.base_dir).items():
        try:
            check_file(path, options)
        except LeasebenchError as exc:
            problems.append(f"data.{key}: {_strip(str(exc))}")
    if problems or not read_data:
        return problems
    try:
        parts = read_file_data(data, loaded.base_dir, fields)
    except LeasebenchError as exc:
        return [f"data: {_strip(str(exc))}"]
    if any(not r.baseline for r in loaded.manifest.rounds):
        n = len(parts.get("train", parts.get("source", [])))
        if "source" in parts:
            n -= max(1, round(n * data.holdout_fraction))
        if n < MIN_TRAIN:
            problems.append(
                f"data: {n} train record(s); a trained round needs at least {MIN_TRAIN} "
                "(its records are split into train and eval, `trainer.eval_fraction`)"
            )
    return problems


def check_inputs(
    loaded: LoadedManifest, *, read_data: bool = True
) -> tuple[FieldSchema | None, list[str]]:
    """The field schema (None if it failed) and every input problem found."""
    m = loaded.manifest
    problems: list[str] = []
    schema: FieldSchema | None = None
    try:
        schema = load_schema(m.schema_, loaded.base_dir)
    except LeasebenchError as exc:
        problems.append(f"schema: {_strip(str(exc))}")
    if isinstance(m.data, BuiltinData):
        known = builtin_datasets()
        if m.data.builtin not in known:
            problems.append(
                f"data.builtin: unknown dataset {m.data.builtin!r}; known: {', '.join(known)}"
            )
    elif isinstance(m.data, FileData):
        problems += _file_problems(loaded, m.data, schema, read_data and schema is not None)
    return schema, problems


def preflight(loaded: LoadedManifest, *, read_data: bool = True) -> FieldSchema:
    """The field schema, or ``ManifestError`` listing every input problem."""
    schema, problems = check_inputs(loaded, read_data=read_data)
    if problems or schema is None:
        raise ManifestError(str(loaded.path), problems)
    return schema


__all__ = ["MIN_TRAIN", "check_inputs", "preflight"]
