"""Which CRF tagger is in use is said: by ``leasebench plugins``, in run.json, and once on
the terminal by a run that tags through python-crfsuite (no compiled extension)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from leasebench.crf import compiled

ROOT = Path(__file__).resolve().parents[2]
# the extension made unimportable, as in an install without a C compiler
WITHOUT = ("import runpy, sys; sys.modules['leasebench.crf._tagger'] = None; "
           "runpy.run_module('leasebench', run_name='__main__')")
needs_compiled = pytest.mark.skipif(not compiled.AVAILABLE, reason="compiled tagger not built")


def leasebench(*args: str, compiled_tagger: bool = True) -> subprocess.CompletedProcess[str]:
    start = ["-m", "leasebench"] if compiled_tagger else ["-c", WITHOUT]
    return subprocess.run([sys.executable, *start, *args], capture_output=True, text=True,
                          timeout=300, stdin=subprocess.DEVNULL, cwd=ROOT)


def crf_manifest(tmp_path: Path) -> Path:
    """The tiny manifest with a small ``crf`` trainer and one round."""
    m = yaml.safe_load((ROOT / "fixtures" / "manifests" / "tiny.yaml").read_text("utf-8"))
    m["data"] = {k: str(ROOT / "fixtures" / "tiny" / Path(v).name)
                 for k, v in m["data"].items()}
    m["trainer"] = {"name": "crf", "params": {"max_iterations": 10}}
    m["rounds"], m["stats"] = m["rounds"][:1], {"bootstrap": 0}
    path = tmp_path / "crf.yaml"
    path.write_text(yaml.safe_dump(m), encoding="utf-8")
    return path


def crf_rows(listing: str) -> list[dict[str, str]]:
    return [r for r in json.loads(listing) if r["name"] == "crf"]


@needs_compiled
def test_plugins_say_the_compiled_tagger_is_in_use() -> None:
    table = leasebench("plugins")
    assert table.returncode == 0, table.stderr
    assert "CRF tagger: compiled" in table.stdout
    rows = crf_rows(leasebench("plugins", "--json").stdout)
    assert {r["family"] for r in rows} == {"trainer", "extractor"}
    assert {r["tagger"] for r in rows} == {"compiled"}


def test_plugins_without_the_extension_say_python_crfsuite() -> None:
    table = leasebench("plugins", compiled_tagger=False)
    assert table.returncode == 0, table.stderr
    words = " ".join(table.stdout.split())  # wrapped to the width
    assert "CRF tagger: python-crfsuite" in words and "tagger is not built" in words
    rows = crf_rows(leasebench("plugins", "--json", compiled_tagger=False).stdout)
    assert {r["tagger"] for r in rows} == {"python-crfsuite"}
    others = json.loads(leasebench("plugins", "--json", compiled_tagger=False).stdout)
    assert not [r for r in others if r["name"] != "crf" and "tagger" in r]


def test_a_run_without_the_extension_says_so_once_and_records_it(tmp_path) -> None:
    manifest = crf_manifest(tmp_path)
    done = leasebench("run", str(manifest), "--runs-dir", str(tmp_path / "runs"),
                      "--no-mlflow", compiled_tagger=False)
    assert done.returncode == 0, done.stderr
    said = done.stdout + done.stderr
    assert said.count("CRF tagger: python-crfsuite") == 1
    meta = json.loads(next((tmp_path / "runs").glob("tiny/*/run.json")).read_text("utf-8"))
    assert meta["crf_tagger"]["tagger"] == "python-crfsuite"
    assert meta["crf_tagger"]["compiled"] is False and meta["crf_tagger"]["reason"]


@needs_compiled
def test_a_run_with_the_extension_records_it_and_says_nothing(tmp_path) -> None:
    manifest = crf_manifest(tmp_path)
    done = leasebench("run", str(manifest), "--runs-dir", str(tmp_path / "runs"),
                      "--no-mlflow")
    assert done.returncode == 0, done.stderr
    assert "CRF tagger" not in done.stdout + done.stderr
    meta = json.loads(next((tmp_path / "runs").glob("tiny/*/run.json")).read_text("utf-8"))
    assert meta["crf_tagger"] == {"tagger": "compiled", "compiled": True, "reason": None}


def test_a_run_without_crf_components_says_nothing_of_the_tagger(tmp_path) -> None:
    m = yaml.safe_load(crf_manifest(tmp_path).read_text("utf-8"))
    m["trainer"] = {"name": "pattern"}
    manifest = tmp_path / "pattern.yaml"
    manifest.write_text(yaml.safe_dump(m), encoding="utf-8")
    done = leasebench("run", str(manifest), "--runs-dir", str(tmp_path / "runs"),
                      "--no-mlflow", compiled_tagger=False)
    assert done.returncode == 0, done.stderr
    assert "CRF tagger" not in done.stdout + done.stderr
