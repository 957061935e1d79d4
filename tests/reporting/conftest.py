"""Fixtures: real runs of the tiny manifest, with per-document outcomes for paired tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from leasebench.results import RunResult
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


def with_significant(result: RunResult) -> RunResult:
    """A copy of the tiny run where synth-2 beats real-only significantly on lessor and
    micro (8 hold-out documents rarely give a significant difference after correction)."""
    copy = result.model_copy(deep=True)
    comp = copy.round("synth-2").vs_reference[copy.primary_scorer]
    lessor = comp.fields["lessor"]
    lessor.delta, lessor.low, lessor.high, lessor.p_value = 1.0, 0.5, 1.0, 0.002
    lessor.p_adjusted, lessor.significant = 0.02, True
    comp.micro.low, comp.micro.high, comp.micro.significant = 0.01, 0.2, True
    comp.significant_fields = ["lessor"]
    return copy


@pytest.fixture(scope="session")
def tiny_significant(tiny_run: tuple[Path, RunResult]) -> RunResult:
    return with_significant(tiny_run[1])
