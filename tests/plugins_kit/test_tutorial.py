"""docs/plugins/tutorial.md, run step by step: every ```` ```lang tutorial ```` block is
executed and every ```` tutorial-file=PATH ```` block written, in order, in a temporary
directory, so the tutorial cannot rot.

Two translations keep the shared environment clean and the test fast: ``pip install -e DIR``
installs DIR (no dependencies) into a private site directory on ``PYTHONPATH``, and only
that plugin is loaded (``LEASEBENCH_PLUGINS``).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from leasebench.cli.main import make_cli
from leasebench.plugin_manager import get_plugin_manager

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = ROOT / "docs" / "plugins" / "tutorial.md"
BLOCK = re.compile(r"^```(\w+) tutorial(?:-file=(\S+))?\n(.*?)^```$", re.MULTILINE | re.DOTALL)
# ``leasebench new-plugin`` before it is wired into the command group
NEW_PLUGIN = "from leasebench.cli.new_plugin import new_plugin_command as c; c()"


def steps(text: str) -> list[tuple[str, str | None, str]]:
    """``(language, file or None, body)`` of each tutorial block, in order."""
    return [(m.group(1), m.group(2), m.group(3)) for m in BLOCK.finditer(text)]


def translate(line: str, site: Path) -> list[str]:
    """The argv that runs one tutorial command line here."""
    words = shlex.split(line)
    tool, args = words[0], words[1:]
    if tool == "pip":
        assert args[:2] == ["install", "-e"], line
        return [sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                "--no-build-isolation", "--target", str(site), args[2]]
    if tool == "pytest":
        return [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args]
    assert tool == "leasebench", line
    if args[0] == "new-plugin" and "new-plugin" not in make_cli(
            get_plugin_manager(entry_points=False)).commands:
        return [sys.executable, "-c", NEW_PLUGIN, *args[1:]]
    return [sys.executable, "-m", "leasebench", *args]


def test_tutorial_blocks_are_found():
    found = steps(TUTORIAL.read_text("utf-8"))
    commands = [line for lang, file, body in found if file is None for line in body.splitlines()]
    assert any(c.startswith("leasebench new-plugin") for c in commands)
    wanted = {"pip install -e './acme-dates[test]'", "leasebench plugins",
              "pytest acme-dates"}
    assert wanted <= set(commands)
    assert [f for _, f, _ in found if f] == ["acme-dates/src/acme_dates/extractor.py", "acme.yaml"]


@pytest.mark.slow
def test_tutorial_runs_from_scratch(tmp_path: Path):
    site = tmp_path / "site"
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "LEASEBENCH_PLUGINS": "acme-dates",
           "MLFLOW_TRACKING_URI": "", "NO_COLOR": "1", "COLUMNS": "200"}
    outputs: dict[str, str] = {}
    for lang, file, body in steps(TUTORIAL.read_text("utf-8")):
        if file is not None:
            target = work / file
            assert target.parent.is_dir() or lang == "yaml", f"{file}: written before it exists"
            target.write_text(body, encoding="utf-8")
            continue
        for line in body.splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            done = subprocess.run(translate(line, site), cwd=work, env=env, capture_output=True,
                                  text=True, timeout=120)
            assert done.returncode == 0, f"$ {line}\n{done.stdout}\n{done.stderr}"
            outputs[line] = done.stdout + done.stderr
    assert "acme-dates/dates" in outputs["leasebench plugins"]
    assert re.search(r"\d+ passed", outputs["pytest acme-dates"])
    assert "regex" in outputs["leasebench run acme.yaml"]
    listed = subprocess.run([sys.executable, "-m", "leasebench", "plugins", "--json"], cwd=work,
                            env=env, capture_output=True, text=True, check=True)
    row = next(r for r in json.loads(listed.stdout) if r["name"] == "acme-dates/dates")
    assert (row["family"], row["distribution"]) == ("extractor", "acme-dates")
