"""``leasebench data``: write built-in datasets as JSONL records."""

from __future__ import annotations

from pathlib import Path

import click

from ..corpus import DEFAULT_NOISE, SPLITS, iter_leases
from ..runner.progress import StageLog
from .data_check import check_command


@click.group(name="data")
def data() -> None:
    """Generate built-in datasets; check labelled records (the data card)."""


data.add_command(check_command)


@data.command(name="lease")
@click.option("--n", "n", type=int, required=True, help="Number of documents.")
@click.option("--seed", type=int, default=0, show_default=True, help="Dataset seed.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Output JSONL file (one record per line).",
)
@click.option(
    "--noise",
    type=float,
    default=DEFAULT_NOISE,
    show_default=True,
    help="PDF-extraction noise level in [0, 1].",
)
@click.option(
    "--split",
    type=click.Choice(SPLITS),
    default="all",
    show_default=True,
    help="Which split's documents to make (train and holdout never share party names).",
)
def lease(n: int, seed: int, out: Path, noise: float, split: str) -> None:
    """Synthetic labelled lease agreements, byte-identical for the same arguments."""
    if n < 1:
        raise click.UsageError("--n must be at least 1")
    if not 0.0 <= noise <= 1.0:
        raise click.UsageError("--noise must be between 0 and 1")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    log = StageLog()
    with tmp.open("w", encoding="utf-8", newline="\n") as fh, \
            log.bar(f"lease {split}", n) as advance:
        for record in iter_leases(n, seed, split=split, noise=noise):
            fh.write(record.model_dump_json() + "\n")
            advance()
    tmp.replace(out)
    click.echo(f"wrote {n} lease documents to {out}")


__all__ = ["data"]
