"""Dataset ``uc-table``: labelled records from Unity Catalog Delta tables, through Spark.

``fingerprint()`` asks each table for its current Delta version (``DESCRIBE HISTORY t
LIMIT 1``) and ``load()`` then reads exactly that version (``VERSION AS OF``), so an
unchanged table is never read twice and a table written to in between cannot slip
records into a stage keyed by an older version. A given ``version`` is time travel.

A Delta table can also be named by its path, Databricks-style: ``delta.`/path/to/table```.
Where Spark has no Delta Lake (local Spark without its jars), such a table's history and
versions are read with the ``deltalake`` package and the columns selected by Spark SQL
over that version's rows.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any, ClassVar

from leasebench.components import Context, Dataset, LoadedData
from leasebench.data.columns import DEFAULT_ABSENT, ColumnMapping, ReadOptions
from leasebench.data.mapping import RecordMapper
from leasebench.data.problems import ProblemLog
from leasebench.data.rows import Row
from leasebench.errors import DataError
from leasebench.hashing import stable_hash
from leasebench.records import Record
from pydantic import BaseModel, ConfigDict, Field, field_validator

from . import tables

log = logging.getLogger("leasebench.databricks")
DELTA_PATH = re.compile(r"^delta\.`([^`]+)`$")


class UCTableParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    train_table: str = Field(description="Train records: `catalog.schema.table`.")
    holdout_table: str | None = Field(
        None, description="Hold-out records; default: the runner splits `train_table` by "
        "`data.holdout_fraction`."
    )
    id_column: str = Field("id", description="Document id column.")
    text_column: str = Field("text", description="Document text column.")
    labels_column: str = Field(
        "labels", description="Labels column: a JSON string, a struct or a map of field -> "
        "value(s). Ignored when `label_columns` is given."
    )
    label_columns: dict[str, str] | list[str] | None = Field(
        None, description="One column per field instead: `{field: column}`, or a list of "
        "columns named like the fields. A column holds a value, an array of values or null."
    )
    absent: list[str] = Field(
        default_factory=lambda: list(DEFAULT_ABSENT),
        description="Label values that mean absent (compared stripped, ignoring case); null "
        "always does.",
    )
    version: int | None = Field(
        None, ge=0, description="Read `train_table` at this Delta version (time travel)."
    )
    holdout_version: int | None = Field(
        None, ge=0, description="Read `holdout_table` at this Delta version."
    )

    @field_validator("train_table", "holdout_table")
    @classmethod
    def _table(cls, value: str | None) -> str | None:
        if value is not None and not (tables.TABLE_RE.match(value) or DELTA_PATH.match(value)):
            raise ValueError("must be a three-part UC table name catalog.schema.table, or "
                             "delta.`<path>`")
        return value


def quote(column: str) -> str:
    """A Spark SQL identifier in backticks."""
    return "`" + column.replace("`", "``") + "`"


def select_sql(table: str, columns: list[str], version: int | None) -> str:
    """``SELECT <columns> FROM <table>`` with ``VERSION AS OF`` when a version is given."""
    sql = f"SELECT {', '.join(quote(c) for c in columns)} FROM {table}"
    return sql if version is None else f"{sql} VERSION AS OF {version}"


def delta_path(table: str) -> str | None:
    """The path of a ``delta.`<path>``` table name, else None."""
    m = DELTA_PATH.match(table)
    return m.group(1) if m else None


def _deltalake(table: str) -> Any:
    """The ``deltalake`` module for a path table Spark cannot read as Delta, else None."""
    if delta_path(table) is None:
        return None
    try:
        import deltalake
    except ImportError:
        return None
    return deltalake


def current_version(spark: Any, table: str) -> tuple[int, str] | None:
    """The table's latest Delta version and its timestamp; None when it has no history."""
    try:
        rows = spark.sql(f"DESCRIBE HISTORY {table} LIMIT 1").collect()
    except Exception as exc:  # a view or non-Delta table: no history (or no access)
        delta = _deltalake(table)
        if delta is not None:
            entry = delta.DeltaTable(delta_path(table)).history(1)[0]
            return int(entry["version"]), str(entry.get("timestamp"))
        log.info("uc-table: no Delta history for %s (%s); loading it every run", table, exc)
        return None
    if not rows:
        return None
    row = as_dict(rows[0])
    return int(row["version"]), str(row.get("timestamp"))


