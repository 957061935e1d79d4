"""Built-in commands, registered through the same hook as plugin commands."""

from __future__ import annotations

import click

from ..hookspecs import hookimpl


@hookimpl(trylast=True)
def register_commands(cli: click.Group) -> None:
    from ..cli.data import data
    from ..cli.new_plugin import new_plugin_command
    from ..cli.plugins import plugins_command
    from ..cli.report import report_command
    from ..cli.run import run_command
    from ..cli.runs import runs_command
    from ..cli.score import score
    from ..cli.validate import validate_command

    for command in (
        run_command, validate_command, plugins_command, score, data, report_command,
        new_plugin_command, runs_command,
    ):
        cli.add_command(command)
