"""The CI gate (floors and regressions against a baseline run, from a shell script) and
one metric across past runs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from leasebench.cli.main import make_cli
from leasebench.errors import DataError
from leasebench.reporting.compare import load_run
from leasebench.reporting.gate import GATE_EXIT, Gate, gate_failures, parse_floor, unpaired
from leasebench.reporting.history import list_runs, metric_history
from leasebench.results.decisions import StoppedRound
from leasebench.scoring.stats import FieldMetrics

from .conftest import TINY, run_tiny

BIN = Path(sys.executable).parent


def _metrics(f1: float, low: float, high: float) -> FieldMetrics:
    return FieldMetrics(tp=1, fp=0, fn=0, tn=0, support=1, precision=1, recall=1, f1=f1,
                        f1_low=low, f1_high=high)


def test_floor_parsing_and_the_unpaired_test():
    assert parse_floor(" lessor = 70 ") == ("lessor", 70.0)
    for bad in ("lessor", "=70", "lessor=abc", "lessor=120"):
        with pytest.raises(DataError, match="FIELD=POINTS"):
            parse_floor(bad)
    worse = unpaired(_metrics(0.8, 0.75, 0.85), _metrics(0.6, 0.55, 0.65), 0.95)
    assert worse.delta == pytest.approx(-0.2) and worse.significant and worse.high < 0
    close = unpaired(_metrics(0.8, 0.7, 0.9), _metrics(0.78, 0.68, 0.88), 0.95)
    assert not close.significant and close.low < 0 < close.high


def test_floors_fail_one_line_each_and_name_bad_rounds_and_fields(tiny_run):
    run = load_run(tiny_run[0])
    assert gate_failures(run, Gate(min_f1=10, min_field_f1=(("end_date", 50),))) == []
    lines = gate_failures(run, Gate(round="real-only", min_f1=99,
                                    min_field_f1=(("lessor", 50), ("end_date", 50))))
    assert len(lines) == 2
    assert lines[0].startswith("gate: real-only micro F1 ") and \
        lines[0].endswith("is below the floor 99")
    assert lines[1].startswith("gate: real-only lessor F1 0.0")
    with pytest.raises(DataError, match="no such round"):
        gate_failures(run, Gate(round="nope", min_f1=1))
    with pytest.raises(DataError, match="no such field"):
        gate_failures(run, Gate(min_field_f1=(("rent", 1),)))
    run.result.decisions.stopped = [StoppedRound(round="synth-3", arm="pattern",
                                                 synthetic_batches=3,
                                                 after_step="synth-1 -> synth-2")]
    assert gate_failures(run, Gate(round="synth-3", min_f1=1)) == [
        "gate: synth-3 was not trained: the stop rule said stop after synth-1 -> synth-2"]


def test_a_gate_naming_a_round_the_manifest_lacks_fails_before_the_run(tmp_path):
    good, _ = _manifests(tmp_path)
    done = CliRunner().invoke(make_cli(), ["run", str(good), "--runs-dir",
                                           str(tmp_path / "runs"), "--gate-round", "synth-9",
                                           "--min-f1", "10"])
    assert done.exit_code == 2 and "--gate-round 'synth-9'" in done.output
    assert not (tmp_path / "runs").exists()


def _manifests(tmp: Path) -> tuple[Path, Path]:
    base = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    for key in ("train", "holdout"):
        base["data"][key] = str((TINY.parent / base["data"][key]).resolve())
    bad = {k: base[k] for k in ("name", "seed", "schema", "data", "scorers", "tracking")}
    bad.update(extractors={"cut": {"name": "rules", "params": {"max_chars": 10}}},
               rounds=[{"name": "synth-2", "extractor": "cut"}])
    paths = tmp / "good.yaml", tmp / "bad.yaml"
    for path, data in zip(paths, (base, bad), strict=True):
        path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return paths


SCRIPT = """set -u
leasebench run good.yaml --runs-dir runs -q > /dev/null 2>&1 || exit 90
base=$(dirname "$(ls -d runs/tiny/*/report | head -n 1)")
leasebench run good.yaml --runs-dir runs -q --gate-round synth-2 --min-f1 50 \\
  > /dev/null 2> good.err
