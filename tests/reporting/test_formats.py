"""report.json and outcomes.json say their format; files of the older format (without
``format_version``) are read upgraded by every command that reads them back."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from leasebench.errors import DataError
from leasebench.reporting.compare import compare_runs, load_run
from leasebench.reporting.history import list_runs
from leasebench.results.formats import (
    OUTCOMES_FORMAT,
    REPORT_FORMAT,
    upgrade_outcomes,
    upgrade_report,
)


def leasebench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "leasebench", *args], capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL)


def _rewrite(path: Path, **changes: object) -> None:
    """Set (or, with None, remove) top-level keys of a JSON file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def _old_run(tiny_run, runs: Path) -> Path:
    """A copy of the tiny run as an older leasebench wrote it: no format versions."""
    run_dir = Path(shutil.copytree(tiny_run[0], runs / "tiny" / tiny_run[0].name))
    _rewrite(run_dir / "report" / "report.json", format_version=None)
    _rewrite(run_dir / "report" / "outcomes.json", format_version=None)
    return run_dir


def test_written_files_carry_their_format(tiny_run) -> None:
    report = json.loads((tiny_run[0] / "report" / "report.json").read_text("utf-8"))
    outcomes = json.loads((tiny_run[0] / "report" / "outcomes.json").read_text("utf-8"))
    assert report["format_version"] == REPORT_FORMAT == 2
    assert next(iter(report)) == "format_version"  # first, where a reader looks
    assert outcomes["format_version"] == OUTCOMES_FORMAT == 2


def test_old_format_files_are_read_by_runs_report_and_compare(tiny_run, tmp_path) -> None:
    run_dir = _old_run(tiny_run, tmp_path / "runs")
    assert "format_version" not in (run_dir / "report" / "report.json").read_text("utf-8")
    old = load_run(run_dir)
    assert old.result.format_version == REPORT_FORMAT
    assert old.result == load_run(tiny_run[0]).result
    assert old.outcomes is not None and set(old.outcomes) == set(tiny_run[1].outcomes)
    # paired across an old run and a current one, as between two current runs
    c = compare_runs([old, load_run(tiny_run[0])], rounds=["synth-2"])
    assert c.differences[0].paired
    assert [r.run_id for r in list_runs(tmp_path / "runs")] == [run_dir.name]

    listed = leasebench("runs", "--runs-dir", str(tmp_path / "runs"), "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert [r["run_id"] for r in json.loads(listed.stdout)] == [run_dir.name]
    regenerated = leasebench("report", str(run_dir), "--format", "json")
    assert regenerated.returncode == 0, regenerated.stderr
    assert regenerated.stdout == (tiny_run[0] / "report" / "report.json").read_text("utf-8")
    compared = leasebench("report", str(run_dir), str(tiny_run[0]), "--round", "synth-1",
                          "--format", "md")
    assert compared.returncode == 0, compared.stderr
    assert "(unpaired)" not in compared.stdout


@pytest.mark.parametrize("name", ["report.json", "outcomes.json"])
def test_a_newer_format_is_an_error_saying_so(tiny_run, tmp_path, name) -> None:
    run_dir = Path(shutil.copytree(tiny_run[0], tmp_path / "run"))
    _rewrite(run_dir / "report" / name, format_version=99)
    done = leasebench("report", str(run_dir), str(tiny_run[0]), "--round", "synth-1")
    assert done.returncode == 2
    assert f"{name}: a leasebench" in done.stderr and "format 99" in done.stderr
    assert "newer leasebench" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("version", ["2", 0, True, 1.5, None])
def test_a_format_version_that_is_no_version_is_refused(version) -> None:
    with pytest.raises(DataError, match="is not a leasebench report format"):
        upgrade_report({"format_version": version}, "r.json")
    with pytest.raises(DataError, match="is not a leasebench outcomes file format"):
        upgrade_outcomes({"format_version": version, "rounds": {}}, "o.json")


def test_upgrading_keeps_the_content() -> None:
    assert upgrade_outcomes({"rounds": {}}, "o.json") == {"format_version": 2, "rounds": {}}
    assert upgrade_report({"format_version": 2, "name": "x"}, "r.json") == {
        "format_version": 2, "name": "x"}
    with pytest.raises(DataError, match="a JSON object expected"):
        upgrade_report([1], "r.json")
