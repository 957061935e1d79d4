"""Size limits: how big a manifest may ask things to be before ``validate`` refuses it.

Each limit has a default, can be raised for one experiment in the manifest's ``limits:``
block, or for every run on a machine with ``LEASEBENCH_LIMIT_<NAME>`` (the manifest wins
over the environment). A value over its limit is reported at validate time, naming the
key, the limit and both ways to raise it, so nothing runs for hours first.
"""

from __future__ import annotations

import os

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


def env_name(name: str) -> str:
    return f"LEASEBENCH_LIMIT_{name.upper()}"


def env_limit(name: str, default: int) -> int:
    """``LEASEBENCH_LIMIT_<NAME>`` as a positive integer, else ``default``."""
    raw = os.environ.get(env_name(name), "").strip().replace("_", "")
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise LeasebenchError(f"{env_name(name)}={raw!r}: give a positive whole number")
    return int(raw)


class LimitsSpec(BaseModel):
    """Size limits for this experiment; an unset key uses `LEASEBENCH_LIMIT_<KEY>`, else the default shown."""  # noqa: E501

    model_config = ConfigDict(extra="forbid")

    batch_size: int | None = Field(
        None, ge=1, description=f"Largest `generator.batch_size` ({DEFAULTS['batch_size']:,}).")
    batches: int | None = Field(
        None, ge=1, description=f"Most synthetic batches a round may use ({DEFAULTS['batches']}).")
    sweep_trials: int | None = Field(
        None, ge=1,
        description=f"Most trials a `trainer.sweep` grid may make ({DEFAULTS['sweep_trials']}).")
    bootstrap: int | None = Field(
        None, ge=1, description=f"Most `stats.bootstrap` iterations ({DEFAULTS['bootstrap']:,}).")
    records: int | None = Field(
        None, ge=1,
        description=f"Most documents a built-in dataset may generate per split "
        f"({DEFAULTS['records']:,}; data files are bounded by `data.max_file_mb`).")

    repeats: int | None = Field(
        None, ge=1, description=f"Most seeds a trained arm's `repeats` may ask for "
        f"({DEFAULTS['repeats']}).")

    def get(self, name: str) -> int:
        """The effective limit: the manifest's value, else the environment's, else default."""
        value = getattr(self, name)
        return value if value is not None else env_limit(name, DEFAULTS[name])

    def exceeded(self, key: str, name: str, value: int, what: str = "") -> str | None:
        """A problem line if ``value`` (at manifest ``key``) is over limit ``name``."""
        limit = self.get(name)
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


__all__ = ["DEFAULTS", "LimitsSpec", "check_option", "env_limit", "env_name"]
