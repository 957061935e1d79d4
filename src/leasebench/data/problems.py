"""Collecting every problem of a file, then reporting them at once (bounded)."""

from __future__ import annotations

from pathlib import Path

from ..errors import DataError


class ProblemLog:
    """Problems found while reading one source (a file, or a table), each with its location.

    The first ``limit`` are kept in full; the rest are only counted, so a file with a
    million bad rows still gives a short message.
    """

    def __init__(self, path: Path | str, limit: int = 20):
        self.path = path
        self.limit = limit
        self.shown: list[str] = []
        self.count = 0

    def add(self, where: str, message: str) -> None:
        self.count += 1
        if len(self.shown) < self.limit:
            self.shown.append(f"{where}: {message}" if where else message)

    def __bool__(self) -> bool:
        return self.count > 0

    def error(self) -> DataError:
        """One ``DataError`` listing every kept problem and how many more there are."""
        if self.count == 1:
            return DataError(f"{self.path}: {self.shown[0]}")
        lines = "".join(f"\n  - {p}" for p in self.shown)
        more = self.count - len(self.shown)
        tail = f"\n  ... and {more} more problem(s)" if more else ""
        return DataError(f"{self.path}: {self.count} problems{lines}{tail}")

    def raise_if_any(self) -> None:
        if self:
            raise self.error()

    def fatal(self, where: str, message: str) -> DataError:
        """Add a problem that stops reading, and return the error to raise."""
        self.add(where, message)
        return self.error()


__all__ = ["ProblemLog"]
