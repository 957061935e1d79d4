"""``read_table`` / ``write_table`` / ``write_chat_table`` and ``databricks table-export /
table-import`` on real local Spark, with tables in the local catalog."""

from __future__ import annotations

import json

from click.testing import CliRunner
from dbx_helpers import records
from leasebench.cli.main import make_cli
from leasebench.data.reader import read_records
from leasebench.io import write_jsonl
from leasebench.records import Origin

from leasebench_databricks import tables
from leasebench_databricks.chat import chat_rows


def test_write_then_read_round_trips(spark):
    table = f"{spark.schema}.records"
    written = records(4)
    written[1] = written[1].model_copy(update={"origin": Origin(
        kind="synthetic", generator="swap", batch=2, source_id="doc0")})
    assert tables.write_table(written, table) == 4
    back = sorted(tables.read_table(table), key=lambda r: r.id)
    assert [(r.id, r.text, r.labels) for r in back] == [(r.id, r.text, r.labels) for r in written]
    row = spark.table(table).where("id = 'doc1'").collect()[0]
    assert json.loads(row["origin"])["generator"] == "swap"  # the lineage is kept as JSON
    assert tables.write_table(written[:2], table) == 2  # overwrite, not append
    assert spark.table(table).count() == 2


def test_chat_table_has_the_messages_column(spark, schema):
    table = f"{spark.schema}.chat"
    rows = chat_rows(records(3), schema)
    assert tables.write_chat_table(rows, table) == 3
    assert spark.table(table).schema.simpleString() == (
        "struct<messages:array<struct<role:string,content:string>>>")
    got = [[m.asDict() for m in r["messages"]] for r in spark.table(table).collect()]
    assert sorted(got, key=str) == sorted((r["messages"] for r in rows), key=str)


def test_table_import_and_export_commands(spark, tmp_path, monkeypatch):
    monkeypatch.setenv("LEASEBENCH_PLUGINS", "leasebench-databricks")
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(source, records(5))
    table = f"{spark.schema}.imported"
    cli = make_cli()
    done = CliRunner().invoke(cli, ["databricks", "table-import", str(source), table])
    assert done.exit_code == 0, done.output
    assert f"5 records -> {table}" in done.output and spark.table(table).count() == 5
    done = CliRunner().invoke(cli, ["databricks", "table-export", table, str(out)])
    assert done.exit_code == 0, done.output
    assert sorted((r.id, r.labels) for r in read_records(out)) == sorted(
        (r.id, r.labels) for r in records(5))
    bad = CliRunner().invoke(cli, ["databricks", "table-export", "not_three_part", str(out)])
    assert bad.exit_code != 0 and "three-part" in bad.output
