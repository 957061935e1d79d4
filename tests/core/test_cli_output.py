"""What the CLI prints and writes: clean logs, quiet libraries, help text, dry runs, modes."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from io import StringIO
from pathlib import Path

import click
from rich.console import Console

from leasebench.cli.main import make_cli
from leasebench.io import atomic_write_text, current_umask
from leasebench.runner import run_experiment
from leasebench.runner.progress import StageLog

ROOT = Path(__file__).resolve().parents[2]


def leasebench(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MLFLOW_TRACKING_URI": "", "COLUMNS": "80"}
    env.pop("MLFLOW_LOGGING_LEVEL", None)
    return subprocess.run([sys.executable, "-m", "leasebench", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_piped_run_has_clean_stage_lines_and_no_library_noise(tiny_manifest, tmp_path):
    args = ["run", str(tiny_manifest), "--runs-dir", str(tmp_path / "runs"), "--mlflow",
            "--tracking-uri", f"sqlite:///{tmp_path / 'ml.db'}"]
    out = leasebench(*args, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    lines = out.stderr.splitlines()
    assert "" not in lines, out.stderr  # no stray blank lines between stage lines
    starts = ("tiny → ", "  ✓ ", "  • ", "  MLflow: ", "  data: ", "  warning: ")
    assert all(ln.startswith(starts) for ln in lines), lines
    assert "database tables" not in out.stderr and "INFO" not in out.stderr
    *tables, last, open_with, url = out.stdout.splitlines()
    assert max(len(ln) for ln in tables) <= 80
    assert re.match(r"\d+ stage\(s\) run, 0 cached in ", last)
    assert last.endswith("/report")  # the report path is not wrapped
    # how to open the run in MLflow: a command and a URL, each whole on its own line
    assert open_with == f"Open in MLflow: mlflow ui --backend-store-uri sqlite:///{tmp_path}/ml.db"
    assert url.startswith("  then http://127.0.0.1:5000/#/experiments/")


def test_verbose_lets_library_info_through(monkeypatch):
    import logging

    from leasebench.cli.logs import configure_logging

    monkeypatch.delenv("MLFLOW_LOGGING_LEVEL", raising=False)
    configure_logging(True)
    assert logging.getLogger("mlflow").level == logging.INFO
    assert os.environ["MLFLOW_LOGGING_LEVEL"] == "INFO"
    monkeypatch.delenv("MLFLOW_LOGGING_LEVEL")
    configure_logging(False)
    assert logging.getLogger("mlflow").level == logging.WARNING


def test_dry_run_on_an_empty_directory_leaves_it_empty(tiny_manifest, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    out = leasebench("run", str(tiny_manifest), "--dry-run", cwd=empty)
    assert out.returncode == 0, out.stderr
    assert "dry run (nothing called)" in out.stdout and "train-b0-t0" in out.stdout
    assert list(empty.iterdir()) == []


def test_files_follow_the_umask(tiny_manifest, tmp_path):
    old = os.umask(0o027)
    try:
        assert current_umask() == 0o027
        atomic_write_text(tmp_path / "a.txt", "x")
        assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o640
        os.umask(0o022)
        outcome = run_experiment(tiny_manifest, runs_dir=tmp_path / "runs", quiet=True,
                                 mlflow=False)
    finally:
        os.umask(old)
    stages = tmp_path / "runs" / "tiny" / "stages"
    files = [*outcome.run_dir.rglob("*.json"), *outcome.run_dir.rglob("*.md"),
             *stages.rglob("*.jsonl")]
    assert files and {stat.S_IMODE(f.stat().st_mode) for f in files} == {0o644}


def test_every_option_of_every_command_has_help():
    missing = []

    def walk(command: click.Command, path: str) -> None:
        for param in command.params:
            if isinstance(param, click.Option) and not (param.help or "").strip():
                missing.append(f"{path} {param.opts[0]}")
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}")
        assert (command.help or "").strip(), f"{path}: no help text"

    walk(make_cli(), "leasebench")
    assert missing == []


def test_docs_name_the_stages_as_the_runner_does(tiny_manifest, tmp_path):
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z<>-]+)` \| .* \| `([a-z0-9_-]+)` \|$", doc, re.M)
    assert len(rows) >= 8
    patterns = []
    for pattern, example in rows:
        regex = re.escape(pattern).replace("<k>", r"\d+").replace("<n>", r"\d+")
        regex = regex.replace("<i>", r"\d+").replace("<p>", r"\d+").replace(
            "<judge>", r"[a-z0-9_-]+").replace("<j>", r"\d+").replace(
            "<arm>", r"[A-Za-z0-9_.-]+")
        assert re.fullmatch(regex, example), (pattern, example)
        patterns.append(regex)
    outcome = run_experiment(tiny_manifest, runs_dir=tmp_path / "runs", quiet=True,
                             mlflow=False)
    run = json.loads((outcome.run_dir / "run.json").read_text(encoding="utf-8"))
    stages = [s["stage"] for s in run["stages"]]
    assert "judge-b1-0schema" in stages
    for stage in stages:
        assert any(re.fullmatch(p, stage) for p in patterns), stage


def test_bars_only_on_a_terminal():
    for terminal in (True, False):
        buf = StringIO()
        log = StageLog(console=Console(file=buf, force_terminal=terminal, color_system=None,
                                       width=100))
        with log.progress("train-b0-t0") as report:
            for i in range(1, 4):
                report(i, 3, "iterations")
        with log.bar("extract-b0", 5) as advance:
            advance()
        log.stage_done("train-b0-t0", cached=False, seconds=1.0)
        text = buf.getvalue()
        assert ("3/3 iterations" in text) is terminal
        assert text.rstrip().endswith("✓ train-b0-t0: done in 1.00s")
        if not terminal:
            assert text == "  ✓ train-b0-t0: done in 1.00s\n"
