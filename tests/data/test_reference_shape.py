"""The reference workflow's table shape (lease_id, lease_doc, labels as a JSON string with
"N/A" for absent) runs end to end as CSV, JSON Lines and Parquet with only a `columns:`
mapping, and `score` reads the same gold exactly as `run` does."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from leasebench.cli.main import make_cli
from leasebench.data.columns import ColumnMapping, ReadOptions
from leasebench.io import read_jsonl
from leasebench.records import Record
from leasebench.schema import builtin_schema
from leasebench.scoring.files import load_gold

TINY = Path(__file__).resolve().parents[2] / "fixtures" / "tiny"
FIELDS = builtin_schema("lease").fields
MAPPING = {"id": "lease_id", "text": "lease_doc", "labels": "labels"}


def _reference_rows(name: str) -> list[dict]:
    """Rows as the reference workflow stores them: all 10 keys, "N/A" when absent,
    single values sometimes as a plain string."""
    rows = []
    for i, record in enumerate(read_jsonl(TINY / name, Record)):
        labels = {}
        for f in FIELDS:
            values = record.labels.get(f, [])
            labels[f] = (["N/A"] if i % 2 else "N/A") if not values else (
                values[0] if len(values) == 1 and i % 2 else values)
        rows.append({"lease_id": record.id, "lease_doc": record.text,
                     "labels": json.dumps(labels), "source": "sec-exhibit"})
    return rows


def _write(tmp: Path, fmt: str) -> dict[str, str]:
    files = {}
    for part in ("train", "holdout"):
        frame = pd.DataFrame(_reference_rows(f"{part}.jsonl"))
        path = tmp / f"{part}.{fmt}"
        if fmt == "csv":
            frame.to_csv(path, index=False)
        elif fmt == "parquet":
            pytest.importorskip("pyarrow")
            frame.to_parquet(path, index=False)
        else:
            frame.to_json(path, orient="records", lines=True)
        files[part] = path.name
    return files


def _manifest(tmp: Path, files: dict[str, str]) -> Path:
    doc = {"name": "reference", "seed": 3, "schema": "lease",
           "data": {**files, "columns": MAPPING},
           "trainer": {"name": "pattern", "sweep": {"min_precision": [0.3, 0.6]}},
           "rounds": [{"name": "real-only", "synthetic_batches": 0}],
           "stats": {"bootstrap": 200}, "tracking": {"mlflow": False}}
    path = tmp / "manifest.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return path


def _run(tmp: Path, fmt: str) -> tuple[dict, Path]:
    files = _write(tmp, fmt)
    result = CliRunner().invoke(make_cli(), ["run", str(_manifest(tmp, files)), "--runs-dir",
                                             str(tmp / "runs"), "-q"])
    assert result.exit_code == 0, result.output
    assert "data: holdout: only 8 document(s)" in result.output  # card warnings, even -q
    (run_dir,) = [p for p in (tmp / "runs" / "reference").iterdir() if p.name != "stages"
                  and p.name != "cache" and not p.name.startswith(".")]
    return json.loads((run_dir / "report" / "report.json").read_text()), run_dir


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    return {fmt: _run(tmp_path_factory.mktemp(fmt), fmt) for fmt in ("csv", "jsonl", "parquet")}


def test_each_format_runs_and_scores_identically(runs):
    scores = {fmt: report["rounds"][0]["scores"] for fmt, (report, _) in runs.items()}
    assert scores["csv"] == scores["jsonl"] == scores["parquet"]
    summary = next(iter(scores["csv"].values()))
    assert summary["n_docs"] == 8 and summary["micro"]["support"] > 0


def test_the_run_keeps_ids_extra_columns_and_reads_na_as_absent(runs):
    _, run_dir = runs["csv"]
    stages = run_dir.parent / "stages"
    (split,) = stages.glob("split-*")
    holdout = read_jsonl(split / "holdout.jsonl", Record)
    assert {r.id for r in holdout} == {r.id for r in read_jsonl(TINY / "holdout.jsonl", Record)}
    assert all(r.meta == {"source": "sec-exhibit"} for r in holdout)
    original = {r.id: r.labels for r in read_jsonl(TINY / "holdout.jsonl", Record)}
    assert all(r.labels == {f: original[r.id].get(f, []) for f in FIELDS} for r in holdout)
    card = json.loads((run_dir / "data_card.json").read_text())
    assert card["splits"][1]["gold"]["verbatim"] == card["splits"][1]["gold"]["values"]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_score_reads_the_gold_as_run_does(runs, fmt):
    report, run_dir = runs[fmt]
    gold = run_dir.parent.parent.parent / f"holdout.{fmt}"
    options = ReadOptions(columns=ColumnMapping(**MAPPING), require_text=False)
    (split,) = (run_dir.parent / "stages").glob("split-*")
    in_run = read_jsonl(split / "holdout.jsonl", Record)
    read_by_score = {r.id: r for r in load_gold(gold, options)}
    for record in in_run:
        other = read_by_score[record.id]
        assert {f: other.labels.get(f, []) for f in FIELDS} == record.labels
        assert (other.text, other.meta) == (record.text, record.meta)
    result = CliRunner().invoke(make_cli(), [
        "score", "--gold", str(gold), "--pred", str(run_dir / "predictions" / "real-only.jsonl"),
        "--column", "id=lease_id", "--column", "text=lease_doc", "--column", "labels=labels",
        "--format", "json", "--iterations", "200", "--seed", "3"])
    assert result.exit_code == 0, result.output
    scored = json.loads(result.output)["summary"]
    (in_report,) = report["rounds"][0]["scores"].values()
    assert scored["fields"] == in_report["fields"] and scored["micro"] == in_report["micro"]
