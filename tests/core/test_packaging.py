"""Packaging: the license the projects declare, and dependencies where they belong."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PROJECTS = [ROOT, *(ROOT / "plugins" / name for name in
                    ("leasebench-lora", "leasebench-databricks", "leasebench-example"))]


def _pyproject(project: Path) -> dict:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    return tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_each_project_ships_the_apache_license_it_declares(project):
    meta = _pyproject(project)
    assert meta["project"]["license"] == "Apache-2.0"
    assert meta["project"]["license-files"] == ["LICENSE"]
    text = (project / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text
    # setuptools reads SPDX license strings from 77 on
    assert "setuptools>=77" in meta["build-system"]["requires"]


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_runtime_dependencies_and_extras_take_ranges(project):
    """Exact versions are the test environments' business (tox.ini), not a user's."""
    meta = _pyproject(project)["project"]
    # `genai`: the one databricks-genai release known to work, for an environment apart
    public = {"dependencies": meta["dependencies"],
              **{k: v for k, v in meta.get("optional-dependencies", {}).items()
                 if k not in ("test", "genai")}}
    for where, reqs in public.items():
        assert not [r for r in reqs if "==" in r], (project.name, where)


def test_pandas_belongs_to_the_spark_extra():
    meta = _pyproject(ROOT)["project"]
    assert not [r for r in meta["dependencies"] if r.startswith("pandas")]
    assert any(r.startswith("pandas") for r in meta["optional-dependencies"]["spark"])


def test_no_core_module_imports_pandas():
    """Everything but the Spark executor's stage code runs without pandas."""
    code = (
        "import importlib, pkgutil, sys, leasebench\n"
        "for m in pkgutil.walk_packages(leasebench.__path__, 'leasebench.'):\n"
        "    if m.name.endswith('__main__'):\n"
        "        continue\n"
        "    importlib.import_module(m.name)\n"
        "    assert 'pandas' not in sys.modules, m.name\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr


def test_the_spark_executor_without_pandas_says_which_extra(tiny_manifest, tmp_path):
    m = yaml.safe_load(tiny_manifest.read_text())
    tiny_manifest.write_text(yaml.safe_dump({**m, "executor": {"name": "spark"}}))
    no_pandas = ("import runpy, sys; sys.modules['pandas'] = None; "
                 "runpy.run_module('leasebench', run_name='__main__')")
    done = subprocess.run(
        [sys.executable, "-c", no_pandas, "run", str(tiny_manifest), "--runs-dir",
         str(tmp_path / "runs"), "--no-mlflow"],
        capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert done.returncode == 2, done.stderr
    assert "executor spark needs pandas" in done.stderr
    assert "pip install 'leasebench[spark]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_tox_tests_every_supported_python_and_fails_on_a_missing_one():
    """requires-python, README's promise and tox's environments name the same versions."""
    import configparser
    import re

    tox = configparser.ConfigParser(interpolation=None)
    tox.read(ROOT / "tox.ini", encoding="utf-8")
    envs = {e.strip() for e in tox["tox"]["envlist"].replace("\n", " ").split(",")}
    spec = _pyproject(ROOT)["project"]["requires-python"]  # ">=3.10,<3.14"
    low, high = (int(m) for m in re.fullmatch(r">=3\.(\d+),<3\.(\d+)", spec).groups())
    assert {f"py3{minor}" for minor in range(low, high)} <= envs
    assert tox["tox"]["skip_missing_interpreters"].strip() == "false"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"Python 3.{low}-3.{high - 1}" in readme
