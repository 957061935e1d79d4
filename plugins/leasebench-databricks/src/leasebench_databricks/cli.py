"""``leasebench databricks ...``: check access, tear endpoints down, move tables."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path
from typing import Any

import click
from leasebench.data.reader import read_records
from leasebench.io import write_jsonl

from .workspace import DatabricksError, host_of, workspace_client

TRAINERS = ("databricks-finetune", "databricks-job")


@click.group("databricks")
def databricks() -> None:
    """Run leasebench on Databricks: access checks, clean-up, UC tables."""


def _exists(w: Any, method: str, path: str) -> bool | str:
    try:
        w.api_client.do(method, path)
        return True
    except Exception as exc:
        if type(exc).__name__ in ("NotFound", "ResourceDoesNotExist"):
            return False
        return f"{type(exc).__name__}: {exc}"


def _trainer_params(manifest: Path) -> tuple[str, list[dict[str, Any]]]:
    from leasebench.manifest.load import load_manifest, sweep_trials
    from leasebench.plugin_manager import build_registry

    loaded = load_manifest(manifest, build_registry())
    m = loaded.manifest
    arm, spec = next(((a, s) for a, s in m.trainer_arms.items() if s.name in TRAINERS),
                     (None, None))
    if spec is None:
        raise DatabricksError(f"{manifest}: no trainer is one of {', '.join(TRAINERS)}")
    cls = build_registry().get("trainer", spec.name)
    trials = [cls.Params.model_validate({**spec.params, **t}) for t in sweep_trials(spec.sweep)]
    rounds = {r.synthetic_batches for r in m.rounds if r.trained and m.arm_of(r) == arm}
    return spec.name, [{"params": t, "rounds": len(rounds)} for t in trials]


@databricks.command("check")
@click.argument("manifest", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--profile", default=None, help="~/.databrickscfg profile (default: env auth).")
def check(manifest: Path | None, profile: str | None) -> None:
    """Verify workspace access; with MANIFEST, what a run would create."""
    trainer, trials = _trainer_params(manifest) if manifest else (None, [])
    if trials and profile is None:
        profile = trials[0]["params"].profile
    w = workspace_client(profile)
    me = w.api_client.do("GET", "/api/2.0/preview/scim/v2/Me")
    click.echo(f"workspace  {host_of(w)}")
    click.echo(f"user       {me.get('userName')}")
    if not trials:
        return
    p = trials[0]["params"]
    problems = []
    catalog_schema = ".".join(p.register_to.split(".")[:2])
    volume_root = "/".join(p.volume.split("/")[:5])
    checks = {
        f"schema {catalog_schema}": ("GET", f"/api/2.1/unity-catalog/schemas/{catalog_schema}"),
        f"volume {volume_root}": ("HEAD", "/api/2.0/fs/directories"
                                  + urllib.parse.quote(volume_root)),
    }
    if p.register_to.count(".") == 2:
        checks[f"model {p.register_to}"] = (
            "GET", f"/api/2.1/unity-catalog/models/{p.register_to}")
    for label, (method, path) in checks.items():
        found = _exists(w, method, path)
        mark = "ok" if found is True else ("absent" if found is False else f"error {found}")
        click.echo(f"{label:<45} {mark}")
        if found is not True and not label.startswith("model"):
            problems.append(label)
    if trainer == "databricks-finetune":
        from .finetune_api import FinetuneClient

        try:
            FinetuneClient(w)._graphql(  # one cheap read proves the service answers
                "query GetFinetunesPaginated($getFinetunesPaginatedData: "
                "GetFinetunesPaginatedInput!) { getFinetunesPaginated(getFinetunesPaginatedData:"
                " $getFinetunesPaginatedData) { cursor } }",
                {"getFinetunesPaginatedData": {"filters": {}, "limit": 1}},
                "getFinetunesPaginated")
            click.echo(f"{'fine-tuning service':<45} ok")
        except DatabricksError as exc:
            click.echo(f"{'fine-tuning service':<45} error {exc}")
            problems.append("fine-tuning service")
    n = len(trials) * trials[0]["rounds"]
    kind = "fine-tuning runs" if trainer == "databricks-finetune" else "one-time job runs"
    click.echo("\nA run would create, at most (rounds with equal data share their training):")
    click.echo(f"  {n} {kind} ({len(trials)} trial(s) x {trials[0]['rounds']} training round(s))")
    click.echo(f"  files under {p.volume}/<trial>/")
    click.echo(f"  {n} version(s) of UC model {p.register_to}")
    if p.deploy.enabled:
        rounds = 1 if p.deploy.endpoint_name else trials[0]["rounds"]
        click.echo(f"  {rounds} serving endpoint(s) ({p.deploy.mode}; the selected trial of "
                   "each round); delete them with `leasebench databricks teardown RUNS_DIR`")
    if problems:
        raise click.ClickException("missing or unreachable: " + ", ".join(problems))


def endpoints_in(runs_dir: Path) -> list[str]:
    """Endpoint names recorded by this plugin's trainers under a runs directory."""
    names = set()
    for state in runs_dir.rglob("databricks.json"):
        endpoint = json.loads(state.read_text("utf-8")).get("endpoint")
        if endpoint:
            names.add(endpoint)
    return sorted(names)


@databricks.command("teardown")
@click.argument("runs_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--profile", default=None, help="~/.databrickscfg profile (default: env auth).")
@click.option("--yes", is_flag=True, help="Delete without asking.")
def teardown(runs_dir: Path, profile: str | None, yes: bool) -> None:
    """Delete the serving endpoints the trainers created for runs under RUNS_DIR."""
    from .serving import delete_endpoint

    names = endpoints_in(runs_dir)
    if not names:
        click.echo("no endpoints recorded")
        return
    if not yes:
        click.confirm(f"delete {len(names)} endpoint(s): {', '.join(names)}?", abort=True)
    w = workspace_client(profile)
    for name in names:
        click.echo(f"{name}: {'deleted' if delete_endpoint(w, name) else 'already gone'}")


@databricks.command("table-export")
@click.argument("table")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def table_export(table: str, out: Path) -> None:
    """Write UC table TABLE (id, text, labels) to a JSONL file a manifest can name."""
    from .tables import read_table

    records = read_table(table)
    write_jsonl(out, records)
    click.echo(f"{len(records)} records -> {out}")


@databricks.command("table-import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("table")
def table_import(source: Path, table: str) -> None:
    """Overwrite UC table TABLE with the records of a JSONL/CSV/Parquet file."""
    from .tables import write_table

    click.echo(f"{write_table(read_records(source), table)} records -> {table}")


__all__ = ["databricks", "endpoints_in"]