echo "good=$?"
leasebench run bad.yaml --runs-dir runs -q --gate-round synth-2 --baseline "$base" \\
  --min-f1 50 --min-field-f1 end_date=90 > /dev/null 2> bad.err
echo "bad=$?"
leasebench report runs/tiny/$(ls runs/tiny | grep -v -e stages -e cache -e scratch \\
  | head -n 1) --min-f1 99 --format md > /dev/null 2> report.err
echo "report=$?"
"""


@pytest.mark.slow
def test_a_run_that_regresses_fails_the_gate_in_a_shell_script(tmp_path):
    if shutil.which("bash") is None:
        pytest.skip("no bash")
    _manifests(tmp_path)
    (tmp_path / "gate.sh").write_text(SCRIPT, encoding="utf-8")
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
           "MLFLOW_TRACKING_URI": ""}
    done = subprocess.run(["bash", "gate.sh"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=600)
    codes = dict(line.split("=") for line in done.stdout.split())
    assert codes == {"good": "0", "bad": str(GATE_EXIT), "report": str(GATE_EXIT)}, done.stderr
    assert (tmp_path / "good.err").read_text().strip().endswith("gate: 1 check(s) passed")
    lines = [x for x in (tmp_path / "bad.err").read_text().splitlines()
             if x.startswith("gate:")]
    assert lines[0].startswith("gate: synth-2 micro F1 ") and "below the floor 50" in lines[0]
    assert lines[1].startswith("gate: synth-2 end_date F1 ")
    worse = [x for x in lines[2:] if "significantly worse than" in x]
    assert any("on micro F1:" in x and "paired on 8 documents" in x for x in worse), lines
    assert "Traceback" not in (tmp_path / "bad.err").read_text()
    assert "below the floor 99" in (tmp_path / "report.err").read_text()


def test_history_follows_one_metric_across_runs_in_time_order(tmp_path, monkeypatch):
    first, _ = run_tiny(tmp_path, monkeypatch)
    second, _ = run_tiny(tmp_path, monkeypatch, TINY, stats={"bootstrap": 300})
    past = list_runs(tmp_path / "runs")
    assert [p.path for p in past] == [first, second]
    assert list_runs(tmp_path / "runs" / "tiny") == past
    h = metric_history(past, "lessee", "synth-1")
    assert [p.run_id for p in h.points] == [first.name, second.name]
    assert all(p.round == "synth-1" and p.low <= p.value <= p.high for p in h.points)
    with pytest.raises(DataError, match="no run has 'rent'"):
        metric_history(past, "rent")
    cli = make_cli()
    out = CliRunner().invoke(cli, ["report", str(tmp_path / "runs" / "tiny"), "--history",
                                   "micro", "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["metric"] == "micro" and len(data["points"]) == 2
    table = CliRunner().invoke(cli, ["report", str(tmp_path / "runs"), "--history", "micro",
                                     "--round", "real-only"])
    assert table.exit_code == 0 and first.name in table.output and "█" in table.output
    html = CliRunner().invoke(cli, ["report", str(tmp_path / "runs"), "--history", "micro",
                                    "--format", "html"])
    assert html.exit_code == 0 and 'data-chart="history"' in html.output
    bad = CliRunner().invoke(cli, ["report", str(tmp_path), "--history", "micro"])
    assert bad.exit_code == 2 and "no finished runs" in bad.output
    both = CliRunner().invoke(cli, ["report", str(first), "--history", "micro", "--min-f1",
                                    "5"])
    assert both.exit_code == 2 and "the gate options check one run" in both.output
