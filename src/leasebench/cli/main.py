"""Entry point: builds the command group from plugins, translates errors once."""

from __future__ import annotations

import sqlite3
import sys
from typing import Any

import click

from .. import __version__
from ..errors import LeasebenchError
from ..plugin_manager import PluginManager, get_plugin_manager
from ..storage import storage_error


class LeasebenchGroup(click.Group):
    """A click group that prints domain errors without a traceback (exit code 2).

    A full disk or a read-only directory is such an error too (see ``storage``).
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LeasebenchError as exc:
            click.secho(f"Error: {exc}", err=True, fg="red")
            raise click.exceptions.Exit(exc.exit_code) from None
        except (OSError, sqlite3.Error) as exc:  # a full disk or a read-only directory
            problem = storage_error(exc)
            if problem is None:
                raise
            click.secho(f"Error: {problem}", err=True, fg="red")
            raise click.exceptions.Exit(problem.exit_code) from None


def make_cli(pm: PluginManager | None = None) -> click.Group:
    """The ``leasebench`` group with every command the plugins register."""
    pm = pm if pm is not None else get_plugin_manager()

    @click.group(cls=LeasebenchGroup, context_settings={"help_option_names": ["-h", "--help"]})
    @click.version_option(__version__, prog_name="leasebench")
    @click.pass_context
    def cli(ctx: click.Context) -> None:
        """Does fine-tuning with synthetic data beat a prompted model, field by field?"""
        ctx.obj = pm

    pm.hook.register_commands(cli=cli)
    return cli


def main(argv: list[str] | None = None) -> None:
    try:
        cli = make_cli()
    except LeasebenchError as exc:
        click.secho(f"Error: {exc}", err=True, fg="red")
        sys.exit(exc.exit_code)
    cli.main(args=argv, prog_name="leasebench")


__all__ = ["LeasebenchGroup", "main", "make_cli"]
