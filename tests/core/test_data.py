"""Loading records from JSONL, CSV and Parquet; splitting; clear errors."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from leasebench.data.reader import read_records
from leasebench.errors import DataError
from leasebench.runner.data import conform
from leasebench.schema import builtin_schema, load_schema


def test_jsonl_csv_parquet_give_the_same_records(tmp_path):
    rows = [
        {"id": "a", "text": "Lease by Acme", "labels": {"lessor": ["Acme"], "lessee": []}},
        {"id": "b", "text": "Lease to Bo", "labels": {"lessee": ["Bo"]}},
    ]
    jsonl = tmp_path / "r.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in rows))
    flat = pd.DataFrame([{"id": r["id"], "text": r["text"], "labels": json.dumps(r["labels"])}
                         for r in rows])
    flat.to_csv(tmp_path / "r.csv", index=False)
    a = read_records(jsonl)
    b = read_records(tmp_path / "r.csv")
    assert a == b
    pytest.importorskip("pyarrow")
    flat.to_parquet(tmp_path / "r.parquet")
    assert read_records(tmp_path / "r.parquet") == a


def test_column_per_field_csv(tmp_path):
    pd.DataFrame([{"id": 1, "text": "t", "lessor": '["Acme"]', "lessee": "Bo"}]).to_csv(
        tmp_path / "r.csv", index=False)
    (record,) = read_records(tmp_path / "r.csv")
    assert record.id == "1" and record.labels == {"lessor": ["Acme"], "lessee": ["Bo"]}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"id": "a", "text": "t"}\nnot json\n', r"r.jsonl: line 2: not valid JSON"),
        ('{"id": "a", "text": "t"}\n[1]\n', r"r.jsonl: line 2: expected a JSON object"),
        ('{"id": "a"}\n', r"r.jsonl: no text column 'text' \(columns found: 'id'\)"),
        ('{"id": "a", "text": "t"}\n{"id": "a", "text": "u"}\n',
         r"line 2, column 'id': duplicate id 'a' \(first at line 1\)"),
        ('{"id": "a", "text": "t", "labels": {"x": [{}]}}\n',
         r"r.jsonl: line 1, column 'labels.x': expected a string or a list of strings"),
    ],
)
def test_bad_records_name_file_and_line(tmp_path, content, message):
    path = tmp_path / "r.jsonl"
    path.write_text(content)
    with pytest.raises(DataError, match=message):
        read_records(path)


def test_unknown_format_and_missing_file(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        read_records(tmp_path / "nope.jsonl")
    (tmp_path / "r.xml").write_text("<x/>")
    with pytest.raises(DataError, match=r"unknown format '\.xml'"):
        read_records(tmp_path / "r.xml")


def test_conform_fills_absent_fields_and_rejects_unknown(tmp_path):
    schema = builtin_schema("lease")
    path = tmp_path / "r.jsonl"
    path.write_text('{"id": "a", "text": "t", "labels": {"lessor": ["x"]}}\n')
    (record,) = conform(read_records(path), schema, "data.train")
    assert record.labels["lessee"] == [] and list(record.labels) == schema.fields
    path.write_text('{"id": "a", "text": "t", "labels": {"landlord": ["x"]}}\n')
    with pytest.raises(DataError, match="record 'a' has label\\(s\\) not in schema"):
        conform(read_records(path), schema, "data.train")


def test_custom_schema_file(tmp_path):
    path = tmp_path / "invoice.json"
    path.write_text(json.dumps({"properties": {
        "total": {"type": "array", "items": {"type": "string"}, "x-kind": "money"},
        "vendor": {"type": "array", "items": {"type": "string"}, "x-kind": "party"},
    }}))
    schema = load_schema("invoice.json", tmp_path)
    assert schema.fields == ["total", "vendor"] and schema.kind("total") == "money"
    assert schema.label_errors({"total": ["1"]}) == ["labels: 'vendor' is a required property"]
    path.write_text(json.dumps({"properties": {"total": {"x-kind": "currency"}}}))
    with pytest.raises(DataError, match="x-kind: 'currency' is not one of"):
        load_schema(str(path))
