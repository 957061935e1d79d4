"""The bad-input corpus (bad_inputs/cases.yaml): every bad data, gold, prediction or
schema file ends in exit code 2 with a located message and no traceback, through `run`,
`score` and `data check`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from leasebench.cli.main import make_cli

HERE = Path(__file__).resolve().parent / "bad_inputs"
FILES = HERE / "files"
TINY = HERE.parents[2] / "fixtures" / "tiny"
GOOD_GOLD = FILES / "good-gold.jsonl"
GOOD_PRED = FILES / "good-pred.jsonl"
CASES = yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8"))
COMMANDS = {"data": ["run", "data check"], "source": ["run"], "gold": ["score"],
            "pred": ["score"], "schema": ["run", "data check"]}
TINY_MB = "0.0001"


def _params():
    for case in CASES:
        for command in COMMANDS[case["as"]]:
            yield pytest.param(case, command, id=f"{case['file']}-{case['as']}-{command}")


def _prepare(case: dict, tmp: Path) -> Path:
    """The case's file: from the corpus, or made now (directory, FIFO, ...)."""
    path = tmp / case["file"]
    make = case.get("make")
    if make is None:
        shutil.copyfile(FILES / case["file"], path)
    elif make == "directory":
        path.mkdir()
    elif make == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs on this platform")
        os.mkfifo(path)
    elif make == "unreadable":
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            pytest.skip("root reads any file")
        shutil.copyfile(TINY / "train.jsonl", path)
        path.chmod(0)
    elif make == "longname":  # unreadable even for root: the name is too long to open
        path = tmp / ("x" * 300 + ".jsonl")
    elif make == "oversize":
        shutil.copyfile(GOOD_GOLD, path)
    elif make == "wide":  # 100,000 columns: every check of the header stays linear
        path.write_text(",".join(f"c{i}" for i in range(100_000)) + "\n"
                        + ",".join("x" * 3 for _ in range(100_000)) + "\n")
    elif make == "wide-dups":
        path.write_text("id,text,labels," + ",".join(["dup"] * 40_000) + "\n")
    return path


def _manifest(tmp: Path, data: dict, schema: str = "lease") -> Path:
    doc = {"name": "bad", "seed": 1, "schema": schema, "data": data,
           "trainer": {"name": "pattern"}, "rounds": [{"name": "real", "synthetic_batches": 0}],
           "stats": {"bootstrap": 0}, "tracking": {"mlflow": False}}
    path = tmp / "manifest.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return path


def _invocation(case: dict, command: str, path: Path, tmp: Path) -> tuple[list[str], dict]:
    env = {}
    role = case["as"]
    columns = case.get("columns") or {}
    flags = [f"--column={k}={v}" for k, v in columns.items()]
    if case.get("make") == "oversize":
        if role == "gold":
            flags.append(f"--max-file-mb={TINY_MB}")
        else:
            env["LEASEBENCH_MAX_FILE_MB"] = TINY_MB
    runs = ["--runs-dir", str(tmp / "runs")]
    if role == "gold":
        return ["score", "--gold", str(path), "--pred", str(GOOD_PRED), *flags], env
    if role == "pred":
        return ["score", "--gold", str(GOOD_GOLD), "--pred", str(path), *flags], env
    if role == "schema":
        if command == "run":
            data = {"train": str(TINY / "train.jsonl"), "holdout": str(TINY / "holdout.jsonl")}
            return ["run", str(_manifest(tmp, data, schema=str(path))), *runs], env
        return ["data", "check", str(GOOD_GOLD), "--schema", str(path)], env
    if command == "run":
        data = ({"source": str(path)} if role == "source"
                else {"train": str(path), "holdout": str(GOOD_GOLD)})
        if columns:
            data["columns"] = columns
        return ["run", str(_manifest(tmp, data)), *runs], env
    extra = [str(GOOD_GOLD)] if case.get("with_holdout") else []
    if case.get("schema"):
        flags += ["--schema", case["schema"]]
    return ["data", "check", str(path), *extra, *flags], env


@pytest.fixture(scope="module")
def cli():
    return make_cli()


@pytest.mark.parametrize(("case", "command"), list(_params()))
def test_bad_input_is_exit_2_with_a_located_message(cli, tmp_path, case, command):
    path = _prepare(case, tmp_path)
    args, env = _invocation(case, command, path, tmp_path)
    result = CliRunner().invoke(cli, args, env=env)
    output = result.output
    assert result.exit_code == 2, output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in output
    assert "Error:" in output and path.name in output, output
    assert case["expect"] in output, output


def test_corpus_is_large_and_every_file_is_used():
    pairs = list(_params())
    assert len(CASES) >= 30 and len(pairs) >= 60
    used = {c["file"] for c in CASES} | {GOOD_GOLD.name, GOOD_PRED.name}
    assert {p.name for p in FILES.iterdir()} <= used


@pytest.mark.parametrize("args", [
    ["run", "{manifest}", "--runs-dir", "{tmp}/runs"],
    ["score", "--gold", str(GOOD_GOLD), "--pred", str(FILES / "big-int-pred.jsonl")],
    ["data", "check", str(FILES / "unterminated-quote.csv")],
], ids=["run-latin1", "score-big-int", "data-check-csv"])
def test_process_exits_2_without_traceback(tmp_path, args):
    manifest = _manifest(tmp_path, {"train": str(FILES / "latin1.jsonl"),
                                    "holdout": str(GOOD_GOLD)})
    argv = [a.format(manifest=manifest, tmp=tmp_path) for a in args]
    out = subprocess.run([sys.executable, "-m", "leasebench", *argv], capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr and "Error: " in out.stderr
