"""The bad-manifest corpus through the CLI: every case is exit code 2, with a message
naming the manifest (or data/schema file) and the key or line, and no traceback, from
``validate`` and from ``run`` (which must refuse what ``validate`` refuses)."""

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

from .conftest import ROOT

HERE = Path(__file__).resolve().parent / "bad_manifests"
CASES = yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    shutil.copytree(HERE / "files", root / "m")
    shutil.copytree(ROOT / "fixtures" / "tiny", root / "tiny")
    return root / "m"


@pytest.fixture(scope="module")
def cli():
    return make_cli()


def prepare(case: dict, corpus: Path) -> Path:
    """The manifest path of ``case``, after building what it needs at test time."""
    path = corpus / case["file"]
    make, target = case.get("make"), corpus / case.get("target", case["file"])
    base = (corpus / "unknown-key.yaml").read_text().replace("colour: red\n", "")
    if make == "directory":
        target.mkdir(exist_ok=True)
        if target != path:
            path.write_text(base.replace("schema: lease", f"schema: {target.name}")
                            if "schema" in target.name else
                            base.replace("../tiny/train.jsonl", target.name))
    elif make == "unreadable":
        path.write_text(base)
        path.chmod(0)
    elif make == "oversize":
        path.write_text(base + "# padding\n" * 110_000)
    return path


def check(result, case: dict, path: Path, fragments: list[str], files_ok: bool = False) -> None:
    """Exit 2, no traceback, the manifest named (or, with ``files_ok``, the data file or
    key a stage found the problem in), and every fragment."""
    output = result.output
    assert result.exit_code == 2, output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in output
    if case.get("located") != "env":
        named = path.name in output or (
            files_ok and any(s in output for s in (".jsonl", ".json", "data:")))
        assert named, output
    for fragment in fragments:
        assert fragment in output, output


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_bad_manifest_is_exit_2_located_without_traceback(case, corpus, cli, monkeypatch):
    if case.get("make") == "unreadable" and os.geteuid() == 0:
        pytest.skip("root reads any file")
    path = prepare(case, corpus)
    for key, value in (case.get("env") or {}).items():
        monkeypatch.setenv(key, value)
    runner = CliRunner()
    check(runner.invoke(cli, ["validate", str(path)]), case, path, case["expect"])
    runs = corpus.parent / "runs"
    ran = runner.invoke(cli, ["run", str(path), "--runs-dir", str(runs), "-q", "--no-mlflow"])
    data_file = next((p for p in ("train", "schema") if p in case["file"]), None)
    check(ran, case, path, [] if data_file else case["expect"][:1], files_ok=bool(data_file))
    escaped = [p for p in corpus.parent.rglob("*ESCAPED*")] + [Path("/tmp/evil")]
    assert not any(p.exists() for p in escaped)


def test_corpus_size_and_every_file_is_used():
    assert len(CASES) >= 60
    named = {c["file"] for c in CASES} | {c.get("target") for c in CASES}
    used = {p.name for p in (HERE / "files").iterdir()}
    texts = "".join((HERE / "files" / c["file"]).read_text(errors="replace")
                    for c in CASES if (HERE / "files" / c["file"]).exists())
    assert all(name in named or name in texts for name in used)


@pytest.mark.slow
def test_a_sample_through_real_processes(tmp_path):
    """The same answers from ``python -m leasebench`` (stderr, exit code, no traceback)."""
    shutil.copytree(HERE / "files", tmp_path / "m")
    shutil.copytree(ROOT / "fixtures" / "tiny", tmp_path / "tiny")
    for name in ("latin1.yaml", "round-traversal.yaml", "bootstrap-huge.yaml",
                 "duplicate-top-key.yaml", "schema-deep.yaml"):
        case = next(c for c in CASES if c["file"] == name)
        out = subprocess.run([sys.executable, "-m", "leasebench", "validate",
                              str(tmp_path / "m" / name)], capture_output=True, text=True,
                             timeout=120)
        assert out.returncode == 2, out.stderr
        assert "Traceback" not in out.stderr and name in out.stderr
        assert all(f in out.stderr for f in case["expect"]), out.stderr


@pytest.mark.slow
def test_unreadable_manifest_in_a_real_process(tmp_path):
    """Root reads any file, so as root the check runs as the unprivileged user ``nobody``."""
    path = tmp_path / "locked.yaml"
    shutil.copy(HERE / "files" / "unknown-key.yaml", path)
    path.chmod(0)
    prefix: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("root, and no setpriv to drop privileges")
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        probe = subprocess.run([*prefix, sys.executable, "-c", "import leasebench.cli.main"],
                               capture_output=True, text=True, timeout=120)
        if probe.returncode != 0:
            pytest.skip(f"leasebench is not importable as an unprivileged user: {probe.stderr}")
    out = subprocess.run([*prefix, sys.executable, "-m", "leasebench", "validate", str(path)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2, out.stderr
    assert str(path) in out.stderr and "Traceback" not in out.stderr
    assert "is not readable" in out.stderr or "cannot read: Permission denied" in out.stderr
