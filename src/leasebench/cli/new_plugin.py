"""``leasebench new-plugin NAME --family F``: scaffold a plugin package."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from ..scaffold import scaffold
from ..scaffold.templates import TEMPLATES


@click.command("new-plugin")
@click.argument("name")
@click.option("--family", "-f", required=True, type=click.Choice(sorted(TEMPLATES)),
              help="The component family to write.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default=True, help="Directory to create NAME/ in.")
@click.option("--component", default=None,
              help="Component name after the 'NAME/' namespace (default: the family).")
def new_plugin_command(name: str, family: str, out: Path, component: str | None) -> None:
    """Write a plugin package NAME/ with one FAMILY component that passes conformance.

    The component is registered as NAME/COMPONENT (without a 'leasebench-' prefix).
    """
    root = scaffold(name, family, out, component)
    # `[test]` brings pytest, which the scaffold's conformance tests need
    click.echo(f"wrote {root}\n\nnext:\n  pip install -e {shlex.quote(f'{root}[test]')}\n"
               f"  leasebench plugins\n  pytest {shlex.quote(str(root))}")


__all__ = ["new_plugin_command"]
