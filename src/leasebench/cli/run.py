"""``leasebench run``: execute a manifest end to end, cached and resumable."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console, JustifyMethod
from rich.table import Table

from ..executors.reaper import interrupt_in
from ..manifest.load import load_manifest
from ..plugin_manager import PluginManager, build_registry
from ..reporting.compare import LoadedRun
from ..reporting.terminal import Col, Group, fitted, print_all
from ..reporting.terminal_run import run_renderables
from ..runner import run_experiment
from ..runner.plan import Plan, plan_experiment
from ..runner.progress import wrapped
from .gate import apply_gate, check_rounds, gate_from, gate_options
from .interrupts import Interrupted, interruptible, leave
from .logs import configure_logging


def plan_tables(plan: Plan, width: int) -> list[Table]:
    """The dry-run table: one row per stage, with totals, fitted to ``width``."""
    known = [s for s in plan.stages if s.calls is not None]
    rows = []
    for s in plan.stages:
        if s.status == "cached":
            rows.append((s.stage, s.component, s.status, str(s.items), "", "", "", "", s.note))
            continue
        rows.append((s.stage, s.component, s.status, str(s.items),
                     "?" if s.calls is None else str(s.calls), f"{s.prompt_tokens:,}",
                     f"{s.completion_tokens:,}", f"{s.cost:.4f}", s.note))
    rows.append(("total", "", "", "", str(sum(s.calls or 0 for s in known)),
                 f"{sum(s.prompt_tokens for s in known):,}",
                 f"{sum(s.completion_tokens for s in known):,}", f"{plan.total_cost:.4f}", ""))
    key = Group([Col("stage", justify="left")], [[r[0]] for r in rows])

    def col(header: str, index: int, justify: JustifyMethod = "right") -> Group:
        return Group([Col(header, justify=justify)], [[r[index]] for r in rows])

    wide = [col("component", 1, "left"), col("status", 2, "left"), col("items", 3),
            col("calls", 4), col("tokens in", 5), col("tokens out ≤", 6), col("cost ≤", 7),
            Group([Col("note", justify="left", wrap=True)], [[r[8]] for r in rows])]
    compact = [col("component", 1, "left"), col("items", 3), col("calls", 4),
               Group([Col("tokens in / out≤")],
                     [[f"{r[5]} / {r[6]}" if r[5] else ""] for r in rows]),
               col("cost ≤", 7),
               Group([Col("status", justify="left", wrap=True)],
                     [[", ".join(x for x in (r[2], r[8]) if x)] for r in rows])]
    return fitted(key, [wide, compact], width, f"{plan.name}: dry run (nothing called)")


@click.command("run")
@click.argument("manifest", type=click.Path(path_type=Path))
@click.option("--runs-dir", type=click.Path(path_type=Path), default=Path("runs"),
              show_default=True, help="Where run and stage directories go.")
@click.option("--force", multiple=True, metavar="NAME",
              help="Re-run the stages NAME starts (`train`, `train-b1`, `generate-b2`) even "
              "if cached; a NAME matching no stage is an error listing them. Repeatable.")
@click.option("-q", "--quiet", is_flag=True, help="No progress output; only the summary.")
@click.option("-v", "--verbose", is_flag=True,
              help="Also show INFO logs of leasebench and its libraries (MLflow, HTTP).")
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
@click.option("--limit", type=click.IntRange(min=2), default=None, metavar="N",
              help="Smoke run: only the first N records of each data file, as experiment "
              "NAME-limitN (its stages and results stay apart from the full run's).")
@click.option("--dry-run", is_flag=True,
              help="Print the stages that would run with estimated calls, tokens and cost; "
              "call nothing.")
@gate_options
@click.pass_obj
def run_command(
    pm: PluginManager, manifest: Path, runs_dir: Path, force: tuple[str, ...], quiet: bool,
    verbose: bool,
    mlflow: bool | None, tracking_uri: str | None, max_cost: float | None, wait: bool,
    dry_run: bool, limit: int | None, gate_round: str | None, min_f1: float | None,
    min_field_f1: tuple[str, ...], baseline: Path | None, baseline_round: str | None,
) -> None:
    """Run the experiment in MANIFEST and print per-field results per round.

    With a gate (--min-f1, --min-field-f1, --baseline), exit with code 4 and one line per
    failed check when the gated round falls short.
    """
    configure_logging(verbose)
    gate = gate_from(gate_round, min_f1, min_field_f1, baseline, baseline_round)
    if gate.active:
        loaded = load_manifest(manifest, build_registry(pm))
        check_rounds(gate, [r.name for r in loaded.manifest.rounds])
    if dry_run:
        plan = plan_experiment(manifest, runs_dir=runs_dir, registry=build_registry(pm),
                               limit=limit)
        console = Console()
        print_all(console, plan_tables(plan, console.width))
        note = plan.context_note()
        if note:
            console.print(note, markup=False, highlight=False, soft_wrap=True)
        return
    try:
        with interruptible():
            outcome = run_experiment(
                manifest, runs_dir=runs_dir, force=force, quiet=quiet,
                registry=build_registry(pm), mlflow=mlflow, tracking_uri=tracking_uri,
                max_cost=max_cost, wait=wait, limit=limit,
            )
    except BaseException as error:
        exc = interrupt_in(error)  # a library's error raised while stopping counts too
        if exc is None:
            raise
        code = exc.exit_code if isinstance(exc, Interrupted) else 130
        what = getattr(exc, "kept", "every finished stage and item is kept")
        name = str(exc) or "SIGINT"
        click.secho(f"Interrupted ({name}): {what}; run the same command to resume.",
                    err=True, fg="yellow")
        if isinstance(exc, Interrupted):  # a real signal: exit now, nothing may hang it
            leave(code)
        raise click.exceptions.Exit(code) from None
    console = Console()
    print_all(console, run_renderables(outcome.result, console.width))
    state = "re-executed no stage (all cached)" if outcome.stages_run == 0 else (
        f"{outcome.stages_run} stage(s) run, {outcome.stages_cached} cached"
    )

    def say(text: str) -> None:
        console.print(text, markup=False, highlight=False, soft_wrap=True)

    say("\n" + wrapped(console, f"{state} in {outcome.seconds:.1f}s; report: "
                        f"{outcome.run_dir / 'report'}", indent=0))
    hint = outcome.mlflow_open
    if hint:
        say(f"Open in MLflow: {hint[0]}")
    if len(hint) > 1:
        say(f"  then {hint[1]}")
    apply_gate(LoadedRun(outcome.run_dir, outcome.result, outcome.result.outcomes), gate)
