"""``leasebench run``: execute a manifest end to end, cached and resumable."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.markdown import Markdown

from ..plugin_manager import build_registry
from ..reporting.markdown import render_markdown
from ..runner import run_experiment


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
@click.pass_obj
def run_command(
    pm, manifest: Path, runs_dir: Path, force: tuple[str, ...], quiet: bool,
    mlflow: bool | None, tracking_uri: str | None,
) -> None:
    """Run the experiment in MANIFEST and print per-field results per round."""
    outcome = run_experiment(
        manifest, runs_dir=runs_dir, force=force, quiet=quiet, registry=build_registry(pm),
        mlflow=mlflow, tracking_uri=tracking_uri,
    )
    console = Console()
    console.print(Markdown(render_markdown(outcome.result)))
    state = "re-executed no stage (all cached)" if outcome.stages_run == 0 else (
        f"{outcome.stages_run} stage(s) run, {outcome.stages_cached} cached"
    )
    console.print(f"\n{state} in {outcome.seconds:.1f}s; report: {outcome.run_dir / 'report'}")
