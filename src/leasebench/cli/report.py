"""``leasebench report``: render one run's report, or compare runs field by field."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console

from ..errors import DataError
from ..io import atomic_write_text
from ..limits import check_option
from ..reporting.compare import compare_runs, load_run
from ..reporting.compare_render import render_comparison_html, render_comparison_markdown
from ..reporting.history import list_runs, metric_history
from ..reporting.history_render import history_html, history_markdown, history_renderables
from ..reporting.html import render_html
from ..reporting.json_report import report_json
from ..reporting.markdown import render_markdown
from ..reporting.report_schema import validate_report
from ..reporting.terminal import print_all
from ..reporting.terminal_compare import comparison_renderables
from ..reporting.terminal_run import run_renderables
from .gate import apply_gate, gate_from, gate_options

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
@click.option("--history", metavar="METRIC", default=None,
              help="Follow METRIC (micro, macro or a field's F1) across the past runs under "
                   "RUN_DIR (an experiment's directory or a runs directory), oldest first; "
                   "with --round, that round's [default: each run's best round].")
@gate_options
def report_command(
    run_dirs: tuple[Path, ...], fmt: str, out: Path | None, rounds: tuple[str, ...],
    scorer: str | None, iterations: int | None, history: str | None,
    gate_round: str | None, min_f1: float | None, min_field_f1: tuple[str, ...],
    baseline: Path | None, baseline_round: str | None,
) -> None:
    """Render RUN_DIR's report, or compare several RUN_DIRs field by field.

    With several runs, one round of each (see --round) is compared against the first run:
    paired bootstrap tests where both runs scored the same hold-out documents, otherwise
    each run's own intervals, with a note saying the hold-out documents differ.

    With a gate (--min-f1, --min-field-f1, --baseline) on one run, exit with code 4 and
    one line per failed check when the gated round falls short.
    """
    check_option("--iterations", "bootstrap", iterations)
    fmt = FORMATS[fmt]
    if fmt == "table" and out is not None:
        raise click.UsageError("--out needs a file format: --format md, html or json")
    gate = gate_from(gate_round, min_f1, min_field_f1, baseline, baseline_round)
    if gate.active and (len(run_dirs) > 1 or history):
        raise click.UsageError("the gate options check one run: give one RUN_DIR, no --history")
    if history is not None:
        _history(run_dirs, history, rounds, fmt, out)
        return
    runs = [load_run(p) for p in run_dirs]
    console = Console()
    if len(runs) == 1 and not rounds and scorer is None:
        result = runs[0].result
        if fmt == "table":
            print_all(console, run_renderables(result, console.width))
            apply_gate(runs[0], gate)
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
    _write(text, out)
    apply_gate(runs[0], gate)


def _write(text: str, out: Path | None) -> None:
    if out is None:
        click.echo(text, nl=False)
    else:
        atomic_write_text(out, text)
        click.echo(f"wrote {out}", err=True)


def _history(run_dirs: tuple[Path, ...], metric: str, rounds: tuple[str, ...], fmt: str,
             out: Path | None) -> None:
    if len(run_dirs) != 1 or len(rounds) > 1:
        raise click.UsageError("--history takes one directory of runs and at most one --round")
    past = list_runs(run_dirs[0])
    if not past:
        raise DataError(f"{run_dirs[0]}: no finished runs (run directories with "
                        "report/report.json)")
    h = metric_history(past, metric, rounds[0] if rounds else None)
    if fmt == "table":
        console = Console()
        print_all(console, history_renderables(h, console.width))
        return
    _write({"md": history_markdown, "html": history_html,
            "json": lambda x: x.model_dump_json(indent=2) + "\n"}[fmt](h), out)


__all__ = ["report_command"]
