"""Stages ``load`` and ``split``: labelled records in, train and hold-out out."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..components import Context, LoadedData
from ..errors import DataError
from ..hashing import file_hash, stable_hash
from ..io import read_jsonl, read_records, write_jsonl
from ..manifest.models import BuiltinData, DatasetData, FileData
from ..records import Record
from ..schema import FieldSchema
from .env import RunEnv
from .store import Stage, StageStore


def builtin_datasets() -> dict[str, Any]:
    from ..corpus import BUILTIN_DATASETS

    return BUILTIN_DATASETS


def _resolve(base: Path, name: str) -> Path:
    path = Path(name)
    return path if path.is_absolute() else base / path


def load_key(data: BuiltinData | FileData, seed: int, base: Path) -> dict[str, Any]:
    """What the loaded records depend on: the built-in generator's args or file contents."""
    if isinstance(data, BuiltinData):
        datasets = builtin_datasets()
        if data.builtin not in datasets:
            known = ", ".join(sorted(datasets))
            raise DataError(f"data.builtin: unknown dataset {data.builtin!r}; known: {known}")
        from .. import __version__

        return {"builtin": data.builtin, "train": data.train, "holdout": data.holdout,
                "seed": data.seed if data.seed is not None else seed, "version": __version__}
    files = {k: getattr(data, k) for k in ("train", "holdout", "source") if getattr(data, k)}
    hashes = {}
    for key, name in files.items():
        path = _resolve(base, name)
        if not path.exists():
            raise DataError(f"data.{key}: {path}: no such file")
        hashes[key] = file_hash(path)
    return {"files": hashes, "holdout_fraction": data.holdout_fraction}


def run_load(stage: Stage, data: BuiltinData | FileData, seed: int, base: Path) -> None:
    """Write ``train.jsonl`` + ``holdout.jsonl``, or ``records.jsonl`` for a single source."""
    if isinstance(data, BuiltinData):
        train, holdout = builtin_datasets()[data.builtin](
            data.train, data.holdout, data.seed if data.seed is not None else seed
        )
        write_jsonl(stage.path / "train.jsonl", train)
        write_jsonl(stage.path / "holdout.jsonl", holdout)
        stage.finish(["train.jsonl", "holdout.jsonl"])
    elif data.source is not None:
        write_jsonl(stage.path / "records.jsonl", read_records(_resolve(base, data.source)))
        stage.finish(["records.jsonl"])
    else:
        assert data.train is not None and data.holdout is not None
        write_jsonl(stage.path / "train.jsonl", read_records(_resolve(base, data.train)))
        write_jsonl(stage.path / "holdout.jsonl", read_records(_resolve(base, data.holdout)))
        stage.finish(["train.jsonl", "holdout.jsonl"])


def dataset_load(env: RunEnv, data: DatasetData) -> tuple[dict[str, Any], Callable[[Stage], None]]:
    """The ``load`` key of a dataset component, and how to write the stage.

    With a fingerprint the key is (component, fingerprint) and loading waits until the stage
    must run; without one the records are loaded now and the key is their content hash.
    """
    dataset = env.component("dataset", data.dataset, data.params)
    workdir = env.store.root / "scratch" / "dataset"
    workdir.mkdir(parents=True, exist_ok=True)
    ctx = Context(schema=env.schema, seed=env.seed, workdir=workdir, stage="load",
                  quiet=env.log.quiet)
    identity = env.identity(dataset)
    fingerprint = dataset.fingerprint(ctx)
    if fingerprint is not None:
        return {"dataset": identity, "fingerprint": fingerprint}, (
            lambda stage: _write_loaded(stage, dataset.load(ctx), data.dataset)
        )
    loaded = dataset.load(ctx)
    content = stable_hash([
        [r.model_dump(mode="json") for r in loaded.train],
        None if loaded.holdout is None else [r.model_dump(mode="json") for r in loaded.holdout],
    ])
    return {"dataset": identity, "content": content}, (
        lambda stage: _write_loaded(stage, loaded, data.dataset)
    )


def _write_loaded(stage: Stage, loaded: LoadedData, name: str) -> None:
    for part in (loaded.train, loaded.holdout or []):
        bad = next((r for r in part if not isinstance(r, Record)), None)
        if bad is not None:
            raise DataError(f"dataset {name!r} returned {type(bad).__name__}, not a Record")
    if loaded.holdout is None:
        write_jsonl(stage.path / "records.jsonl", loaded.train)
        stage.finish(["records.jsonl"])
    else:
        write_jsonl(stage.path / "train.jsonl", loaded.train)
        write_jsonl(stage.path / "holdout.jsonl", loaded.holdout)
        stage.finish(["train.jsonl", "holdout.jsonl"])


def conform(records: list[Record], schema: FieldSchema, where: str) -> list[Record]:
    """Records with every schema field present (absent -> []); unknown fields are an error."""
    known = set(schema.fields)
    out = []
    for record in records:
        extra = sorted(set(record.labels) - known)
        if extra:
            raise DataError(
                f"{where}: record {record.id!r} has label(s) not in schema "
                f"{schema.name!r}: {', '.join(extra)}"
            )
        labels = {f: list(record.labels.get(f, [])) for f in schema.fields}
        out.append(record.model_copy(update={"labels": labels}))
    return out


def run_split(
    stage: Stage, loaded: Stage, data: BuiltinData | FileData | DatasetData, seed: int,
    schema: FieldSchema,
) -> None:
    """Seeded split of a single source, or pass-through of given train/hold-out sets."""
    if (loaded.path / "records.jsonl").exists():
        records = read_jsonl(loaded.path / "records.jsonl", Record)
        order = sorted(records, key=lambda r: r.id)
        random.Random(f"{seed}|split").shuffle(order)
        assert isinstance(data, (FileData, DatasetData))
        n_hold = max(1, round(len(order) * data.holdout_fraction))
        if n_hold >= len(order):
            raise DataError("data: holdout_fraction leaves no train records")
        holdout, train = order[:n_hold], order[n_hold:]
    else:
        train = read_jsonl(loaded.path / "train.jsonl", Record)
        holdout = read_jsonl(loaded.path / "holdout.jsonl", Record)
    shared = sorted({r.id for r in train} & {r.id for r in holdout})
    if shared:
        raise DataError(f"data: ids in both train and hold-out: {', '.join(shared[:5])}")
    write_jsonl(stage.path / "train.jsonl", conform(train, schema, "data.train"))
    write_jsonl(stage.path / "holdout.jsonl", conform(holdout, schema, "data.holdout"))
    stage.finish(["train.jsonl", "holdout.jsonl"])


def split_records(stage: Stage) -> tuple[list[Record], list[Record]]:
    return (
        read_jsonl(stage.path / "train.jsonl", Record),
        read_jsonl(stage.path / "holdout.jsonl", Record),
    )


__all__ = [
    "StageStore",
    "conform",
    "dataset_load",
    "load_key",
    "run_load",
    "run_split",
    "split_records",
]