def as_dict(row: Any) -> dict[str, Any]:
    """A Spark ``Row`` (structs included) as a plain dict."""
    return row.asDict(recursive=True) if hasattr(row, "asDict") else dict(row)


class UCTableDataset(Dataset[UCTableParams]):
    """Records from UC Delta tables read through Spark (a cluster or Databricks Connect)."""

    name: ClassVar[str] = "uc-table"
    version: ClassVar[str] = "1"

    def __init__(self, params: UCTableParams | None = None):
        super().__init__(params)
        self._pinned: dict[str, int] = {}

    def _sources(self) -> list[tuple[str, str, int | None]]:
        p = self.params
        out = [("train", p.train_table, p.version)]
        if p.holdout_table:
            out.append(("holdout", p.holdout_table, p.holdout_version))
        return out

    def _columns(self) -> list[str]:
        p = self.params
        if p.label_columns is None:
            labels = [p.labels_column]
        else:
            labels = list(p.label_columns.values() if isinstance(p.label_columns, dict)
                          else p.label_columns)
        return list(dict.fromkeys([p.id_column, p.text_column, *labels]))

    def fingerprint(self, ctx: Context) -> str | None:
        """The params and each table's (given or current) Delta version; None without one."""
        parts: dict[str, Any] = {"params": self.params.model_dump(mode="json")}
        spark = None
        for role, table, version in self._sources():
            stamp = None
            if version is None:
                spark = spark or tables.spark_session(DataError)
                current = current_version(spark, table)
                if current is None:
                    self._pinned.clear()
                    return None
                version, stamp = current
                self._pinned[role] = version
            parts[role] = {"table": table, "version": version, "timestamp": stamp}
        return json.dumps(parts, sort_keys=True, separators=(",", ":"))

    def load(self, ctx: Context) -> LoadedData:
        spark = tables.spark_session(DataError)
        loaded = {role: self._read(spark, table, version if version is not None
                                   else self._pinned.get(role))
                  for role, table, version in self._sources()}
        return LoadedData(train=loaded["train"], holdout=loaded.get("holdout"))

    def _read(self, spark: Any, table: str, version: int | None) -> list[Record]:
        sql = select_sql(table, self._columns(), version)
        try:
            try:
                rows = spark.sql(sql).collect()
            except Exception:
                if _deltalake(table) is None:
                    raise
                rows = self._read_delta(spark, table, version)
        except Exception as exc:
            raise DataError(f"uc-table: cannot read {table}: {type(exc).__name__}: {exc}"
                            ) from exc
        return self.records(rows, table)

    def _read_delta(self, spark: Any, table: str, version: int | None) -> list[Any]:
        """One version of a path table via ``deltalake``, its columns selected by Spark SQL."""
        import deltalake

        path = delta_path(table)
        if path is None:
            raise DataError(f"uc-table: {table} is not a delta.`<path>` table")
        data = deltalake.DeltaTable(path, version=version).to_pyarrow_table()
        view = f"leasebench_delta_{stable_hash([table, version], length=10)}"
        spark.createDataFrame(data.to_pandas()).createOrReplaceTempView(view)
        return spark.sql(select_sql(view, self._columns(), None)).collect()

    def mapping(self) -> ColumnMapping:
        """The params as the core reader's column mapping."""
        p = self.params
        labels = p.labels_column if p.label_columns is None else p.label_columns
        return ColumnMapping(id=p.id_column, text=p.text_column, labels=labels)

    def records(self, rows: list[Any], table: str) -> list[Record]:
        """Rows -> records through the core reader's mapping (absent markers, value types,
        duplicate ids), every problem reported at once; sorted by id."""
        source = f"uc-table {table}"
        log = ProblemLog(source)
        options = ReadOptions(columns=self.mapping(), absent=tuple(self.params.absent))
        mapper = RecordMapper(source, options, log)
        mapper.bind(self._columns())
        records = []
        for i, row in enumerate(rows, 1):
            record = mapper.record(Row(f"row {i}", as_dict(row)))
            if record is not None:
                records.append(record)
        log.raise_if_any()
        if not records:
            raise DataError(f"uc-table: {table} has no rows")
        return sorted(records, key=lambda r: r.id)


__all__ = ["UCTableDataset", "UCTableParams", "current_version", "delta_path", "select_sql"]
