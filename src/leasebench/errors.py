"""Domain errors: raised anywhere, translated once at the CLI edge (exit code 2)."""

from __future__ import annotations


class LeasebenchError(Exception):
    """Base class for errors a user can fix; printed without a traceback."""

    exit_code = 2


class ManifestError(LeasebenchError):
    """A manifest is invalid. Carries every problem found, each with its location."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source}: {len(problems)} problem(s)\n{lines}")


class PluginError(LeasebenchError):
    """A plugin could not be loaded or registered a bad or duplicate component."""


class DataError(LeasebenchError):
    """Input data (records, predictions, schema) is malformed; names the file and record."""


class BudgetExceeded(LeasebenchError):
    """A run stopped cleanly before it would exceed its cost budget (exit code 3).

    Everything completed so far is checkpointed; a re-run with a larger budget continues.
    """

    exit_code = 3


__all__ = ["BudgetExceeded", "DataError", "LeasebenchError", "ManifestError", "PluginError"]
