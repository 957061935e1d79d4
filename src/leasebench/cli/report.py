"""``leasebench report``: render one run's report, or compare runs field by field."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console

from ..io import atomic_write_text
from ..limits import check_option
from ..reporting.compare import compare_runs, load_run
from ..reporting.compare_render import render_comparison_html, render_comparison_markdown
from ..reporting.html import render_html
from ..reporting.json_report import report_json
from ..reporting.markdown import render_markdown
from ..reporting.schema import validate_report
from ..reporting.terminal import print_all
from ..reporting.terminal_compare import comparison_renderables
from ..reporting.terminal_run import run_renderables

FORMATS = {"table": "table", "md": "md", "markdown": "md", "html": "html", "json": "json"}


@click.command("report")
@click.argument("run_dirs", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="table",
              show_default=True,
              help="Output format: tables fitted to the terminal, Markdown source, a "
                   "self-contained HTML page, or JSON.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here instead of stdout.")
@click.option("--round", "rounds", multiple=True, metavar="NAME",
              help="Round to compare: once for every run, or once per run in order "
                   "[default: each run's best round by micro F1].")
@click.option("--scorer", default=None, metavar="LABEL",
              help="Scorer label to compare [default: the first run's primary scorer].")
@click.option("--iterations", type=click.IntRange(min=0), default=None,
              help="Bootstrap iterations of paired tests [default: as the first run].")
def report_command(
    run_dirs: tuple[Path, ...], fmt: str, out: Path | None, rounds: tuple[str, ...],
    scorer: str | None, iterations: int | None,
) -> None:
    """Render RUN_DIR's report, or compare several RUN_DIRs field by field.

    With several runs, one round of each (see --round) is compared against the first run:
    paired bootstrap tests where both runs scored the same hold-out documents, otherwise
    each run's own intervals, with a note saying the hold-out documents differ.
    """
    check_option("--iterations", "bootstrap", iterations)
    fmt = FORMATS[fmt]
    if fmt == "table" and out is not None:
        raise click.UsageError("--out needs a file format: --format md, html or json")
    runs = [load_run(p) for p in run_dirs]
    console = Console()
    if len(runs) == 1 and not rounds and scorer is None:
        result = runs[0].result
        if fmt == "table":
            print_all(console, run_renderables(result, console.width))
            return
        if fmt == "json":
            text = report_json(result)
            validate_report(json.loads(text))
        else:
            text = render_html(result) if fmt == "html" else render_markdown(result)
    else:
        comparison = compare_runs(runs, rounds, scorer, iterations)
        if fmt == "table":
            print_all(console, comparison_renderables(comparison, console.width))
            return
        text = {
            "md": render_comparison_markdown,
            "html": render_comparison_html,
            "json": lambda c: c.model_dump_json(indent=2) + "\n",
        }[fmt](comparison)
    if out is None:
        click.echo(text, nl=False)
    else:
        atomic_write_text(out, text)
        click.echo(f"wrote {out}", err=True)


__all__ = ["report_command"]
