"""Dataset ``uc-table`` on real local Spark: tables of the local catalog (written with the
plugin's own ``write_table`` or ``saveAsTable``), real struct / map / JSON label columns,
Spark's own errors, and a ``leasebench run`` over them.

Local Spark has no Delta Lake, so these tables have no history: ``fingerprint()`` is None
and the dataset is read on every run, keyed by content (what a view or a non-Delta table
does on Databricks). ``DESCRIBE HISTORY`` / ``VERSION AS OF`` need a workspace.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from leasebench.cli.main import make_cli
from leasebench.data.reader import read_records
from leasebench.errors import DataError
from leasebench.testing.conformance import check_dataset, make_context

from leasebench_databricks import tables
from leasebench_databricks.uc_table import UCTableDataset

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def corpus():
    tiny = ROOT / "fixtures" / "tiny"
    return read_records(tiny / "train.jsonl"), read_records(tiny / "holdout.jsonl")


@pytest.fixture
def uc(spark, corpus):
    """Train and hold-out tables written by the plugin's write_table, and their params."""
    train, holdout = f"{spark.schema}.train", f"{spark.schema}.holdout"
    tables.write_table(corpus[0], train)
    tables.write_table(corpus[1], holdout)
    spark.sql_seen.clear()
    return {"train_table": train, "holdout_table": holdout}


def load(params, tmp_path, fingerprint=True):
    dataset = UCTableDataset.from_dict(params)
    ctx = make_context(tmp_path)
    prints = dataset.fingerprint(ctx) if fingerprint else None
    return dataset.load(ctx), prints


def same(a, b) -> bool:
    return [r.model_dump(include={"id", "text", "labels"}) for r in a] == [
        r.model_dump(include={"id", "text", "labels"}) for r in b]


def test_records_from_json_labels(spark, uc, corpus, tmp_path):
    loaded, prints = load(uc, tmp_path)
    assert same(loaded.train, corpus[0]) and same(loaded.holdout, corpus[1])
    assert prints is None  # no Delta history: read every run, keyed by content
    assert spark.sql_seen == [
        f"DESCRIBE HISTORY {uc['train_table']} LIMIT 1",
        f"SELECT `id`, `text`, `labels` FROM {uc['train_table']}",
        f"SELECT `id`, `text`, `labels` FROM {uc['holdout_table']}",
    ]


def test_struct_map_and_per_field_columns(spark, tmp_path):
    table = f"{spark.schema}.typed"
    rows = [
        (2, "B", {"lessor": "Acme", "lessee": None}, ["X", None], "2020-01-01"),
        (1, "A", {"lessor": "Y", "lessee": None}, None, ""),
    ]
    ddl = "doc int, body string, labels struct<lessor:string,lessee:string>, " \
          "lessor array<string>, start string"
    spark.createDataFrame(rows, ddl).write.saveAsTable(table)
    base = {"train_table": table, "id_column": "doc", "text_column": "body"}
    loaded, _ = load(base, tmp_path, fingerprint=False)
    assert [(r.id, r.text, r.labels) for r in loaded.train] == [
        ("1", "A", {"lessor": ["Y"], "lessee": []}), ("2", "B", {"lessor": ["Acme"], "lessee": []})]
    per_field = {**base, "label_columns": {"lessor": "lessor", "start_date": "start"}}
    loaded, _ = load(per_field, tmp_path, fingerprint=False)
    assert [r.labels for r in loaded.train] == [
        {"lessor": [], "start_date": []}, {"lessor": ["X"], "start_date": ["2020-01-01"]}]
    assert spark.sql_seen[-1] == f"SELECT `doc`, `body`, `lessor`, `start` FROM {table}"
    mapped = f"{spark.schema}.mapped"
    spark.createDataFrame([("m", "M", {"lessor": ["P", "Q"]})],
                          "id string, text string, labels map<string,array<string>>"
                          ).write.saveAsTable(mapped)
    loaded, _ = load({"train_table": mapped}, tmp_path, fingerprint=False)
    assert loaded.train[0].labels == {"lessor": ["P", "Q"]}


