"""Fixtures: real runs of the tiny manifest, with per-document outcomes for paired tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

import leasebench.runner.run as run_module
from leasebench.reporting.json_report import JsonReporter
from leasebench.reporting.results import RunResult
from leasebench.runner import run_experiment

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "fixtures" / "manifests" / "tiny.yaml"


def run_tiny(tmp: Path, monkeypatch: pytest.MonkeyPatch, manifest: Path = TINY,
             **edits: object) -> tuple[Path, RunResult]:
    """Run a (possibly edited) tiny manifest; make sure outcomes.json is written."""
    if edits:
        data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
        for key in ("train", "holdout"):
            data["data"][key] = str((manifest.parent / data["data"][key]).resolve())
        data.update(edits)
        manifest = tmp / "manifest.yaml"
        manifest.write_text(yaml.safe_dump(data), encoding="utf-8")
    seen: list[object] = []
    real = run_module.summarize

    def spy(outcomes, **kw):
        seen.append(outcomes)
        return real(outcomes, **kw)

    monkeypatch.setattr(run_module, "summarize", spy)
    kwargs = {"mlflow": False} if "mlflow" in run_experiment.__code__.co_varnames else {}
    outcome = run_experiment(manifest, runs_dir=tmp / "runs", quiet=True, **kwargs)
    result = outcome.result
    if not result.outcomes:  # until the runner fills it: scorers x rounds, in that order
        it = iter(seen)
        result.outcomes = {}
        for label in result.scorers:
            for r in result.rounds:
                result.outcomes.setdefault(r.name, {})[label] = next(it)
        JsonReporter().report(result, outcome.run_dir / "report")
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
