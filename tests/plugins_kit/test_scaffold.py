"""``leasebench new-plugin``: every family's scaffold is listed by ``leasebench plugins`` and
its own tests (the conformance suite) pass; bad names are clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from leasebench.cli.new_plugin import new_plugin_command
from leasebench.scaffold.templates import TEMPLATES


def install_dist_info(root: Path, dist: str, package: str, short: str) -> None:
    """What pip writes for the scaffold (see tests/core/conftest.py::make_distribution)."""
    info = root / "src" / f"{package}-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.1.0\n")
    (info / "entry_points.txt").write_text(f"[leasebench]\n{short} = {package}.plugin\n")
    (info / "RECORD").write_text("")


@pytest.fixture(scope="module")
def scaffolds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("scaffolds")
    roots = {}
    for family in TEMPLATES:
        dist = f"lbkit-{family}"
        done = CliRunner().invoke(new_plugin_command, [dist, "--family", family,
                                                       "--out", str(out)])
        assert done.exit_code == 0, done.output
        roots[family] = out / dist
        install_dist_info(roots[family], dist, dist.replace("-", "_"), dist)
    return roots


def env_with(roots: dict[str, Path]) -> dict[str, str]:
    import os

    path = ":".join(str(r / "src") for r in roots.values())
    return {**os.environ, "PYTHONPATH": path, "MLFLOW_TRACKING_URI": "",
            "LEASEBENCH_PLUGINS": ",".join(r.name for r in roots.values())}


def test_scaffold_layout(scaffolds):
    root = scaffolds["trainer"]
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    assert "pyproject.toml" in files and "README.md" in files
    assert "src/lbkit_trainer/plugin.py" in files and "tests/test_trainer.py" in files
    assert '[project.entry-points.leasebench]\nlbkit-trainer = "lbkit_trainer.plugin"' in (
        root / "pyproject.toml").read_text()


def test_plugins_lists_every_scaffold(scaffolds):
    out = subprocess.run([sys.executable, "-m", "leasebench", "plugins", "--json"],
                         env=env_with(scaffolds), capture_output=True, text=True, check=True)
    rows = {(r["family"], r["name"]): r["distribution"] for r in json.loads(out.stdout)}
    for family in TEMPLATES:
        assert rows[(family, f"lbkit-{family}/{family}")] == f"lbkit-{family}"
    assert rows[("extractor", "lbkit-trainer/trainer")] == "lbkit-trainer"


@pytest.mark.slow
def test_scaffold_tests_pass_out_of_the_box(scaffolds):
    tests = [str(r / "tests") for r in scaffolds.values()]
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          *tests], env=env_with(scaffolds), capture_output=True, text=True,
                         cwd=next(iter(scaffolds.values())).parent)
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"{len(TEMPLATES) + 1} passed" in out.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["Bad_Name", "--family", "judge"], "lowercase letters"),
    (["ok-name", "--family", "judge", "--component", "Nope"], "component name"),
])
def test_bad_names_are_clear_errors(tmp_path, args, message):
    done = CliRunner().invoke(new_plugin_command, [*args, "--out", str(tmp_path)])
    assert done.exit_code != 0 and message in str(done.exception)


def test_existing_directory_is_not_overwritten(tmp_path):
    (tmp_path / "taken").mkdir()
    done = CliRunner().invoke(new_plugin_command, ["taken", "-f", "scorer", "--out", str(tmp_path)])
    assert "already exists" in str(done.exception)


def test_next_steps_install_the_test_extra_the_scaffold_tests_need(tmp_path):
    import shlex

    done = CliRunner().invoke(new_plugin_command, ["acme-x", "-f", "scorer", "--out",
                                                   str(tmp_path)])
    root = tmp_path / "acme-x"
    install = next(line.strip() for line in done.output.splitlines() if "pip install" in line)
    assert shlex.split(install) == ["pip", "install", "-e", f"{root}[test]"]
    pyproject = (root / "pyproject.toml").read_text()
    assert '[project.optional-dependencies]\ntest = ["pytest' in pyproject
