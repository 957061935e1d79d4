"""The CI gate's options, shared by ``run`` and ``report``, and applying them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ..errors import DataError
from ..reporting.compare import LoadedRun, load_run
from ..reporting.gate import GATE_EXIT, Gate, checks_run, gate_failures, parse_floor

F = TypeVar("F", bound=Callable[..., Any])


def gate_options(f: F) -> F:
    """``--gate-round``, ``--min-f1``, ``--min-field-f1``, ``--baseline``,
    ``--baseline-round``."""
    options = [
        click.option("--gate-round", metavar="NAME", default=None,
                     help="Round the gate checks [default: the last round]."),
        click.option("--min-f1", type=click.FloatRange(0, 100), default=None,
                     metavar="POINTS",
                     help=f"Exit with code {GATE_EXIT} when the round's micro F1 (in points, "
                          "0-100) is below this."),
        click.option("--min-field-f1", multiple=True, metavar="FIELD=POINTS",
                     help=f"Exit with code {GATE_EXIT} when the round's F1 on FIELD is below "
                          "POINTS. Repeatable."),
        click.option("--baseline", type=click.Path(exists=True, path_type=Path),
                     default=None, metavar="RUN_DIR",
                     help=f"Exit with code {GATE_EXIT} when the round is significantly worse "
                          "than the same round of this run (micro or any field; paired where "
                          "the hold-out matches)."),
        click.option("--baseline-round", metavar="NAME", default=None,
                     help="The baseline run's round to compare with [default: the gated "
                          "round's name]."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def gate_from(gate_round: str | None, min_f1: float | None, min_field_f1: tuple[str, ...],
              baseline: Path | None, baseline_round: str | None) -> Gate:
    return Gate(round=gate_round, min_f1=min_f1,
                min_field_f1=tuple(parse_floor(x) for x in min_field_f1),
                baseline=baseline, baseline_round=baseline_round)


def check_rounds(gate: Gate, rounds: list[str]) -> None:
    """Before a run: the rounds the gate names exist in the manifest, and the baseline is a
    readable run (a typo fails at once, not after the run)."""
    if gate.round is not None and gate.round not in rounds:
        raise DataError(f"--gate-round {gate.round!r}: the manifest has no such round "
                        f"({', '.join(rounds)})")
    if gate.baseline is not None:
        load_run(gate.baseline)


def apply_gate(run: LoadedRun, gate: Gate) -> None:
    """Print one line per failed check and exit with ``GATE_EXIT``; say when all pass."""
    if not gate.active:
        return
    failures = gate_failures(run, gate)
    for line in failures:
        click.echo(line, err=True)
    if failures:
        raise click.exceptions.Exit(GATE_EXIT)
    click.echo(f"gate: {checks_run(gate)} check(s) passed", err=True)


__all__ = ["apply_gate", "check_rounds", "gate_from", "gate_options"]
