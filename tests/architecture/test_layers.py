"""The import layers (.importlinter) hold, and breaking them fails ``lint-imports``.

The broken case runs on a copy of the package with three faults planted: a kernel module
that imports the runner inside a function, a top-level module that no layer names, and
two modules of one package that import each other."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("importlinter", reason="import-linter is in the test extra")

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / ".importlinter"
LINT = [sys.executable, "-c", "from importlinter.cli import lint_imports_command as c; c()"]


def _lint(cwd: Path, pythonpath: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run([*LINT, "--no-cache", "--no-logo", str(CONFIG)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def test_the_layers_hold(tmp_path):
    done = _lint(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 kept, 0 broken" in done.stdout


def test_a_planted_fault_of_each_kind_breaks_them(tmp_path):
    pkg = tmp_path / "src" / "leasebench"
    shutil.copytree(ROOT / "src" / "leasebench", pkg,
                    ignore=shutil.ignore_patterns("__pycache__", "*.so"))
    with (pkg / "records.py").open("a", encoding="utf-8") as fh:
        fh.write("\n\ndef _planted():\n    from .runner import run\n\n    return run\n")
    (pkg / "unplaced.py").write_text('"""A module no layer names."""\n', encoding="utf-8")
    (pkg / "values" / "planted_a.py").write_text("from . import planted_b\n", encoding="utf-8")
    (pkg / "values" / "planted_b.py").write_text("from . import planted_a\n", encoding="utf-8")
    where = subprocess.run(
        [sys.executable, "-c", "import leasebench; print(leasebench.__file__)"],
        env={**os.environ, "PYTHONPATH": str(tmp_path / "src")}, cwd=tmp_path,
        capture_output=True, text=True, timeout=120)
    assert where.stdout.strip() == str(pkg / "__init__.py"), where.stderr

    done = _lint(tmp_path, tmp_path / "src")
    out = done.stdout + done.stderr
    assert done.returncode != 0, out
    assert "0 kept, 2 broken" in out, out
    assert "leasebench.records -> leasebench.runner" in out
    assert "leasebench.unplaced" in out  # exhaustive: every top-level entry has a layer
    assert "planted_a" in out and "planted_b" in out  # the cycle, named
