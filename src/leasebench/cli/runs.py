"""``leasebench runs [NAME]``: the past runs under a runs directory, with headline numbers."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from ..reporting.runs_listing import listing, runs_json, runs_markdown, runs_renderables
from ..reporting.terminal import print_all


@click.command("runs")
@click.argument("name", required=False)
@click.option("--runs-dir", type=click.Path(path_type=Path), default=Path("runs"),
              show_default=True, help="The runs directory (or one experiment's directory).")
@click.option("--format", "fmt", type=click.Choice(["auto", "table", "md", "json"]),
              default="auto", show_default=True,
              help="`auto`: a table on a terminal, Markdown when piped.")
def runs_command(name: str | None, runs_dir: Path, fmt: str) -> None:
    """List the finished runs (of experiment NAME), oldest first: when, the best round,
    its micro F1 and its difference to the reference round."""
    rows = listing(runs_dir, name)
    if not rows and name is not None:
        known = sorted({r.experiment for r in listing(runs_dir)})
        raise click.UsageError(f"no finished run of {name!r} under {runs_dir}"
                               + (f"; experiments there: {', '.join(known)}" if known else ""))
    if fmt == "auto":
        fmt = "table" if sys.stdout.isatty() else "md"
    if fmt == "json":
        click.echo(runs_json(rows), nl=False)
    elif fmt == "md":
        click.echo(runs_markdown(rows), nl=False)
    else:
        console = Console()
        print_all(console, runs_renderables(rows, console.width))


__all__ = ["runs_command"]
