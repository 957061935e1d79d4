"""plugins/leasebench-example: its own tests pass, and ``leasebench plugins`` lists it once
its distribution is on the path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "plugins" / "leasebench-example"


@pytest.mark.slow
def test_example_plugin_tests_pass():
    env = {**os.environ, "PYTHONPATH": str(EXAMPLE / "src")}
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                         cwd=EXAMPLE, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_example_plugin_is_listed(tmp_path):
    info = tmp_path / "leasebench_example-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: leasebench-example\n"
                                   "Version: 0.1.0\n")
    (info / "entry_points.txt").write_text("[leasebench]\nexample = leasebench_example.plugin\n")
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}:{EXAMPLE / 'src'}",
           "LEASEBENCH_PLUGINS": "leasebench-example"}
    out = subprocess.run([sys.executable, "-m", "leasebench", "plugins", "--json"], env=env,
                         capture_output=True, text=True, check=True)
    rows = {(r["family"], r["name"]): r["distribution"] for r in json.loads(out.stdout)}
    assert rows[("extractor", "example/regex-dates")] == "leasebench-example"
    assert rows[("scorer", "example/strict-dates")] == "leasebench-example"
