"""Shared fixtures for core tests: real installed test distributions, tiny manifests."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"


def make_distribution(
    site: Path, dist: str, version: str, module: str, code: str, entry_points: dict[str, str]
) -> None:
    """Install a minimal distribution into ``site``: a module plus a ``.dist-info``.

    This is what pip writes for a wheel: ``importlib.metadata`` finds its entry points
    once ``site`` is on ``sys.path``.
    """
    (site / module).mkdir(parents=True, exist_ok=True)
    (site / module / "__init__.py").write_text(textwrap.dedent(code), encoding="utf-8")
    info = site / f"{dist.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", encoding="utf-8"
    )
    eps = "".join(f"{name} = {target}\n" for name, target in entry_points.items())
    (info / "entry_points.txt").write_text(f"[leasebench]\n{eps}", encoding="utf-8")
    (info / "RECORD").write_text("", encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty site directory on ``sys.path`` (and PYTHONPATH for subprocesses)."""
    path = tmp_path / "site"
    path.mkdir()
    monkeypatch.syspath_prepend(str(path))
    monkeypatch.setenv("PYTHONPATH", str(path))
    monkeypatch.delenv("LEASEBENCH_PLUGINS", raising=False)
    yield path
    for name in list(sys.modules):
        if name.startswith("lbtest_"):
            del sys.modules[name]
