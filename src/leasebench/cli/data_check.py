"""``leasebench data check FILE... | MANIFEST``: the data card of labelled records."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click
from rich.console import Console

from ..data.card import NEAR_DUP_THRESHOLD, DataCard, build_card
from ..data.card_render import render_card
from ..data.reader import check_disjoint, read_records
from ..io import atomic_write_text
from ..plugin_manager import PluginManager, build_registry
from ..records import Record
from ..reporting.terminal import print_all
from ..reporting.terminal_card import card_renderables
from ..schema import FieldSchema, load_schema
from ..scoring.files import infer_schema, mistyped_builtin
from .data_options import data_options, read_options

MANIFEST_SUFFIXES = (".yaml", ".yml")


@click.command("check")
@click.argument("targets", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--schema", "schema_spec", default=None,
              help="With files: built-in schema name or JSON Schema file [default: lease if "
                   "the labels fit it, else every labelled field as text].")
@data_options
@click.option("--runs-dir", type=click.Path(path_type=Path), default=Path("runs"),
              show_default=True,
              help="With a manifest: where its load and split stages are cached.")
@click.option("--near-dup", type=click.FloatRange(0, 1, min_open=True),
              default=NEAR_DUP_THRESHOLD, show_default=True,
              help="Shingle Jaccard similarity from which two documents are near-duplicates.")
@click.option("--format", "fmt", type=click.Choice(["auto", "table", "md", "json"]),
              default="auto", show_default=True,
              help="Print the data card as tables (`auto` on a terminal), Markdown (`auto` "
              "when piped) or JSON.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also write data_card.json and data_card.md into this directory.")
@click.option("--fail-on-warnings", is_flag=True, help="Exit code 1 when there are warnings.")
@click.pass_obj
def check_command(
    pm: PluginManager, targets: tuple[Path, ...], schema_spec: str | None, columns: tuple[str, ...],
    absent: tuple[str, ...], max_file_mb: float | None, runs_dir: Path, near_dup: float,
    fmt: str, out: Path | None, fail_on_warnings: bool,
) -> None:
    """The data card of a manifest's data, or of record files (each file a split).

    Counts, field presence, where gold values occur in their documents (verbatim, after
    normalisation, not at all), document lengths, identical and near-duplicate documents
    within and across splits, and warnings. A manifest's data is read exactly as `run`
    reads it (its cached load and split stages); files are read by the same reader, with
    --column/--absent for their mapping (docs/data.md).
    """
    if len(targets) == 1 and targets[0].suffix.lower() in MANIFEST_SUFFIXES:
        if schema_spec or columns or absent or max_file_mb:
            raise click.UsageError("with a manifest, the schema and the column mapping come "
                                   "from the manifest's `schema` and `data`")
        title, splits, schema = _from_manifest(pm, targets[0], runs_dir)
    else:
        given = load_schema(schema_spec) if schema_spec else None
        options = read_options(columns, absent, max_file_mb,
                               fields=tuple(given.fields) if given else None)
        splits = [(_split_name(p, targets), read_records(p, options)) for p in targets]
        records = [r for _, part in splits for r in part]
        typo = None if given else mistyped_builtin(records)
        if typo is not None:  # read again against it: its reader names each key, as
            options = read_options(columns, absent, max_file_mb,  # `validate` does
                                   fields=tuple(typo.fields))
            splits = [(_split_name(p, targets), read_records(p, options)) for p in targets]
        check_disjoint([(str(p), records) for p, (_, records) in zip(targets, splits,
                                                                      strict=True)])
        schema = given or infer_schema([r for _, records in splits for r in records])
        title = ", ".join(str(p) for p in targets)
    card = build_card(splits, schema, near_dup_threshold=near_dup)
    markdown = render_card(card, f"Data card: {title}")
    if fmt == "auto":
        fmt = "table" if sys.stdout.isatty() else "md"
    if fmt == "table":
        console = Console()
        print_all(console, card_renderables(card, f"Data card: {title}", console.width))
    else:
        click.echo(markdown if fmt == "md" else card.model_dump_json(indent=2),
                   nl=fmt == "json")
    if out is not None:
        _write(card, markdown, out)
    if fail_on_warnings and card.warnings:
        raise click.exceptions.Exit(1)


def _from_manifest(pm: PluginManager, path: Path, runs_dir: Path
                   ) -> tuple[str, list[tuple[str, Sequence[Record]]], FieldSchema]:
    from ..runner.run import make_env, prepare_data

    env = make_env(path, runs_dir=runs_dir, quiet=True, registry=build_registry(pm))
    splits, _ = prepare_data(env)
    return (env.loaded.manifest.name, [("train", splits.train), ("holdout", splits.holdout)],
            env.schema)


def _split_name(path: Path, targets: tuple[Path, ...]) -> str:
    stems = [t.stem for t in targets]
    return path.stem if stems.count(path.stem) == 1 else str(path)


def _write(card: DataCard, markdown: str, out: Path) -> None:
    atomic_write_text(out / "data_card.json", card.model_dump_json(indent=2) + "\n")
    atomic_write_text(out / "data_card.md", markdown)
    click.echo(f"wrote {out / 'data_card.json'} and {out / 'data_card.md'}", err=True)


__all__ = ["check_command"]
