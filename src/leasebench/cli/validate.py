"""``leasebench validate``: check a manifest, reporting every problem at once."""

from __future__ import annotations

from pathlib import Path

import click

from ..plugin_manager import PluginManager, build_registry
from ..runner.preflight import validate_manifest


@click.command("validate")
@click.argument("manifest", type=click.Path(path_type=Path))
@click.pass_obj
def validate_command(pm: PluginManager, manifest: Path) -> None:
    """Validate MANIFEST: everything `run` checks before its first stage.

    The manifest (keys, names, component params, sweeps, rounds, size limits), the schema
    file and the data files (readable, parse, unique ids, labels in the schema).
    """
    loaded = validate_manifest(manifest, build_registry(pm))
    m = loaded.manifest
    click.echo(
        f"{manifest}: ok ({m.name}: {len(m.rounds)} round(s), "
        f"{m.max_batches} synthetic batch(es), manifest hash {loaded.hash[:12]})"
    )
