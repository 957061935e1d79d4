"""One safe pattern for names that become paths; writes that would leave their root fail;
field names that would be spreadsheet formulas or break MLflow are refused or mapped."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from click.testing import CliRunner

from leasebench import scaffold
from leasebench.cells import safe_row
from leasebench.cli.main import make_cli
from leasebench.errors import DataError
from leasebench.names import PathEscape, child, inside, is_safe_name
from leasebench.plugin_manager import NAME_RE
from leasebench.runner import run_experiment
from leasebench.runner.store import StageStore
from leasebench.schema import FieldSchema
from leasebench.tracking.content import mlflow_keys

from .conftest import ROOT


@pytest.mark.parametrize("name", ["tiny", "real-only", "synth_1", "a.b", "R2", "x" * 100])
def test_safe_names(name):
    assert is_safe_name(name)


@pytest.mark.parametrize("name", ["", "/abs", "../up", "a/b", "a\\b", "a..b", ".hidden",
                                  "-flag", "sp ace", "new\nline", "caf\u00e9", "x" * 101,
                                  "C:drive", None, 3])
def test_unsafe_names(name):
    assert not is_safe_name(name)


def test_child_refuses_unsafe_names_and_symlink_escapes(tmp_path):
    root = tmp_path / "runs"
    root.mkdir()
    assert child(root, "exp", "run") == root / "exp" / "run"
    with pytest.raises(PathEscape, match=r"refusing to use '\.\./x'"):
        child(root, "../x")
    (root / "link").symlink_to(tmp_path)
    with pytest.raises(PathEscape, match="outside"):
        inside(root, root / "link" / "elsewhere.jsonl")


def test_the_stage_store_refuses_a_stage_name_that_is_a_path(tmp_path):
    store = StageStore(tmp_path / "exp")
    assert store.stage("extract-b1", {}).path.parent == tmp_path / "exp" / "stages"
    with pytest.raises(PathEscape):
        store.stage("extract-../../x", {})


@pytest.mark.parametrize("name", ["tiny\n", "a\nb", "tiny\r", "x\u2028"])
def test_a_trailing_newline_is_not_a_safe_name(name):
    """``$`` matches before a final newline; names are matched whole."""
    assert not is_safe_name(name)
    assert NAME_RE.match(name) is None
    assert scaffold.NAME.match(name) is None


@pytest.mark.parametrize(("field", "problem"), [
    ("=HYPERLINK(\"http://x\")", "may not start with = + - or @"),
    ("+1", "may not start with"), ("-x", "may not start with"), ("@SUM(A1)", "may not start"),
    ("a\tb", "printable"), ("tab\n", "printable"), (" lessor", "outer spaces"),
    ("x" * 101, "1 to 100 characters"), ("", "1 to 100 characters"),
    ("\ud800", "printable"), ("micro", "pooled rows"), ("_macro", "pooled rows"),
])
def test_field_names_that_would_be_formulas_or_break_reports_are_refused(field, problem):
    with pytest.raises(DataError, match=re.escape(problem)):
        FieldSchema("s", {"properties": {field: {"type": "array"}}})


def test_a_schema_of_too_many_fields_is_refused():
    with pytest.raises(DataError, match="101 fields; at most 100"):
        FieldSchema("s", {"properties": {f"f{i}": {} for i in range(101)}})


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted():
    assert safe_row(["=1+2", "+x", "-x", "@x", "\tx", "\rx", "-0.05", "+1e-3", "ok", 3,
                     -0.5, None]) == ["'=1+2", "'+x", "'-x", "'@x", "'\tx", "'\rx", "-0.05",
                                      "+1e-3", "ok", 3, -0.5, None]


def test_score_csv_never_writes_a_formula_cell(tmp_path):
    """A field name of someone else's making stops at the schema; no cell starts a formula."""
    schema = json.loads((ROOT / "src" / "leasebench" / "schemas" / "lease.json").read_text())
    gold = tmp_path / "gold.jsonl"
    formula = "=cmd|' /C calc'!A0"
    gold.write_text(json.dumps({"id": "a", "text": "x", "labels": {"lessor": [formula]}}) + "\n")
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps({"id": "a", "fields": {"lessor": ["-2+3"]}}) + "\n")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"properties": {**schema["properties"], "=cmd": {}}}))
    runner, cli = CliRunner(), make_cli()
    out = runner.invoke(cli, ["score", "--gold", str(gold), "--pred", str(pred), "--schema",
                              str(bad), "--format", "csv"])
    assert out.exit_code == 2 and "properties['=cmd']" in out.output, out.output
    out = runner.invoke(cli, ["score", "--gold", str(gold), "--pred", str(pred), "--format",
                              "csv"])
    assert out.exit_code == 0, out.output
    cells = [c for row in csv.reader(io.StringIO(out.output)) for c in row]
    assert cells and not any(c.startswith(("=", "+", "@")) or
                             (c.startswith("-") and not _number(c)) for c in cells)


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_metric_names_mlflow_would_refuse_are_mapped_and_distinct():
    from mlflow.utils.validation import _validate_metric_name, _validate_param_name

    keys = ["f1/rent (\u20ac)", "f1/rent ($)", "f1/..", "f1/.", "/x", "a//b", "f1/stra\u00dfe",
            "x" * 300, "f1/a:b c", "f1/a%b"]
    names = mlflow_keys(keys)
    assert len(set(names.values())) == len(keys)
    assert names["f1/stra\u00dfe"] == "f1/stra\u00dfe" and names["f1/a:b c"] == "f1/a:b c"
    for name in names.values():
        _validate_metric_name(name)
        _validate_param_name(name)


@pytest.mark.slow
def test_a_run_whose_fields_mlflow_would_refuse_is_logged(tiny_manifest, tmp_path):
    """Fields named ``party (€)`` and ``party ($)``: the run reaches MLflow, both kept."""
    from mlflow.tracking import MlflowClient

    base = tiny_manifest.parent.parent
    rename = {"lessor": "party (\u20ac)", "lessee": "party ($)"}
    schema = json.loads((ROOT / "src" / "leasebench" / "schemas" / "lease.json").read_text())
    schema["properties"] = {rename.get(k, k): v for k, v in schema["properties"].items()}
    (base / "tiny" / "schema.json").write_text(json.dumps(schema))
    for split in ("train", "holdout"):
        path = base / "tiny" / f"{split}.jsonl"
        rows = [json.loads(line) for line in path.read_text().splitlines()]
        for row in rows:
            row["labels"] = {rename.get(k, k): v for k, v in row["labels"].items()}
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    tiny_manifest.write_text(tiny_manifest.read_text().replace(
        "schema: lease", "schema: ../tiny/schema.json"))
    uri = f"sqlite:///{tmp_path / 'ml.db'}"
    run_experiment(tiny_manifest, runs_dir=tmp_path / "runs", quiet=True, mlflow=True,
                   tracking_uri=uri)
    client = MlflowClient(tracking_uri=uri)
    exp = client.get_experiment_by_name("tiny")
    assert exp is not None
    rounds = client.search_runs([exp.experiment_id], "tags.`leasebench.level` = 'round'")
    assert rounds
    assert {"f1/party ___", "f1/party ____2"} <= set(rounds[0].data.metrics)
