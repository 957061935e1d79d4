"""``leasebench plugins``: every component by family, with its distribution and version."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.table import Table

from ..plugin_manager import build_registry


@click.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_obj
def plugins_command(pm, as_json: bool) -> None:
    """List every registered component by family."""
    rows = build_registry(pm).describe()
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    table = Table("family", "name", "distribution", "version", "summary")
    for row in rows:
        table.add_row(
            row["family"], row["name"], row["distribution"],
            row["distribution_version"], row["summary"],
        )
    Console().print(table)