@pytest.mark.parametrize(("rows", "params", "match"), [
    (None, {"train_table": "spark_catalog.nope.nope"},
     "cannot read spark_catalog.nope.nope.*NOT_FOUND"),
    ([], {}, "has no rows"),
    ([("a", "t", "{oops")], {}, r"\.bad: row 1, column 'labels': not valid JSON"),
    ([("a", "t", "[1]")], {},
     r"column 'labels': expected a JSON object of field -> value\(s\), got an array"),
    ([("a", "t", "{}")] * 2, {}, r"column 'id': duplicate id 'a' \(first at row \d\)"),
    ([("a", "t", "{}")], {"labels_column": "tags"}, "cannot read .*tags"),
    ([(None, None, "{}")], {}, r"2 problems\n  - row 1, column 'id': expected an id"),
    ([("a", "t", "{}")], {"version": 0}, "cannot read"),  # time travel needs Delta
])
def test_unreadable_data_is_a_data_error(spark, rows, params, match, tmp_path):
    table = f"{spark.schema}.bad"
    if rows is not None:
        spark.createDataFrame(rows, "id string, text string, labels string"
                              ).write.saveAsTable(table)
    with pytest.raises(DataError, match=match):
        load({"train_table": table, **params}, tmp_path, fingerprint=False)


def test_reference_table_shape_reads_na_as_absent(spark, tmp_path):
    table = f"{spark.schema}.reference"
    labels = {"lessor": ["Acme"], "lessee": "N/A", "end_date": ["n/a"]}
    spark.createDataFrame([("L1", "A lease by Acme", json.dumps(labels))],
                          "lease_id string, lease_doc string, labels string"
                          ).write.saveAsTable(table)
    params = {"train_table": table, "id_column": "lease_id", "text_column": "lease_doc"}
    loaded, _ = load(params, tmp_path, fingerprint=False)
    assert [(r.id, r.labels) for r in loaded.train] == [
        ("L1", {"lessor": ["Acme"], "lessee": [], "end_date": []})]


def test_params_need_three_part_table_names():
    with pytest.raises(ValueError, match="three-part"):
        UCTableDataset.from_dict({"train_table": "leases"})
    with pytest.raises(ValueError, match="three-part"):
        UCTableDataset.from_dict({"train_table": "a.b.c", "holdout_table": "x.y"})


def test_without_pyspark_the_error_says_what_to_do(monkeypatch, tmp_path):
    import builtins

    real = builtins.__import__

    def no_spark(name, *a, **k):
        if name.startswith("pyspark"):
            raise ImportError(name)
        return real(name, *a, **k)

    monkeypatch.setattr(tables, "SESSION_FACTORY", None)
    monkeypatch.setattr(builtins, "__import__", no_spark)
    for call in ("fingerprint", "load"):
        with pytest.raises(DataError, match=r"Databricks cluster.*pip install pyspark"):
            getattr(UCTableDataset.from_dict({"train_table": "a.b.c"}), call)(
                make_context(tmp_path))


def test_conformance(uc):
    report = check_dataset(UCTableDataset, uc)
    assert {"shape"} <= set(report.checks)


