"""Stages ``load`` and ``split``: labelled records in, train and hold-out out."""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..components import Context, Dataset, Executor, LoadedData
from ..data.columns import ReadOptions
from ..data.reader import check_disjoint, read_records
from ..data.rows import check_file
from ..errors import DataError
from ..hashing import file_hash, stable_hash
from ..io import read_jsonl, write_jsonl
from ..manifest.models import BuiltinData, DatasetData, FileData
from ..records import Record
from ..schema import FieldSchema
from .env import RunEnv
from .store import Stage, StageStore
from .streams import RecordFile


def builtin_datasets() -> dict[str, Any]:
    from ..corpus import BUILTIN_DATASETS

    return BUILTIN_DATASETS


def _resolve(base: Path, name: str) -> Path:
    path = Path(name)
    return path if path.is_absolute() else base / path


def read_options(data: FileData | BuiltinData, fields: list[str] | None) -> ReadOptions:
    """How ``data``'s files are read: its column mapping, absent markers and size limit."""
    return ReadOptions(
        columns=data.columns, absent=tuple(data.absent), fields=tuple(fields or ()) or None,
        max_bytes=None if data.max_file_mb is None else int(data.max_file_mb * 1024 * 1024),
        limit_hint="set data.max_file_mb in the manifest",
    )


def data_files(data: FileData | BuiltinData, base: Path) -> dict[str, Path]:
    """``{"train": path, "holdout": path}`` or ``{"source": path}``, resolved; for a
    built-in dataset the split given as a file, if any."""
    if isinstance(data, BuiltinData):
        names = data.files()
    else:
        names = {k: getattr(data, k) for k in ("train", "holdout", "source") if getattr(data, k)}
    return {k: _resolve(base, name) for k, name in names.items()}


def _file_key(data: FileData | BuiltinData, base: Path, fields: list[str] | None
              ) -> dict[str, Any]:
    """The files' content hashes and how they are read."""
    options = read_options(data, fields)
    hashes = {}
    for key, path in data_files(data, base).items():
        try:
            check_file(path, options)
        except DataError as exc:
            raise DataError(f"data.{key}: {exc}") from None
        hashes[key] = file_hash(path)
    read = {"columns": data.columns.model_dump(mode="json"), "absent": sorted(data.absent),
            "fields": fields}
    return {"files": hashes, "read": read}


def load_key(
    data: BuiltinData | FileData, seed: int, base: Path, fields: list[str] | None = None
) -> dict[str, Any]:
    """What the loaded records depend on: the built-in generator's args, or the files'
    contents and how they are read."""
    if isinstance(data, BuiltinData):
        datasets = builtin_datasets()
        if data.builtin not in datasets:
            known = ", ".join(sorted(datasets))
            raise DataError(f"data.builtin: unknown dataset {data.builtin!r}; known: {known}")
        from .. import __version__

        files = data.files()
        key = {"builtin": data.builtin, "train": "file" if "train" in files else data.train,
               "holdout": "file" if "holdout" in files else data.holdout,
               "seed": data.seed if data.seed is not None else seed, "version": __version__}
        return {**key, **_file_key(data, base, fields)} if files else key
    found: dict[str, Any] = {**_file_key(data, base, fields),
                             "holdout_fraction": data.holdout_fraction}
    return {**found, "limit": data.limit} if data.limit else found


def read_file_data(
    data: FileData | BuiltinData, base: Path, fields: list[str] | None
) -> dict[str, list[Record]]:
    """The records of each file (``train``/``holdout``, ``source``, or a built-in
    dataset's split given as a file); shared ids across train and hold-out are an error
    naming both files."""
    options = read_options(data, fields)
    files = data_files(data, base)
    parts = {key: read_records(path, options) for key, path in files.items()}
    limit = data.limit if isinstance(data, FileData) else None
    if limit:  # a smoke run: the first records of each file
        parts = {key: records[:limit] for key, records in parts.items()}
    check_disjoint([(f"{key} ({files[key]})", records) for key, records in parts.items()])
    if "source" in parts and isinstance(data, FileData):
        n = len(parts["source"])
        if max(1, round(n * data.holdout_fraction)) >= n:
            raise DataError(f"data.source: {files['source']}: {n} record(s) with "
                            f"holdout_fraction {data.holdout_fraction} leaves no train records")
    return parts


RANGE = 500


def builtin_stream(name: str, split: str, n: int, seed: int, executor: Executor | None
                   ) -> Iterator[Record]:
    """``n`` documents of a built-in range dataset, in order, made in ranges by the executor."""
    from ..corpus import BUILTIN_RANGES

    make = BUILTIN_RANGES[name]
    calls = [functools.partial(make, split, start, min(RANGE, n - start), seed)
             for start in range(0, n, RANGE)]
    if executor is None or len(calls) < 2:
        for call in calls:
            yield from call()
        return
    ready: dict[int, list[Record]] = {}
    want = 0
    for index, records in executor.call_each(calls):
        ready[index] = records
        while want in ready:
            yield from ready.pop(want)
            want += 1


