"""``leasebench plugins``: every component by family, with its distribution and version,
and which CRF tagger this install uses."""

from __future__ import annotations

import json
import re

import click
from rich.console import Console, RenderableType
from rich.text import Text

from .. import __version__
from ..crf.status import tagger_line, tagger_status, uses_tagger
from ..plugin_manager import PluginManager, Registry, build_registry
from ..reporting.terminal import Col, Group, fitted, print_all

CORE = "leasebench"
_RST = [
    (re.compile(r"``([^`]+)``"), r"\1"),                   # ``literal``
    (re.compile(r":[a-z]+:`~?([^`]+)`"), r"\1"),           # :class:`Name`
    (re.compile(r"`([^`]+)`_?"), r"\1"),                   # `text` / `link`_
    (re.compile(r"\*\*([^*]+)\*\*"), r"\1"),               # **strong**
    (re.compile(r"(?<![\w*])\*([^*\s][^*]*)\*(?!\w)"), r"\1"),  # *emphasis*
]


def plain_summary(text: str) -> str:
    """A docstring's first line without reStructuredText / Markdown markup."""
    for pattern, repl in _RST:
        text = pattern.sub(repl, text)
    return text


def plugin_renderables(rows: list[dict[str, str]], width: int) -> list[RenderableType]:
    """One section per family: component names, their summaries, and where they come from."""
    out: list[RenderableType] = []
    families = list(dict.fromkeys(r["family"] for r in rows))
    longest = max((len(r["name"]) for r in rows), default=0)  # one name column for all
    for family in families:
        mine = [r for r in rows if r["family"] == family]
        key = Group([Col("name", justify="left", style="bold")],
                    [[r["name"].ljust(longest)] for r in mine])
        summaries = []
        for r in mine:
            text = Text(plain_summary(r["summary"]))
            if r["distribution"] != CORE:
                text.append(f" [{r['distribution']} {r['distribution_version']}]", style="dim")
            summaries.append([text])
        tables = fitted(key, [[Group([Col("summary", justify="left", wrap=True)], summaries)]],
                        width, family)
        for t in tables:
            t.show_header = False
        out += [*tables, Text("")]
    out.append(Text(tagger_line()))
    out.append(Text(f"Built in: {CORE} {__version__}; others name their distribution. "
                    "Details: leasebench plugins --json.", style="dim"))
    return out


def component_rows(registry: Registry) -> list[dict[str, str]]:
    """``registry.describe()``; the rows of components that tag with a CRF model also say
    which tagger (``compiled`` or ``python-crfsuite``)."""
    rows = registry.describe()
    tagger = tagger_status()["tagger"]
    for row in rows:
        if uses_tagger(registry.get(row["family"], row["name"])):
            row["tagger"] = tagger
    return rows


@click.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_obj
def plugins_command(pm: PluginManager, as_json: bool) -> None:
    """List every registered component by family."""
    rows = component_rows(build_registry(pm))
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    console = Console()
    print_all(console, plugin_renderables(rows, console.width))
