"""Size limits: how big a manifest may ask things to be before ``validate`` refuses it.

Each limit has a default, can be raised for one experiment in the manifest's ``limits:``
block, or for every run on a machine with ``LEASEBENCH_LIMIT_<NAME>`` (the manifest wins
over the environment). A value over its limit is reported at validate time, naming the
key, the limit and both ways to raise it, so nothing runs for hours first. No limit can
be raised past its hard ceiling (``CEILINGS``), and the environment's values are plain
ASCII digits (``_`` allowed between them): ``²``, ``٣``, ``inf`` or a 5,000-digit number
is a located error at validate time, never read as something else.
"""

from __future__ import annotations

import math
import os
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .errors import LeasebenchError

DEFAULTS: dict[str, int] = {
    "batch_size": 10_000,
    "batches": 100,
    "sweep_trials": 256,
    "bootstrap": 100_000,
    "records": 1_000_000,
    "repeats": 20,
}
"""Default limits (see ``LimitsSpec`` for what each one bounds)."""

CEILINGS: dict[str, int] = {
    "batch_size": 1_000_000,
    "batches": 10_000,
    "sweep_trials": 100_000,
    "bootstrap": 10_000_000,
    "records": 100_000_000,
    "repeats": 1_000,
    "manifest_bytes": 100_000_000,
}
"""Hard ceilings: no manifest or environment value raises a limit past these."""

MAX_FILE_ENV = "LEASEBENCH_MAX_FILE_MB"
"""Environment variable that raises (or lowers) the default file size limit, in MB."""
DEFAULT_MAX_FILE_MB = 1024.0
"""Largest data, gold, prediction or schema file read, in MB, unless raised."""
MAX_FILE_MB_CEILING = 1_048_576.0
"""The largest file size limit (in MB, 1 TiB) a manifest or the environment may set."""

_DIGITS = re.compile(r"[0-9](?:_?[0-9]){0,17}")
_DECIMAL = re.compile(r"[0-9]{1,7}(?:\.[0-9]{1,6})?")


def env_name(name: str) -> str:
    return f"LEASEBENCH_LIMIT_{name.upper()}"


def parse_count(name: str, raw: str, ceiling: int) -> int:
    """``raw`` (an environment value) as a whole number from 1 to ``ceiling``."""
    text = raw.strip()
    if not _DIGITS.fullmatch(text):
        raise LeasebenchError(f"{name}={raw[:40]!r}: give a whole number of ASCII digits "
                              f"from 1 to {ceiling:,}")
    value = int(text.replace("_", ""))
    if not 1 <= value <= ceiling:
        raise LeasebenchError(f"{name}={value:,}: give a whole number from 1 to {ceiling:,} "
                              f"(the hard ceiling)")
    return value


def env_limit(name: str, default: int) -> int:
    """``LEASEBENCH_LIMIT_<NAME>`` as a whole number up to its ceiling, else ``default``."""
    raw = os.environ.get(env_name(name), "")
    if not raw.strip():
        return default
    return parse_count(env_name(name), raw, CEILINGS.get(name, CEILINGS["records"]))


def env_max_file_mb() -> float | None:
    """``LEASEBENCH_MAX_FILE_MB`` as a positive number of MB up to the ceiling (None: unset)."""
    raw = os.environ.get(MAX_FILE_ENV, "")
    text = raw.strip()
    if not text:
        return None
    value = float(text) if _DECIMAL.fullmatch(text) else math.nan
    if not 0 < value <= MAX_FILE_MB_CEILING:
        raise LeasebenchError(f"{MAX_FILE_ENV}={raw[:40]!r}: give a size in MB above 0 and at "
                              f"most {MAX_FILE_MB_CEILING:,.0f} in ASCII digits (e.g. 2048 or "
                              f"0.5)")
    return value


