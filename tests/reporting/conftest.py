"""Fixtures: real runs of the tiny manifest, with per-document outcomes for paired tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from leasebench.reporting.results import RunResult
from leasebench.runner import run_experiment

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "fixtures" / "manifests" / "tiny.yaml"


def run_tiny(tmp: Path, monkeypatch: pytest.MonkeyPatch, manifest: Path = TINY,
             **edits: object) -> tuple[Path, RunResult]:
    """Run a (possibly edited) tiny manifest; the json reporter writes outcomes.json."""
    if edits:
        data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
        for key in ("train", "holdout"):
            data["data"][key] = str((manifest.parent / data["data"][key]).resolve())
        data.update(edits)
        manifest = tmp / "manifest.yaml"
        manifest.write_text(yaml.safe_dump(data), encoding="utf-8")
    outcome = run_experiment(manifest, runs_dir=tmp / "runs", quiet=True, mlflow=False)
    result = outcome.result
    assert result.outcomes, "the runner fills per-document outcomes"
    return outcome.run_dir, result


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RunResult]:
    """One tiny run shared by the read-only tests."""
    tmp = tmp_path_factory.mktemp("tiny")
    with pytest.MonkeyPatch.context() as mp:
        return run_tiny(tmp, mp)


@pytest.fixture
def tiny_copy(tiny_run: tuple[Path, RunResult], tmp_path: Path) -> Path:
    """A private copy of the tiny run directory."""
    return Path(shutil.copytree(tiny_run[0], tmp_path / "run"))
