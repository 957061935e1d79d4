"""The standalone ``score`` command on real files."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from leasebench.cli.score import score
from leasebench.errors import DataError


def write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


GOLD = [
    {"id": "a", "text": "...",
     "labels": {"lessor": ["Acme Inc."], "signing_date": ["March 3, 2017"]}},
    {"id": "b", "labels": {"lessor": ["Foo Ltd"], "signing_date": []}},
    {"id": "c", "labels": {"lessor": ["Bar Corp"], "signing_date": ["2018-01-01"]}},
]
PRED = [
    {"id": "a",
     "fields": {"lessor": ["ACME Incorporated"], "signing_date": ["3rd day of March, 2017"]}},
    {"id": "b", "raw": 'Sure:\n```json\n{"lessor": "Foo Limited", "signing_date": null,}\n```'},
    {"id": "c", "output": "I cannot answer that."},
]


@pytest.fixture
def files(tmp_path):
    return write(tmp_path / "gold.jsonl", GOLD), write(tmp_path / "pred.jsonl", PRED)


def run(*args):
    return CliRunner().invoke(score, [*args, "--iterations", "100"], catch_exceptions=True)


def test_markdown(files):
    gold, pred = files
    result = run("--gold", gold, "--pred", pred)
    assert result.exit_code == 0, result.output
    assert "| lessor | 3 | 2 | 0 | 1 | 0 |" in result.output
    assert "parse failures: 1 (33.3%)" in result.output
    assert "| start_date |" in result.output  # gold fits the built-in lease schema


def test_json_and_modes(files):
    gold, pred = files
    result = run("--gold", gold, "--pred", pred, "--format", "json", "--mode", "exact")
    doc = json.loads(result.output)
    assert doc["summary"]["fields"]["lessor"]["tp"] == 0
    assert doc["summary"]["parse_failures"] == 1 and doc["params"]["mode"] == "exact"


def test_csv_to_file_with_comparison(files, tmp_path):
    gold, pred = files
    base = write(tmp_path / "base.jsonl", [{"id": "a", "fields": {"lessor": ["N/A"]}}])
    out = tmp_path / "scores.csv"
    result = run("--gold", gold, "--pred", pred, "--against", base, "--format", "csv",
                 "--out", str(out))
    assert result.exit_code == 0 and result.output == ""
    rows = {r["field"]: r for r in csv.DictReader(io.StringIO(out.read_text()))}
    assert float(rows["lessor"]["f1"]) == pytest.approx(0.8)
    assert float(rows["lessor"]["delta_f1"]) == pytest.approx(0.8)
    assert set(rows) >= {"_micro", "_macro"}


def test_custom_schema_and_inferred_schema(tmp_path):
    gold = write(tmp_path / "g.jsonl", [{"id": "1", "labels": {"x": "5 years"}}])
    pred = write(tmp_path / "p.jsonl", [{"id": "1", "fields": {"x": ["60 months"]}}])
    result = run("--gold", gold, "--pred", pred, "--format", "json")
    assert json.loads(result.output)["summary"]["fields"]["x"]["tp"] == 0  # text kind
    schema = tmp_path / "s.json"
    schema.write_text(json.dumps({"properties": {"x": {"type": "array", "x-kind": "duration"}}}))
    result = run("--gold", gold, "--pred", pred, "--format", "json", "--schema", str(schema))
    assert json.loads(result.output)["summary"]["fields"]["x"]["tp"] == 1


@pytest.mark.parametrize(("pred_rows", "message"), [
    ([{"id": "a", "fields": {}}, {"id": "zzz", "fields": {}}], "'zzz'"),
    ([{"id": "a", "fields": {}}, {"id": "a", "fields": {}}],
     "pred.jsonl: line 2, column 'id': duplicate id 'a' (first at line 1)"),
    ([{"fields": {}}], "pred.jsonl: line 1, column 'id': missing"),
    ([{"id": "a"}], "pred.jsonl: line 1: no labels"),
])
def test_bad_input_is_a_data_error_naming_file_and_line(tmp_path, pred_rows, message):
    gold = write(tmp_path / "gold.jsonl", GOLD)
    pred = write(tmp_path / "pred.jsonl", pred_rows)
    result = run("--gold", gold, "--pred", pred)
    assert isinstance(result.exception, DataError)
    assert message in str(result.exception) and "pred.jsonl" in str(result.exception)


def test_invalid_json_line(tmp_path):
    gold = write(tmp_path / "gold.jsonl", GOLD)
    pred = tmp_path / "pred.jsonl"
    pred.write_text('{"id": "a", "fields": {}}\n{not json\n')
    result = run("--gold", gold, "--pred", str(pred))
    assert isinstance(result.exception, DataError)
    assert "pred.jsonl: line 2: not valid JSON" in str(result.exception)
