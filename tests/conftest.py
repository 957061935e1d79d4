"""Fixtures every test package shares."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def tiny_manifest(tmp_path: Path) -> Path:
    """A copy of the tiny manifest and its data in a temporary directory."""
    shutil.copytree(FIXTURES / "tiny", tmp_path / "tiny")
    (tmp_path / "manifests").mkdir()
    target = tmp_path / "manifests" / "tiny.yaml"
    shutil.copy(FIXTURES / "manifests" / "tiny.yaml", target)
    return target
