"""`data` with a built-in split and a file split (built-in train, your hold-out)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from leasebench.cli.main import make_cli
from leasebench.io import read_jsonl
from leasebench.records import Record

ROOT = Path(__file__).resolve().parents[2]


def _manifest(tmp_path: Path, data: dict) -> Path:
    m = yaml.safe_load((ROOT / "fixtures" / "manifests" / "tiny.yaml").read_text())
    m.update(name="mixed", data=data)
    m["trainer"] = {"name": "pattern"}
    m["rounds"] = [{"name": "real-only", "synthetic_batches": 0}]
    m["stats"] = {"bootstrap": 50}
    path = tmp_path / "mixed.yaml"
    path.write_text(yaml.safe_dump(m))
    return path


def _cli(*args: str):
    return CliRunner().invoke(make_cli(), list(args))


def test_built_in_train_with_a_file_hold_out_runs(tmp_path):
    holdout = read_jsonl(ROOT / "fixtures" / "tiny" / "holdout.jsonl", Record)
    rows = [{"doc": r.id, "body": r.text, **r.labels} for r in holdout]
    (tmp_path / "mine.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    path = _manifest(tmp_path, {"builtin": "lease", "train": 12, "holdout": "mine.jsonl",
                                "columns": {"id": "doc", "text": "body"}})
    assert _cli("validate", str(path)).exit_code == 0
    runs = tmp_path / "runs"
    out = _cli("run", str(path), "--runs-dir", str(runs))
    assert out.exit_code == 0, out.output
    [report] = (runs / "mixed").glob("*/report/report.json")
    result = json.loads(report.read_text())
    assert (result["n_train"], result["n_holdout"]) == (12, len(holdout))
    [split] = (runs / "mixed" / "stages").glob("split-*")
    held = read_jsonl(split / "holdout.jsonl", Record)
    assert [r.id for r in held] == [r.id for r in holdout]
    assert held[0].labels["lessor"] == holdout[0].labels["lessor"]
    train = read_jsonl(split / "train.jsonl", Record)
    assert len(train) == 12 and not {r.id for r in train} & {r.id for r in holdout}
    # the file's content keys the load: another hold-out file is a new load
    rows[0]["lessor"] = ["Someone Else LLC"]
    (tmp_path / "mine.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    again = _cli("run", str(path), "--runs-dir", str(runs))
    assert again.exit_code == 0 and "load: done" in again.output


@pytest.mark.parametrize(("data", "problem"), [
    ({"builtin": "lease", "train": 12, "holdout": "missing.jsonl"}, "data.holdout"),
    ({"builtin": "lease", "train": "bad.jsonl", "holdout": 5}, "unknown field(s) 'landlord'"),
    ({"builtin": "lease", "train": "a.jsonl", "holdout": "b.jsonl"}, "without `builtin`"),
    ({"builtin": "lease", "train": 0, "holdout": "b.jsonl"}, "data.train"),
])
def test_a_bad_mixed_manifest_is_a_clear_error(tmp_path, data, problem):
    (tmp_path / "bad.jsonl").write_text(json.dumps(
        {"id": "x", "text": "A lease.", "labels": {"landlord": ["A"]}}) + "\n")
    path = _manifest(tmp_path, data)
    out = _cli("validate", str(path))
    assert out.exit_code == 2 and problem in out.output, out.output
    assert "Traceback" not in out.output
