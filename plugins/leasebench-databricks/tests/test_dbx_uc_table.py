"""Dataset ``uc-table`` over a stand-in Spark session: records, versions, errors, a run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from leasebench.cli.main import make_cli
from leasebench.errors import DataError
from leasebench.io import read_records
from leasebench.testing.conformance import check_dataset, make_context
from spark_stand_in import StandInSpark, rows_of

from leasebench_databricks import tables
from leasebench_databricks.uc_table import UCTableDataset

ROOT = Path(__file__).resolve().parents[3]
TRAIN, HOLDOUT = "main.leases.train", "main.leases.holdout"
PARAMS = {"train_table": TRAIN, "holdout_table": HOLDOUT}


@pytest.fixture
def corpus():
    tiny = ROOT / "fixtures" / "tiny"
    return read_records(tiny / "train.jsonl"), read_records(tiny / "holdout.jsonl")


@pytest.fixture
def spark(corpus, monkeypatch):
    """Two tables (train at version 1, hold-out at version 0) as the session uc-table gets."""
    train, holdout = corpus
    session = StandInSpark({TRAIN: [rows_of(train[:6]), rows_of(train)],
                            HOLDOUT: [rows_of(holdout)]})
    monkeypatch.setattr(tables, "SESSION_FACTORY", lambda: session)
    return session


def load(params, tmp_path, fingerprint=True):
    dataset = UCTableDataset.from_dict(params)
    ctx = make_context(tmp_path)
    prints = dataset.fingerprint(ctx) if fingerprint else None
    return dataset.load(ctx), prints


def test_records_from_json_labels(spark, corpus, tmp_path):
    loaded, prints = load(PARAMS, tmp_path)
    assert [r.model_dump() for r in loaded.train] == [r.model_dump() for r in corpus[0]]
    assert [r.model_dump() for r in loaded.holdout] == [r.model_dump() for r in corpus[1]]
    # the fingerprint pins each table's current version, and load reads exactly that
    assert spark.sql_seen == [
        f"DESCRIBE HISTORY {TRAIN} LIMIT 1",
        f"DESCRIBE HISTORY {HOLDOUT} LIMIT 1",
        f"SELECT `id`, `text`, `labels` FROM {TRAIN} VERSION AS OF 1",
        f"SELECT `id`, `text`, `labels` FROM {HOLDOUT} VERSION AS OF 0",
    ]
    assert json.loads(prints)["train"] == {"table": TRAIN, "version": 1,
                                           "timestamp": "2025-01-02 00:00:00"}
    assert json.loads(prints)["params"]["holdout_table"] == HOLDOUT


def test_fingerprint_follows_the_table_version(spark, corpus, tmp_path):
    ctx = make_context(tmp_path)
    before = UCTableDataset.from_dict(PARAMS).fingerprint(ctx)
    assert UCTableDataset.from_dict(PARAMS).fingerprint(ctx) == before
    spark.commit(TRAIN, rows_of(corpus[0][:3]))
    after = UCTableDataset.from_dict(PARAMS).fingerprint(ctx)
    assert after != before and json.loads(after)["train"]["version"] == 2
    assert all(s.startswith("DESCRIBE HISTORY") for s in spark.sql_seen)  # no table read


def test_time_travel_reads_the_given_version(spark, tmp_path):
    loaded, prints = load({"train_table": TRAIN, "version": 0}, tmp_path)
    assert len(loaded.train) == 6 and loaded.holdout is None
    assert spark.sql_seen == [f"SELECT `id`, `text`, `labels` FROM {TRAIN} VERSION AS OF 0"]
    assert json.loads(prints)["train"] == {"table": TRAIN, "version": 0, "timestamp": None}


def test_a_view_without_history_is_loaded_every_run(corpus, monkeypatch, tmp_path):
    session = StandInSpark({"main.leases.v": [rows_of(corpus[0])]}, no_history=("main.leases.v",))
    monkeypatch.setattr(tables, "SESSION_FACTORY", lambda: session)
    loaded, prints = load({"train_table": "main.leases.v"}, tmp_path)
    assert prints is None and len(loaded.train) == 12
    assert session.sql_seen[-1] == "SELECT `id`, `text`, `labels` FROM main.leases.v"


def test_struct_map_and_per_field_columns(monkeypatch, tmp_path):
    rows = [
        {"doc": 2, "body": "B", "labels": {"lessor": "Acme", "lessee": None},
         "lessor": ["X", None], "start": "2020-01-01"},
        {"doc": 1, "body": "A", "labels": {"lessor": ["Y", "Z"], "lessee": []},
         "lessor": None, "start": ""},
    ]
    session = StandInSpark({TRAIN: [rows]})
    monkeypatch.setattr(tables, "SESSION_FACTORY", lambda: session)
    base = {"train_table": TRAIN, "id_column": "doc", "text_column": "body"}
    loaded, _ = load(base, tmp_path)
    assert [(r.id, r.text, r.labels) for r in loaded.train] == [
        ("1", "A", {"lessor": ["Y", "Z"], "lessee": []}),
        ("2", "B", {"lessor": ["Acme"], "lessee": []}),
    ]
    per_field = {**base, "label_columns": {"lessor": "lessor", "start_date": "start"}}
    loaded, _ = load(per_field, tmp_path, fingerprint=False)
    assert [r.labels for r in loaded.train] == [
        {"lessor": [], "start_date": []}, {"lessor": ["X"], "start_date": ["2020-01-01"]}]
    assert session.sql_seen[-1] == f"SELECT `doc`, `body`, `lessor`, `start` FROM {TRAIN}"
    loaded, _ = load({**base, "label_columns": ["lessor"]}, tmp_path, fingerprint=False)
    assert [r.labels for r in loaded.train] == [{"lessor": []}, {"lessor": ["X"]}]


@pytest.mark.parametrize(("rows", "params", "match"), [
    (None, {"train_table": "main.leases.nope"}, "cannot read main.leases.nope.*NOT_FOUND"),
    ([], {}, "has no rows"),
    ([{"id": "a", "text": "t", "labels": "{oops"}], {},
     "main.leases.train: row 1, column 'labels': not valid JSON"),
    ([{"id": "a", "text": "t", "labels": "[1]"}], {},
     r"column 'labels': expected a JSON object of field -> value\(s\), got an array"),
    ([{"id": "a", "text": "t", "labels": "{}"}] * 2, {},
     r"row 2, column 'id': duplicate id 'a' \(first at row 1\)"),
    ([{"id": "a", "text": "t"}], {}, "UNRESOLVED_COLUMN.* labels"),
    ([{"id": None, "text": None, "labels": "{}"}], {},
     r"2 problems\n  - row 1, column 'id': expected an id .*got no value\n"
     r"  - row 1, column 'text': expected the document text"),
])
def test_unreadable_data_is_a_data_error(rows, params, match, monkeypatch, tmp_path):
    session = StandInSpark({TRAIN: [rows or []]})
    monkeypatch.setattr(tables, "SESSION_FACTORY", lambda: session)
    with pytest.raises(DataError, match=match):
        load({"train_table": TRAIN, **params}, tmp_path, fingerprint=False)


def test_reference_table_shape_reads_na_as_absent(monkeypatch, tmp_path):
    labels = {"lessor": ["Acme"], "lessee": "N/A", "end_date": ["n/a"]}
    rows = [{"lease_id": "L1", "lease_doc": "A lease by Acme", "labels": json.dumps(labels)}]
    session = StandInSpark({TRAIN: [rows]})
    monkeypatch.setattr(tables, "SESSION_FACTORY", lambda: session)
    params = {"train_table": TRAIN, "id_column": "lease_id", "text_column": "lease_doc"}
    loaded, _ = load(params, tmp_path, fingerprint=False)
    assert [(r.id, r.labels) for r in loaded.train] == [
        ("L1", {"lessor": ["Acme"], "lessee": [], "end_date": []})]


def test_params_need_three_part_table_names():
    with pytest.raises(ValueError, match="three-part"):
        UCTableDataset.from_dict({"train_table": "leases"})
    with pytest.raises(ValueError, match="three-part"):
        UCTableDataset.from_dict({"train_table": TRAIN, "holdout_table": "x.y"})


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
            getattr(UCTableDataset.from_dict(PARAMS), call)(make_context(tmp_path))


def test_conformance(spark):
    report = check_dataset(UCTableDataset, PARAMS)
    assert {"shape", "fingerprint"} <= set(report.checks)
    check_dataset(UCTableDataset, {"train_table": TRAIN, "version": 0})


def test_leasebench_run_reads_uc_tables_once(spark, corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("LEASEBENCH_PLUGINS", "leasebench-databricks")
    m = yaml.safe_load((ROOT / "fixtures" / "manifests" / "tiny.yaml").read_text())
    m["data"] = {"dataset": "uc-table", "params": PARAMS}
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
    assert sum(s.startswith("SELECT") for s in spark.sql_seen) == 2
    spark.sql_seen.clear()
    assert ran() == set()  # same versions: nothing read, nothing re-run
    assert all(s.startswith("DESCRIBE HISTORY") for s in spark.sql_seen)
    spark.commit(HOLDOUT, rows_of(corpus[1][:5]))
    assert "load" in ran()
    assert f"SELECT `id`, `text`, `labels` FROM {HOLDOUT} VERSION AS OF 1" in spark.sql_seen
