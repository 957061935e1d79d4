"""``leasebench runs``: finished runs with their headline numbers, as a table on a terminal,
Markdown when piped, JSON on request; the rows come from an importable function."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from leasebench.reporting.runs_listing import listing, runs_renderables
from leasebench.reporting.terminal import render_text

from .conftest import run_tiny


def leasebench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "leasebench", *args], capture_output=True,
                          text=True, timeout=120)


@pytest.mark.slow
def test_runs_lists_past_runs_with_their_headline(tmp_path, monkeypatch):
    first_dir, first = run_tiny(tmp_path, monkeypatch)
    second_dir, second = run_tiny(tmp_path, monkeypatch, seed=8)
    runs = tmp_path / "runs"
    rows = listing(runs)
    assert [r.run_id for r in rows] == [first_dir.name, second_dir.name]
    for row, result in zip(rows, (first, second), strict=True):
        best = max(result.rounds, key=lambda r: r.scores[result.primary_scorer].micro.f1)
        assert row.best_round == best.name and row.reference_round == "real-only"
        assert row.best_micro_f1 == best.scores[result.primary_scorer].micro.f1
    assert listing(runs, "nope") == []
    md = leasebench("runs", "--runs-dir", str(runs))
    assert md.returncode == 0, md.stderr
    lines = md.stdout.splitlines()
    assert lines[0].startswith("| experiment | run | finished |")
    assert f"| tiny | {first_dir.name} |" in md.stdout and str(second_dir) in md.stdout
    data = json.loads(leasebench("runs", "tiny", "--runs-dir", str(runs), "--format",
                                 "json").stdout)
    assert [d["run_id"] for d in data] == [first_dir.name, second_dir.name]
    text = render_text(lambda w: runs_renderables(rows, w), 80)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert f"tiny/{first_dir.name}" in text
    bad = leasebench("runs", "tinny", "--runs-dir", str(runs))
    assert bad.returncode == 2 and "experiments there: tiny" in bad.stderr
