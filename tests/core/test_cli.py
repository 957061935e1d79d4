"""The CLI through click's CliRunner and through a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from leasebench.cli.main import make_cli


def test_run_via_cli_runner_prints_table_and_rerun_says_cached(tiny_manifest, tmp_path):
    runs = tmp_path / "runs"
    runner = CliRunner()
    first = runner.invoke(make_cli(), ["run", str(tiny_manifest), "--runs-dir", str(runs), "-q"])
    assert first.exit_code == 0, first.output
    assert "lessor" in first.output and "synth-2" in first.output
    second = runner.invoke(make_cli(), ["run", str(tiny_manifest), "--runs-dir", str(runs), "-q"])
    assert second.exit_code == 0
    assert "re-executed no stage (all cached)" in second.output


def test_run_missing_data_file_is_exit_2(tiny_manifest, tmp_path):
    (tiny_manifest.parent.parent / "tiny" / "train.jsonl").unlink()
    result = CliRunner().invoke(make_cli(), ["run", str(tiny_manifest), "--runs-dir",
                                             str(tmp_path / "r")])
    assert result.exit_code == 2
    assert "data.train:" in result.output and "no such file" in result.output


def test_bad_record_names_file_and_line(tiny_manifest, tmp_path):
    train = tiny_manifest.parent.parent / "tiny" / "train.jsonl"
    lines = train.read_text().splitlines()
    lines[3] = json.dumps({"id": "x", "text": "t", "labels": {"lessor": "not a list", "x": 1}})
    train.write_text("\n".join(lines) + "\n")
    result = CliRunner().invoke(make_cli(), ["run", str(tiny_manifest), "--runs-dir",
                                             str(tmp_path / "r")])
    assert result.exit_code == 2
    assert "train.jsonl: line 4, column 'labels': unknown field(s) 'x'" in result.output


def test_subprocess_run_and_plugins_json(tiny_manifest, tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "leasebench", "run", str(tiny_manifest), "--runs-dir",
         str(tmp_path / "runs")],
        capture_output=True, text=True,
    )
    assert out.returncode == 0, out.stderr
    assert "✓ train-b0-t0" in out.stderr  # progress goes to stderr
    assert "micro" in out.stdout
    plugins = subprocess.run([sys.executable, "-m", "leasebench", "plugins", "--json"],
                             capture_output=True, text=True, check=True)
    families = {row["family"] for row in json.loads(plugins.stdout)}
    assert families == {"dataset", "generator", "judge", "trainer", "extractor", "scorer",
                        "reporter", "executor"}


def test_help_lists_commands():
    result = CliRunner().invoke(make_cli(), ["--help"])
    assert result.exit_code == 0
    for command in ("run", "validate", "plugins"):
        assert command in result.output
