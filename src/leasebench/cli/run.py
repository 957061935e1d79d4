"""``leasebench run``: execute a manifest end to end, cached and resumable."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table

from ..plugin_manager import build_registry
from ..reporting.markdown import render_markdown
from ..runner import run_experiment
from ..runner.plan import Plan, plan_experiment


def print_plan(plan: Plan) -> None:
    """The dry-run table: one row per stage, with totals."""
    table = Table("stage", "component", "status", "items", "calls", "tokens in",
                  "tokens out ≤", "cost ≤", "note", title=f"{plan.name}: dry run (nothing called)")
    for s in plan.stages:
        calls = "?" if s.calls is None else str(s.calls)
        table.add_row(s.stage, s.component, s.status, str(s.items), calls,
                      str(s.prompt_tokens), str(s.completion_tokens), f"{s.cost:.4f}", s.note)
    known = [s for s in plan.stages if s.calls is not None]
    table.add_row("total", "", "", "", str(sum(s.calls for s in known)),
                  str(sum(s.prompt_tokens for s in known)),
                  str(sum(s.completion_tokens for s in known)), f"{plan.total_cost:.4f}", "")
    Console(width=max(Console().width, 120)).print(table)


@click.command("run")
@click.argument("manifest", type=click.Path(path_type=Path))
@click.option("--runs-dir", type=click.Path(path_type=Path), default=Path("runs"),
              show_default=True, help="Where run and stage directories go.")
@click.option("--force", multiple=True, metavar="STAGE",
              help="Re-run a stage (e.g. `train`, `generate-b2`) even if cached. Repeatable.")
@click.option("-q", "--quiet", is_flag=True, help="No progress output; only the summary.")
@click.option("--mlflow/--no-mlflow", "mlflow", default=None,
              help="Log to MLflow (default: the manifest's tracking.mlflow, on).")
@click.option("--tracking-uri", default=None, metavar="URI",
              help="MLflow tracking URI (default: manifest, MLFLOW_TRACKING_URI, ./mlflow.db).")
@click.option("--max-cost", type=click.FloatRange(min=0), default=None, metavar="MONEY",
              help="Stop cleanly before new model calls would cost more than this "
              "(exit code 3; completed work is kept, a re-run continues).")
@click.option("--wait", is_flag=True,
              help="If another run of this experiment is in progress, wait for it instead of "
              "exiting with code 2.")
@click.option("--dry-run", is_flag=True,
              help="Print the stages that would run with estimated calls, tokens and cost; "
              "call nothing.")
@click.pass_obj
def run_command(
    pm, manifest: Path, runs_dir: Path, force: tuple[str, ...], quiet: bool,
    mlflow: bool | None, tracking_uri: str | None, max_cost: float | None, wait: bool,
    dry_run: bool,
) -> None:
    """Run the experiment in MANIFEST and print per-field results per round."""
    if dry_run:
        print_plan(plan_experiment(manifest, runs_dir=runs_dir, registry=build_registry(pm)))
        return
    outcome = run_experiment(
        manifest, runs_dir=runs_dir, force=force, quiet=quiet, registry=build_registry(pm),
        mlflow=mlflow, tracking_uri=tracking_uri, max_cost=max_cost, wait=wait,
    )
    console = Console()
    console.print(Markdown(render_markdown(outcome.result)))
    state = "re-executed no stage (all cached)" if outcome.stages_run == 0 else (
        f"{outcome.stages_run} stage(s) run, {outcome.stages_cached} cached"
    )
    console.print(f"\n{state} in {outcome.seconds:.1f}s; report: {outcome.run_dir / 'report'}")