def test_leasebench_run_reads_uc_tables(spark, uc, corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("LEASEBENCH_PLUGINS", "leasebench-databricks")
    m = yaml.safe_load((ROOT / "fixtures" / "manifests" / "tiny.yaml").read_text())
    m["data"] = {"dataset": "uc-table", "params": uc}
    m["rounds"], m["stats"] = m["rounds"][:2], {"bootstrap": 20}
    path = tmp_path / "uc.yaml"
    path.write_text(yaml.safe_dump(m))
    cli = ["run", str(path), "--runs-dir", str(tmp_path / "runs"), "-q"]

    def ran() -> set[str]:
        result = CliRunner().invoke(make_cli(), cli)
        assert result.exit_code == 0, result.output + repr(result.exception)
        meta = json.loads(max((tmp_path / "runs").rglob("run.json"),
                              key=lambda p: p.stat().st_mtime).read_text())
        return {s["stage"] for s in meta["stages"] if not s["cached"]}

    assert {"load", "split"} <= ran()
    assert ran() == set()  # read again, same content: nothing re-run
    tables.write_table(corpus[1][:5], uc["holdout_table"])
    assert {"load", "split"} <= ran()


# -- Delta tables by path, made by the deltalake package: versions and time travel ------


@pytest.fixture
def delta(spark, corpus, tmp_path):
    """A Delta table of the train records: version 0 holds 6, version 1 all 12."""
    import pyarrow as pa
    from deltalake import write_deltalake

    path = tmp_path / "delta-train"

    def commit(records, mode="overwrite"):
        write_deltalake(str(path), pa.table({
            "id": [r.id for r in records], "text": [r.text for r in records],
            "labels": [json.dumps(r.labels) for r in records]}), mode=mode)

    commit(corpus[0][:6])
    commit(corpus[0])
    spark.sql_seen.clear()
    return f"delta.`{path}`", commit


def test_delta_fingerprint_pins_the_version_it_reads(spark, delta, corpus, tmp_path):
    table, commit = delta
    dataset = UCTableDataset.from_dict({"train_table": table})
    ctx = make_context(tmp_path / "w")
    first = dataset.fingerprint(ctx)
    assert first is not None
    prints = json.loads(first)
    assert prints["train"]["version"] == 1
    assert same(dataset.load(ctx).train, corpus[0])
    commit(corpus[0][:3])  # a write after the fingerprint does not slip into the load
    assert same(dataset.load(ctx).train, corpus[0])
    again = UCTableDataset.from_dict({"train_table": table}).fingerprint(ctx)
    assert again is not None and json.loads(again)["train"]["version"] == 2
    assert spark.sql_seen[0] == f"DESCRIBE HISTORY {table} LIMIT 1"  # Spark tried first


def test_delta_time_travel_reads_the_given_version(delta, corpus, tmp_path):
    table, _ = delta
    loaded, prints = load({"train_table": table, "version": 0}, tmp_path)
    assert same(loaded.train, sorted(corpus[0][:6], key=lambda r: r.id))
    assert json.loads(prints)["train"] == {"table": table, "version": 0, "timestamp": None}


def test_leasebench_run_reads_an_unchanged_delta_table_once(spark, delta, corpus, tmp_path,
                                                           monkeypatch):
    table, commit = delta
    monkeypatch.setenv("LEASEBENCH_PLUGINS", "leasebench-databricks")
    m = yaml.safe_load((ROOT / "fixtures" / "manifests" / "tiny.yaml").read_text())
    m["data"] = {"dataset": "uc-table", "params": {"train_table": table},
                 "holdout_fraction": 0.4}
    m["rounds"], m["stats"] = m["rounds"][:1], {"bootstrap": 0}
    path = tmp_path / "delta.yaml"
    path.write_text(yaml.safe_dump(m))
    cli = ["run", str(path), "--runs-dir", str(tmp_path / "runs"), "-q"]

    def ran() -> set[str]:
        spark.sql_seen.clear()
        result = CliRunner().invoke(make_cli(), cli)
        assert result.exit_code == 0, result.output + repr(result.exception)
        meta = json.loads(max((tmp_path / "runs").rglob("run.json"),
                              key=lambda p: p.stat().st_mtime).read_text())
        return {s["stage"] for s in meta["stages"] if not s["cached"]}

    assert {"load", "split"} <= ran()
    assert ran() == set()  # same Delta version: nothing read, nothing re-run
    assert spark.sql_seen == [f"DESCRIBE HISTORY {table} LIMIT 1"]
    commit(corpus[0][:10])
    assert "load" in ran()
