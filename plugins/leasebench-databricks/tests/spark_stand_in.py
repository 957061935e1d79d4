"""A stand-in Spark session holding versioned 'Delta tables' in memory.

It answers only the statements the ``uc-table`` dataset sends (``DESCRIBE HISTORY t
LIMIT 1`` and ``SELECT <columns> FROM t [VERSION AS OF n]``), records each one, and
raises for anything else, so tests can assert the exact SQL.
"""

from __future__ import annotations

import json
import re
from typing import Any

from leasebench.records import Record

HISTORY = re.compile(r"DESCRIBE HISTORY (\S+) LIMIT 1")
SELECT = re.compile(r"SELECT ((?:`[^`]+`(?:, )?)+) FROM (\S+)(?: VERSION AS OF (\d+))?")


class AnalysisException(Exception):
    """What Spark raises for a missing table or column."""


class Row(dict):
    def asDict(self, recursive: bool = False) -> dict[str, Any]:
        return dict(self)


class Frame:
    def __init__(self, rows: list[Row]):
        self.rows = rows

    def collect(self) -> list[Row]:
        return list(self.rows)


class StandInSpark:
    """``tables[name]`` is the table's versions, oldest first; each a list of row dicts."""

    def __init__(self, tables: dict[str, list[list[dict[str, Any]]]],
                 no_history: tuple[str, ...] = ()):
        self.tables, self.no_history, self.sql_seen = tables, no_history, []

    def commit(self, table: str, rows: list[dict[str, Any]]) -> None:
        """A write to ``table``: a new Delta version."""
        self.tables[table].append(rows)

    def _versions(self, table: str) -> list[list[dict[str, Any]]]:
        if table not in self.tables:
            raise AnalysisException(f"[TABLE_OR_VIEW_NOT_FOUND] The table {table} cannot be found")
        return self.tables[table]

    def sql(self, statement: str) -> Frame:
        self.sql_seen.append(statement)
        if m := HISTORY.fullmatch(statement):
            if m[1] in self.no_history:
                raise AnalysisException(f"{m[1]} is a view; DESCRIBE HISTORY needs a Delta table")
            n = len(self._versions(m[1])) - 1
            return Frame([Row(version=n, timestamp=f"2025-01-{n + 1:02d} 00:00:00",
                              operation="WRITE")])
        if m := SELECT.fullmatch(statement):
            versions = self._versions(m[2])
            rows = versions[int(m[3])] if m[3] is not None else versions[-1]
            columns = [c.strip("`") for c in m[1].split(", ")]
            out = []
            for row in rows:
                missing = [c for c in columns if c not in row]
                if missing:
                    raise AnalysisException(f"[UNRESOLVED_COLUMN] {missing[0]} in {m[2]}")
                out.append(Row({c: row[c] for c in columns}))
            return Frame(out)
        raise AssertionError(f"unexpected statement: {statement!r}")


def rows_of(records: list[Record]) -> list[dict[str, Any]]:
    """Records as table rows with a JSON ``labels`` column."""
    return [{"id": r.id, "text": r.text, "labels": json.dumps(r.labels)} for r in records]


__all__ = ["AnalysisException", "Frame", "Row", "StandInSpark", "rows_of"]
