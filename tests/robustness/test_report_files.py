"""A run directory handed to ``leasebench report`` is input like any other.

``report.json`` that is a directory, or that holds a number no float can hold (``1e999``),
``NaN`` or ``Infinity``, and a timing or outcomes file holding one, are exit code 2
naming the file, never a traceback while rendering.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from leasebench.cli.main import make_cli
from leasebench.runner import run_experiment


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = Path(__file__).resolve().parents[2]
    out = run_experiment(root / "fixtures" / "manifests" / "tiny.yaml", quiet=True,
                         runs_dir=tmp_path_factory.mktemp("tiny") / "runs", mlflow=False)
    return out.run_dir


def _copy(run_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "run"
    shutil.copytree(run_dir, target)
    return target


def _report(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(make_cli(), ["report", *args])
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit | None)
    return result.exit_code, result.output


@pytest.mark.parametrize(("file", "replace", "fragment"), [
    ("report.json", (r'"f1": [0-9.]+', '"f1": 1e999'), "the number 1e999 is out of range"),
    ("report.json", (r'"f1": [0-9.]+', '"f1": -1e400'), "the number -1e400 is out of range"),
    ("report.json", (r'"f1": [0-9.]+', '"f1": NaN'), "NaN is not a number a report holds"),
    ("report.json", (r'"f1": [0-9.]+', '"f1": Infinity'), "Infinity is not a number"),
    ("timing.json", (r'[0-9]+\.[0-9]+', "1e999"), "timing.json"),
    ("outcomes.json", (r"\b1\b", "1e999"), "outcomes.json"),
])
def test_a_number_out_of_range_is_a_located_error(run_dir, tmp_path, file, replace, fragment):
    run = _copy(run_dir, tmp_path)
    path = run / "report" / file
    text = path.read_text()
    changed = re.sub(replace[0], replace[1], text, count=1)
    assert changed != text
    path.write_text(changed)
    for fmt in ("html", "md"):
        code, out = _report(str(run), "--format", fmt)
        assert code == 2 and fragment in out and file in out, out
    code, out = _report(str(run_dir), str(run), "--format", "html")
    assert code == 2 and fragment in out, out


def test_a_report_json_that_is_a_directory_is_a_located_error(run_dir, tmp_path):
    run = _copy(run_dir, tmp_path)
    (run / "report" / "report.json").unlink()
    (run / "report" / "report.json").mkdir()
    code, out = _report(str(run), "--format", "html")
    assert code == 2 and "report.json: is a directory" in out, out
    code, out = _report(str(run.parent), "--history", "micro")  # skipped: not finished
    assert code == 2 and "no finished runs" in out, out
