"""The manifest's `data` section: its three layouts (a built-in dataset, files, a dataset
component) and how a mapping is told to be which."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Discriminator, Field, Tag, field_validator, model_validator

from ..data.columns import DEFAULT_ABSENT, ColumnMapping
from ..limits import DEFAULT_MAX_FILE_MB, MAX_FILE_MB_CEILING
from .arms import Strict


class BuiltinData(Strict):
    """A built-in dataset, generated deterministically. Either split may be a records file
    of your own instead (e.g. built-in train documents, your hold-out), read and checked
    like the files layout: `columns`, `absent` and `max_file_mb` apply to it."""

    builtin: str = Field(description="Built-in dataset name, e.g. `lease`.")
    train: int | str = Field(
        50, description="Number of train documents, or a records file (relative to the "
        "manifest) to train on instead.",
    )
    holdout: int | str = Field(
        50, description="Number of hold-out documents, or a records file (relative to the "
        "manifest) to evaluate on instead.",
    )
    seed: int | None = Field(None, description="Dataset seed; defaults to the manifest seed.")
    columns: ColumnMapping = Field(
        default_factory=ColumnMapping,
        description="A file split's column mapping (`data.columns` below).",
    )
    absent: list[str] = Field(
        default_factory=lambda: list(DEFAULT_ABSENT),
        description="A file split's label values that mean absent (as for files).",
    )
    max_file_mb: float | None = Field(
        None, gt=0, le=MAX_FILE_MB_CEILING,
        description="Largest data file read, in MB (as for files).",
    )

    @model_validator(mode="after")
    def _one_builtin_split(self) -> BuiltinData:
        if isinstance(self.train, str) and isinstance(self.holdout, str):
            raise ValueError("both `train` and `holdout` are files: give them without "
                             "`builtin` (the files layout)")
        return self

    @field_validator("train", "holdout")
    @classmethod
    def _count_or_file(cls, value: int | str) -> int | str:
        if isinstance(value, bool) or (isinstance(value, int) and value < 1):
            raise ValueError("give a number of documents (at least 1) or a file path")
        if isinstance(value, str) and not value.strip():
            raise ValueError("give a number of documents or a file path, not an empty string")
        return value

    def files(self) -> dict[str, str]:
        """The splits given as files: ``{"train" or "holdout": path as written}``."""
        return {k: v for k in ("train", "holdout") if isinstance(v := getattr(self, k), str)}


class FileData(Strict):
    """Labelled records from files, paths relative to the manifest.

    Formats: JSONL, JSON, CSV, TSV or Parquet. Give `train` and `holdout`, or one `source`
    split by `holdout_fraction` (seeded). `columns` maps the file's columns onto records
    (see docs/data.md).
    """

    train: str | None = Field(None, description="Train records file.")
    holdout: str | None = Field(None, description="Hold-out records file.")
    source: str | None = Field(None, description="One file to split into train and hold-out.")
    holdout_fraction: float = Field(
        0.5, gt=0, lt=1, description="Share of `source` held out (ignored with train/holdout)."
    )
    columns: ColumnMapping = Field(
        default_factory=ColumnMapping,
        description="Which columns hold the id, text and labels (`data.columns` below).",
    )
    absent: list[str] = Field(
        default_factory=lambda: list(DEFAULT_ABSENT),
        description="Label values that mean absent (compared stripped, ignoring case); "
        "null always does.",
    )
    max_file_mb: float | None = Field(
        None, gt=0, le=MAX_FILE_MB_CEILING,
        description="Largest data file read, in MB; default the "
        f"`LEASEBENCH_MAX_FILE_MB` environment variable, else {DEFAULT_MAX_FILE_MB:g}.",
    )
    limit: int | None = Field(
        None, ge=2, description="A smoke run: only the first N records of each file "
        "(`leasebench run --limit N` sets it and names the experiment `NAME-limitN`, so "
        "its stages and results stay apart from the full run's).",
    )

    @model_validator(mode="after")
    def _one_layout(self) -> FileData:
        if self.source is None and (self.train is None or self.holdout is None):
            raise ValueError("give either `source`, or both `train` and `holdout`")
        if self.source is not None and (self.train is not None or self.holdout is not None):
            raise ValueError("give either `source` or `train`/`holdout`, not both")
        return self


class DatasetData(Strict):
    """Records from a dataset component (e.g. a warehouse table from a plugin)."""

    dataset: str = Field(description="Registered dataset name (see `leasebench plugins`).")
    params: dict[str, Any] = Field(default_factory=dict, description="The dataset's params.")
    holdout_fraction: float = Field(
        0.5, gt=0, lt=1,
        description="Share held out (seeded) when the dataset has no hold-out of its own.",
    )


def _data_kind(value: Any) -> str | None:
    """Which `data` layout a mapping means, by its distinguishing key."""
    if isinstance(value, BaseModel):
        return {BuiltinData: "builtin", DatasetData: "dataset"}.get(type(value), "files")
    if not isinstance(value, dict):
        return None
    return "builtin" if "builtin" in value else "dataset" if "dataset" in value else "files"


DataSpec = Annotated[
    Annotated[BuiltinData, Tag("builtin")]
    | Annotated[FileData, Tag("files")]
    | Annotated[DatasetData, Tag("dataset")],
    Discriminator(
        _data_kind, custom_error_type="data_layout",
        custom_error_message="give a mapping with `builtin`, `dataset`, or data files "
        "(`train` + `holdout`, or `source`)",
    ),
]


__all__ = ["BuiltinData", "DataSpec", "DatasetData", "FileData"]
