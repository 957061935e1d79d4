"""The offline experiment's numbers in README.md and docs/offline.md come from
docs/offline-results.json (written by docs/offline_results.py), and that file belongs to
the current manifest."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from leasebench.manifest.load import load_manifest
from leasebench.plugin_manager import build_registry
from leasebench.results import RunResult

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "docs" / "offline_results.py"
REGENERATE = "regenerate: .venv/bin/python docs/offline_results.py"


def script():
    spec = importlib.util.spec_from_file_location("offline_results", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_quoted_numbers_are_the_stored_results():
    docs = script()
    result = RunResult.model_validate_json(docs.RESULTS.read_text(encoding="utf-8"))
    for name, path in docs.DOCS.items():
        text = path.read_text(encoding="utf-8")
        assert f"<!-- offline-results:{name} -->" in text, path
        assert text == docs.rewrite(text, result), f"{path.name} is stale; {REGENERATE}"
    readme = " ".join(docs.DOCS["headline"].read_text(encoding="utf-8").split())
    micro = result.round("synth-2").scores[result.primary_scorer].micro.f1
    assert f"{100 * micro:.1f} for synth-2" in readme


def test_stored_results_belong_to_the_current_manifest():
    docs = script()
    result = RunResult.model_validate_json(docs.RESULTS.read_text(encoding="utf-8"))
    loaded = load_manifest(docs.MANIFEST, build_registry())
    assert result.manifest_hash == loaded.hash, f"the manifest changed; {REGENERATE}"
    assert [r.name for r in result.rounds] == [r.name for r in loaded.manifest.rounds]