def default_max_bytes() -> int:
    """The file size limit: ``LEASEBENCH_MAX_FILE_MB`` when set, else 1024 MB.

    A value that is not a plain positive number of MB up to the ceiling is a
    ``LeasebenchError`` naming the variable (never silently the default).
    """
    mb = env_max_file_mb()
    return int((DEFAULT_MAX_FILE_MB if mb is None else mb) * 1024 * 1024)


def env_problems() -> list[str]:
    """Every malformed or over-ceiling ``LEASEBENCH_LIMIT_*`` / size variable, as problems."""
    problems = []
    for name in sorted(CEILINGS):
        try:
            env_limit(name, 1)
        except LeasebenchError as e:
            problems.append(f"(environment) {e}")
    try:
        env_max_file_mb()
    except LeasebenchError as e:
        problems.append(f"(environment) {e}")
    known = {env_name(n) for n in CEILINGS}
    problems += [f"(environment) {key}: not a limit leasebench knows (known: "
                 f"{', '.join(sorted(n.removeprefix('LEASEBENCH_LIMIT_') for n in known))})"
                 for key in sorted(os.environ)
                 if key.startswith("LEASEBENCH_LIMIT_") and key not in known]
    return problems


def _limit(name: str, what: str, more: str = "") -> Any:
    return Field(None, ge=1, le=CEILINGS[name], description=f"{what} ({DEFAULTS[name]:,}{more}; "
                 f"at most {CEILINGS[name]:,}).")


class LimitsSpec(BaseModel):
    """Size limits for this experiment; an unset key uses `LEASEBENCH_LIMIT_<KEY>`, else the default shown."""  # noqa: E501

    model_config = ConfigDict(extra="forbid")

    batch_size: int | None = _limit("batch_size", "Largest `generator.batch_size`")
    batches: int | None = _limit("batches", "Most synthetic batches a round may use")
    sweep_trials: int | None = _limit("sweep_trials",
                                      "Most trials a `trainer.sweep` grid may make")
    bootstrap: int | None = _limit("bootstrap", "Most `stats.bootstrap` iterations")
    records: int | None = _limit(
        "records", "Most documents a built-in dataset may generate per split",
        "; data files are bounded by `data.max_file_mb`")
    repeats: int | None = _limit("repeats", "Most seeds a trained arm's `repeats` may ask for")

    def get(self, name: str) -> int:
        """The effective limit: the manifest's value, else the environment's, else default."""
        value = getattr(self, name)
        return value if value is not None else env_limit(name, DEFAULTS[name])

    def get_or_default(self, name: str) -> int:
        """As :meth:`get`, with the default where the environment's value is malformed
        (that is reported on its own by :func:`env_problems`)."""
        try:
            return self.get(name)
        except LeasebenchError:
            return DEFAULTS[name]

    def exceeded(self, key: str, name: str, value: int, what: str = "") -> str | None:
        """A problem line if ``value`` (at manifest ``key``) is over limit ``name``."""
        limit = self.get_or_default(name)
        if value <= limit:
            return None
        amount = f"{value:,} {what}".strip()
        return (f"{key}: {amount} is over the limit of {limit:,}; raise it with "
                f"`limits: {{{name}: N}}` in the manifest or {env_name(name)}=N")


def check_option(option: str, name: str, value: int | None) -> None:
    """A command-line value over limit ``name`` is a ``LeasebenchError`` saying how to raise it."""
    limit = env_limit(name, DEFAULTS[name])
    if value is not None and value > limit:
        raise LeasebenchError(f"{option}: {value:,} is over the limit of {limit:,}; raise it "
                              f"with {env_name(name)}=N")


__all__ = ["CEILINGS", "DEFAULTS", "DEFAULT_MAX_FILE_MB", "MAX_FILE_ENV", "MAX_FILE_MB_CEILING",
           "LimitsSpec", "check_option", "default_max_bytes", "env_limit", "env_max_file_mb",
           "env_name", "env_problems", "parse_count"]
