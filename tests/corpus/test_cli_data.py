"""``leasebench data lease`` through click's test runner."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from leasebench.cli.data import data
from leasebench.records import Record


def test_writes_identical_jsonl_for_same_args(tmp_path: Path) -> None:
    runner = CliRunner()
    a, b, c = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "c.jsonl"
    for out, seed in ((a, "7"), (b, "7"), (c, "8")):
        result = runner.invoke(data, ["lease", "--n", "12", "--seed", seed, "--out", str(out)])
        assert result.exit_code == 0, result.output
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()
    lines = a.read_text("utf-8").splitlines()
    assert len(lines) == 12
    record = Record.model_validate_json(lines[0])
    assert record.id == "lease-all-0000"


def test_noise_and_split_options(tmp_path: Path) -> None:
    out = tmp_path / "x.jsonl"
    args = [
        "lease",
        "--n",
        "3",
        "--seed",
        "1",
        "--out",
        str(out),
        "--noise",
        "0",
        "--split",
        "holdout",
    ]
    result = CliRunner().invoke(data, args)
    assert result.exit_code == 0, result.output
    first = Record.model_validate_json(out.read_text("utf-8").splitlines()[0])
    assert first.id == "lease-holdout-0000"


def test_bad_arguments_exit_2(tmp_path: Path) -> None:
    out = str(tmp_path / "x.jsonl")
    runner = CliRunner()
    for args in (
        ["lease", "--n", "0", "--out", out],
        ["lease", "--n", "3", "--out", out, "--noise", "2"],
        ["lease", "--n", "x", "--out", out],
        ["lease", "--out", out],
    ):
        assert runner.invoke(data, args).exit_code == 2, args