def run_load(
    stage: Stage, data: BuiltinData | FileData, seed: int, base: Path,
    fields: list[str] | None = None, executor: Executor | None = None,
) -> None:
    """Write ``train.jsonl`` + ``holdout.jsonl``, or ``records.jsonl`` for a single source."""
    if isinstance(data, BuiltinData):
        from ..corpus import BUILTIN_RANGES

        data_seed = data.seed if data.seed is not None else seed
        files = read_file_data(data, base, fields) if data.files() else {}
        counts = {k: n for k in ("train", "holdout") if isinstance(n := getattr(data, k), int)}
        if data.builtin in BUILTIN_RANGES:  # streamed, in ranges spread over the executor
            for split, n in counts.items():
                write_jsonl(stage.path / f"{split}.jsonl",
                            builtin_stream(data.builtin, split, n, data_seed, executor))
        else:
            made = builtin_datasets()[data.builtin](
                counts.get("train", 1), counts.get("holdout", 1), data_seed)
            for split, records in zip(("train", "holdout"), made, strict=True):
                if split in counts:
                    write_jsonl(stage.path / f"{split}.jsonl", records)
        for split, records in files.items():
            write_jsonl(stage.path / f"{split}.jsonl", records)
        stage.finish(["train.jsonl", "holdout.jsonl"])
    else:
        parts = read_file_data(data, base, fields)
        names = ["records.jsonl"] if "source" in parts else ["train.jsonl", "holdout.jsonl"]
        for key, records in parts.items():
            write_jsonl(stage.path / ("records.jsonl" if key == "source" else f"{key}.jsonl"),
                        records)
        stage.finish(names)


def dataset_load(env: RunEnv, data: DatasetData) -> tuple[dict[str, Any], Callable[[Stage], None]]:
    """The ``load`` key of a dataset component, and how to write the stage.

    With a fingerprint the key is (component, fingerprint) and loading waits until the stage
    must run; without one the records are loaded now and the key is their content hash.
    """
    dataset = env.component(Dataset, data.dataset, data.params)
    workdir = env.store.workspace("dataset")
    ctx = Context(schema=env.schema, seed=env.seed, workdir=workdir, stage="load",
                  quiet=env.log.quiet)
    identity = env.identity(dataset)
    fingerprint = dataset.fingerprint(ctx)

    def load() -> LoadedData:
        with env.log.progress("load") as report:
            return dataset.load(replace(ctx, on_progress=report))

    if fingerprint is not None:
        return {"dataset": identity, "fingerprint": fingerprint}, (
            lambda stage: _write_loaded(stage, load(), data.dataset)
        )
    loaded = load()
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


def conform(records: Iterable[Record], schema: FieldSchema, where: str) -> list[Record]:
    """Records with every schema field present (absent -> []); unknown fields are an error."""
    return list(conform_each(records, schema, where))


def conform_each(records: Iterable[Record], schema: FieldSchema, where: str
                 ) -> Iterator[Record]:
    """``conform``, one record at a time."""
    known = set(schema.fields)
    for record in records:
        extra = sorted(set(record.labels) - known)
        if extra:
            raise DataError(
                f"{where}: record {record.id!r} has label(s) not in schema "
                f"{schema.name!r}: {', '.join(extra)}"
            )
        labels = {f: list(record.labels.get(f, [])) for f in schema.fields}
        yield record.model_copy(update={"labels": labels})


def split_source(records: list[Record], fraction: float, seed: int
                 ) -> tuple[list[Record], list[Record]]:
    """(train, hold-out): a seeded shuffle of the records by id, ``fraction`` held out."""
    order = sorted(records, key=lambda r: r.id)
    random.Random(f"{seed}|split").shuffle(order)
    n_hold = max(1, round(len(order) * fraction))
    if n_hold >= len(order):
        raise DataError(f"data: holdout_fraction {fraction} of {len(order)} record(s) leaves "
                        "no train records")
    return order[n_hold:], order[:n_hold]


def run_split(
    stage: Stage, loaded: Stage, data: BuiltinData | FileData | DatasetData, seed: int,
    schema: FieldSchema,
) -> None:
    """Seeded split of a single source, or pass-through of given train/hold-out sets."""
    train: Sequence[Record]
    holdout: Sequence[Record]
    if (loaded.path / "records.jsonl").exists():
        assert isinstance(data, (FileData, DatasetData))
        train, holdout = split_source(
            read_jsonl(loaded.path / "records.jsonl", Record), data.holdout_fraction, seed
        )
    else:  # streamed from the load stage's files; only ids are held
        train = RecordFile(loaded.path / "train.jsonl")
        holdout = RecordFile(loaded.path / "holdout.jsonl")
    check_disjoint([("train", train), ("hold-out", holdout)])
    for name, part in (("train", train), ("hold-out", holdout)):
        if not part:
            raise DataError(f"data: the {name} set has no records")
    write_jsonl(stage.path / "train.jsonl", conform_each(train, schema, "data.train"))
    write_jsonl(stage.path / "holdout.jsonl", conform_each(holdout, schema, "data.holdout"))
    stage.finish(["train.jsonl", "holdout.jsonl"])


def split_records(stage: Stage) -> tuple[list[Record], RecordFile]:
    """The train records, and the hold-out as a file-backed sequence (streamed, not held)."""
    return read_jsonl(stage.path / "train.jsonl", Record), RecordFile(stage.path / "holdout.jsonl")
def dev_split(
    train: list[Record], fraction: float, seed: int
) -> tuple[list[Record], list[Record]]:
    """The real train records minus the dev split, and the dev split (seeded; the same for
    every round and arm; at least one record on each side). Both keep the train order."""
    if len(train) < 2:
        raise DataError(
            f"data: {len(train)} real train record(s) cannot give a train part and a dev "
            "split; trained rounds need at least 2"
        )
    order = sorted(r.id for r in train)
    random.Random(f"{seed}|dev-split").shuffle(order)
    n_dev = min(len(order) - 1, max(1, round(len(order) * fraction)))
    dev_ids = set(order[:n_dev])
    return [r for r in train if r.id not in dev_ids], [r for r in train if r.id in dev_ids]




__all__ = [
    "StageStore",
    "builtin_stream",
    "conform",
    "conform_each",
    "data_files",
    "dataset_load",
    "dev_split",
    "load_key",
    "read_file_data",
    "read_options",
    "run_load",
    "run_split",
    "split_records",
    "split_source",
]
