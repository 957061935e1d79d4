"""``leasebench report``: one run in every format; runs compared paired or unpaired."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from leasebench.cli.report import report_command
from leasebench.errors import DataError
from leasebench.reporting.compare import compare_runs, load_run
from leasebench.reporting.json_report import report_json
from leasebench.reporting.markdown import render_markdown
from leasebench.reporting.report_schema import validate_report

from .conftest import run_tiny


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(report_command, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_single_run_formats(tiny_run, tmp_path: Path) -> None:
    run_dir, result = tiny_run
    assert _invoke(str(run_dir), "--format", "md") == render_markdown(result)
    table = _invoke(str(run_dir))
    assert "F1 per field" in table and "|" not in table and "synth-2" in table
    assert _invoke(str(run_dir), "--format", "json") == report_json(result)
    validate_report(json.loads(_invoke(str(run_dir / "report"), "--format", "json")))
    out = tmp_path / "r.html"
    _invoke(str(run_dir), "--format", "html", "--out", str(out))
    assert 'data-chart="field-bars"' in out.read_text(encoding="utf-8")


def test_rounds_of_one_run_are_paired_like_the_run(tiny_run) -> None:
    run_dir, result = tiny_run
    run = load_run(run_dir)
    c = compare_runs([run, run], rounds=["real-only", "synth-2"])
    assert [e.label for e in c.entries] == ["tiny/real-only", "tiny/synth-2"]
    d = c.differences[0]
    assert d.paired and not c.notes
    own = result.round("synth-2").vs_reference[result.primary_scorer]
    assert d.comparison.fields == own.fields  # per-field tests: one family per comparison
    exclude = {"p_adjusted", "significant", "mde"}  # micro: corrected across the run's rounds
    assert d.comparison.micro.model_dump(exclude=exclude) == own.micro.model_dump(
        exclude=exclude)


def test_two_runs_same_holdout_are_paired(tiny_run, tmp_path: Path, monkeypatch) -> None:
    other_dir, _ = run_tiny(tmp_path, monkeypatch, seed=8)
    text = _invoke(str(tiny_run[0]), str(other_dir), "--round", "synth-1", "--format", "md")
    assert "(unpaired)" not in text and "Notes:" not in text
    table = _invoke(str(tiny_run[0]), str(other_dir), "--round", "synth-1")
    assert "(unpaired)" not in table and "Notes" not in table and "Δ" in table
    assert "What differs" in table and "seed" in table  # the manifests differ in seed
    data = json.loads(_invoke(str(tiny_run[0]), str(other_dir), "--format", "json"))
    assert data["differences"][0]["paired"] is True
    diffs = {d["key"]: d["values"] for d in data["manifest_differences"]}
    assert diffs["seed"] == ["7", "8"] and "data.train" in diffs  # and the data paths
    html = _invoke(str(tiny_run[0]), str(other_dir), "--format", "html")
    assert '<td class="key">seed</td>' in html
    assert data["entries"][0]["label"] != data["entries"][1]["label"]  # same name/round


def test_different_holdout_is_unpaired(tiny_run, tmp_path: Path, monkeypatch) -> None:
    root = Path(__file__).resolve().parents[2] / "fixtures" / "tiny"
    other_dir, _ = run_tiny(tmp_path, monkeypatch, data={
        "train": str(root / "holdout.jsonl"), "holdout": str(root / "train.jsonl")})
    for fmt in ("md", "table"):
        text = " ".join(_invoke(str(tiny_run[0]), str(other_dir), "--format", fmt).split())
        assert "(unpaired)" in text and "hold-out documents differ" in text
    html = _invoke(str(tiny_run[0]), str(other_dir), "--format", "html")
    assert "hold-out documents differ" in html and 'data-chart="field-bars"' in html


def test_missing_outcomes_is_unpaired(tiny_copy: Path, tiny_run) -> None:
    (tiny_copy / "report" / "outcomes.json").unlink()
    c = compare_runs([load_run(tiny_run[0]), load_run(tiny_copy)])
    assert not c.differences[0].paired
    assert "outcomes.json" in c.differences[0].reason


def test_same_ids_different_gold_is_unpaired(tiny_copy: Path, tiny_run) -> None:
    path = tiny_copy / "report" / "outcomes.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for table in data["rounds"]["synth-2"].values():
        cell = table["counts"][0][0]
        table["counts"][0][0] = [0, 0, 0, 1] if cell[0] + cell[2] else [0, 0, 1, 0]
    path.write_text(json.dumps(data), encoding="utf-8")
    c = compare_runs([load_run(tiny_run[0]), load_run(tiny_copy)], rounds=["synth-2"])
    assert "different gold" in c.differences[0].reason


def test_bad_inputs(tiny_run, tmp_path: Path) -> None:
    run = load_run(tiny_run[0])
    with pytest.raises(DataError, match="no round 'nope'"):
        compare_runs([run, run], rounds=["nope"])
    with pytest.raises(DataError, match="one per run"):
        compare_runs([run, run, run], rounds=["synth-1", "synth-2"])
    with pytest.raises(DataError, match=r"no report/report\.json"):
        load_run(tmp_path)
    shutil.copytree(tiny_run[0] / "report", tmp_path / "x" / "report")
    (tmp_path / "x" / "report" / "report.json").write_text("{}", encoding="utf-8")
    with pytest.raises(DataError, match="not a leasebench report"):
        load_run(tmp_path / "x")
