"""The record reader: formats, the column mapping, absent markers, ids, meta, streaming,
and problems reported together."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from leasebench.cli.main import make_cli
from leasebench.data.columns import ColumnMapping, ReadOptions
from leasebench.data.mapping import derived_id
from leasebench.data.reader import iter_records, read_records
from leasebench.errors import DataError
from leasebench.io import write_jsonl
from leasebench.records import Origin, Record
from leasebench.scoring.files import load_predictions

FIELDS = ("lessor", "lessee", "end_date")


def jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_labels_as_object_string_or_columns_give_the_same_records(tmp_path):
    want = [Record(id="a", text="Lease by Acme to Bo", labels={"lessor": ["Acme"], "lessee":
                                                                 ["Bo"], "end_date": []}),
            Record(id="b", text="Lease by Cy", labels={"lessor": ["Cy", "Di"], "lessee": [],
                                                         "end_date": []})]
    obj = jsonl(tmp_path / "obj.jsonl", [r.model_dump(include={"id", "text", "labels"})
                                         for r in want])
    as_string = jsonl(tmp_path / "str.jsonl", [
        {"id": "a", "text": want[0].text,
         "labels": json.dumps({"lessor": "Acme", "lessee": "Bo", "end_date": "N/A"})},
        {"id": "b", "text": want[1].text,
         "labels": json.dumps({"lessor": ["Cy", "Di"], "lessee": None, "end_date": ["n/a"]})},
    ])
    per_field = tmp_path / "cols.csv"
    pd.DataFrame([{"id": "a", "text": want[0].text, "lessor": "Acme", "lessee": "Bo",
                   "end_date": "N/A"},
                  {"id": "b", "text": want[1].text, "lessor": '["Cy", "Di"]', "lessee": "",
                   "end_date": "none"}]).to_csv(per_field, index=False)
    renamed = tmp_path / "renamed.csv"
    pd.read_csv(per_field, dtype=str, keep_default_na=False).rename(
        columns={"lessor": "landlord", "lessee": "tenant"}).to_csv(renamed, index=False)
    options = ReadOptions(fields=FIELDS)
    assert read_records(obj, options) == want
    assert read_records(as_string, options) == want
    assert read_records(per_field, options) == want
    by_list = ReadOptions(fields=FIELDS, columns=ColumnMapping(labels=list(FIELDS)))
    assert read_records(per_field, by_list) == want
    by_dict = ReadOptions(fields=FIELDS, columns=ColumnMapping(
        labels={"lessor": "landlord", "lessee": "tenant", "end_date": "end_date"}))
    assert read_records(renamed, by_dict) == want


def test_json_array_tsv_bom_and_multiline_cells(tmp_path):
    rows = [{"id": "a", "text": "line one\nline two, with \"quotes\"", "labels": {"lessor": ["X"]}}]
    (tmp_path / "r.json").write_text(json.dumps(rows), encoding="utf-8")
    frame = pd.DataFrame([{**rows[0], "labels": json.dumps(rows[0]["labels"])}])
    frame.to_csv(tmp_path / "r.csv", index=False, encoding="utf-8-sig")
    frame.to_csv(tmp_path / "r.tsv", index=False, sep="\t")
    got = [read_records(tmp_path / n) for n in ("r.json", "r.csv", "r.tsv")]
    assert got[0] == got[1] == got[2] and got[0][0].text == rows[0]["text"]


def test_custom_absent_markers(tmp_path):
    path = jsonl(tmp_path / "r.jsonl", [{"id": "a", "text": "t", "labels": {
        "lessor": ["-", "Acme"], "lessee": "Not stated", "end_date": "N/A"}}])
    (record,) = read_records(path, ReadOptions(absent=("-", "not stated")))
    assert record.labels == {"lessor": ["Acme"], "lessee": [], "end_date": ["N/A"]}


def test_derived_ids_are_stable_and_order_independent(tmp_path):
    texts = ["first lease", "second lease", "first lease"]
    a = tmp_path / "a.csv"
    pd.DataFrame({"text": texts, "lessor": ["X", "Y", "Z"]}).to_csv(a, index=False)
    b = tmp_path / "b.csv"
    pd.DataFrame({"text": texts[::-1][:2], "lessor": ["Z", "Y"]}).to_csv(b, index=False)
    ids = [r.id for r in read_records(a)]
    assert ids == [r.id for r in read_records(a)]
    assert ids == [derived_id("first lease", 1), derived_id("second lease", 1),
                   derived_id("first lease", 2)]
    assert ids[0].startswith("doc-") and ids[2] == ids[0] + "-2"
    assert {r.id: r.text for r in read_records(b)}[ids[1]] == "second lease"


def test_extra_columns_go_to_meta_and_native_records_round_trip(tmp_path):
    path = tmp_path / "r.csv"
    pd.DataFrame([{"lease_id": 7, "doc": "t", "labels": "{}", "url": "https://x",
                   "pages": 3}]).to_csv(path, index=False)
    options = ReadOptions(columns=ColumnMapping(id="lease_id", text="doc"))
    (record,) = read_records(path, options)
    assert record.id == "7" and record.meta == {"url": "https://x", "pages": "3"}
    native = [Record(id="s1", text="t", labels={"lessor": ["A"]}, meta={"k": [1, 2]},
                     origin=Origin(kind="synthetic", generator="swap", batch=1, source_id="a"))]
    write_jsonl(tmp_path / "native.jsonl", native)
    assert read_records(tmp_path / "native.jsonl") == native


def test_parquet_types_struct_map_list_and_ints(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    table = pa.table({
        "id": pa.array([1, 2], pa.int64()),
        "text": ["a", "b"],
        "labels": pa.array([[("lessor", ["X"]), ("lessee", ["N/A"])], [("lessor", [])]],
                           pa.map_(pa.string(), pa.list_(pa.string()))),
        "score": [0.5, float("nan")],
    })
    pq.write_table(table, tmp_path / "m.parquet")
    first, second = read_records(tmp_path / "m.parquet")
    assert (first.id, first.labels) == ("1", {"lessor": ["X"], "lessee": []})
    assert second.labels == {"lessor": []} and second.meta == {"score": None}
    struct = pa.table({"id": ["a"], "text": ["t"], "labels": pa.array(
        [{"lessor": ["X"], "lessee": None}])})
    pq.write_table(struct, tmp_path / "s.parquet")
    assert read_records(tmp_path / "s.parquet")[0].labels == {"lessor": ["X"], "lessee": []}


def test_records_stream_and_problems_come_together_at_the_end(tmp_path):
    rows = [{"id": f"r{i}", "text": "t", "labels": {}} for i in range(3)]
    path = tmp_path / "r.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows)
                    + "".join(f"bad line {i}\n" for i in range(30)), encoding="utf-8")
    stream = iter_records(path)
    assert next(stream).id == "r0"  # yielded before the bad lines are read
    with pytest.raises(DataError) as info:
        list(stream)
    message = str(info.value)
    assert message.startswith(f"{path}: 30 problems")
    assert "line 4: not valid JSON" in message and "line 23: not valid JSON" in message
    assert "line 24:" not in message and "... and 10 more problem(s)" in message


def test_a_mapping_that_does_not_fit_names_the_columns_and_a_fix(tmp_path):
    path = tmp_path / "leases.csv"
    pd.DataFrame([{"lease_id": "L1", "request": "A long lease text " * 5,
                   "labels": json.dumps({"lessor": "A"})}]).to_csv(path, index=False)
    with pytest.raises(DataError) as info:
        read_records(path, ReadOptions(fields=FIELDS))
    assert str(info.value) == (
        f"{path}: no text column 'text' (columns found: 'lease_id', 'request', 'labels'); "
        "to map them, add to the manifest's data: "
        "columns: {id: lease_id, text: request, labels: labels}")
    with pytest.raises(DataError, match=r"no label column\(s\) 'owner'"):
        read_records(path, ReadOptions(columns=ColumnMapping(
            text="request", labels={"lessor": "owner"})))


def test_size_limit_names_the_limit_and_how_to_raise_it(tmp_path, monkeypatch):
    path = jsonl(tmp_path / "r.jsonl", [{"id": "a", "text": "t" * 3000}])
    with pytest.raises(DataError, match=r"3.0 KB is over the 1.0 KB limit on data files; "
                       "to raise it, set data.max_file_mb"):
        read_records(path, ReadOptions(max_bytes=1000))
    monkeypatch.setenv("LEASEBENCH_MAX_FILE_MB", "0.001")
    with pytest.raises(DataError, match="LEASEBENCH_MAX_FILE_MB"):
        read_records(path)
    monkeypatch.setenv("LEASEBENCH_MAX_FILE_MB", "5")
    assert len(read_records(path)) == 1


def test_predictions_share_the_reader_and_the_absent_markers(tmp_path):
    path = tmp_path / "p.csv"
    pd.DataFrame([
        {"lease_id": "a", "fields": json.dumps({"lessor": ["N/A"], "lessee": "Bo"}),
         "error": ""},
        {"lease_id": "b", "fields": "", "error": "timeout"},
        {"lease_id": "c", "fields": "Sure! ```json\n{\"lessor\": \"Cy\"}\n```", "error": ""},
    ]).to_csv(path, index=False)
    options = ReadOptions(columns=ColumnMapping(id="lease_id"))
    a, b, c = load_predictions(path, None, options)
    assert a.fields == {"lessor": [], "lessee": ["Bo"]} and a.error is None
    assert b.error == "timeout" and c.fields == {"lessor": ["Cy"]}


def test_cli_column_options(tmp_path):
    gold = tmp_path / "g.csv"
    pd.DataFrame([{"doc_key": "a", "landlord": "Acme", "tenant": "N/A"}]).to_csv(
        gold, index=False)
    pred = jsonl(tmp_path / "p.jsonl", [{"doc_key": "a", "fields": {"lessor": "ACME"}}])
    cli = make_cli()
    result = CliRunner().invoke(cli, [
        "score", "--gold", str(gold), "--pred", str(pred), "--column", "id=doc_key",
        "--column", "labels.lessor=landlord", "--column", "labels.lessee=tenant",
        "--format", "json", "--iterations", "0"])
    assert result.exit_code == 0, result.output
    fields = json.loads(result.output)["summary"]["fields"]
    assert fields["lessor"]["tp"] == 1 and fields["lessee"]["support"] == 0
    bad = CliRunner().invoke(cli, ["score", "--gold", str(gold), "--pred", str(pred),
                                   "--column", "title=x"])
    assert bad.exit_code == 2 and "KEY is id, text, labels or labels.FIELD" in bad.output


def test_a_run_drops_absent_markers_from_predictions_as_score_does(tmp_path):
    from leasebench.records import Prediction
    from leasebench.scoring.files import without_absent

    preds = [Prediction(id="a", fields={"lessor": ["-", "Acme"], "lessee": ["N/A"]}),
             Prediction(id="b", error="timeout")]
    write_jsonl(tmp_path / "p.jsonl", preds)
    markers = ("-", "N/A")
    read = load_predictions(tmp_path / "p.jsonl", None, ReadOptions(absent=markers))
    assert [p.fields for p in without_absent(preds, markers)] == [p.fields for p in read]
    assert read[0].fields == {"lessor": ["Acme"], "lessee": []} and read[1].error == "timeout"
