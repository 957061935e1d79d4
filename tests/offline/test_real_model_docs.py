"""The real-model experiment's table in README.md and docs/real-model.md comes from
docs/real-model-results.json (written by docs/real_model_results.py, which runs
fixtures/manifests/lease-smollm.yaml and measures it), and those results belong to the
current manifest."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from leasebench.manifest.load import load_manifest
from leasebench.plugin_manager import build_registry

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "docs" / "real_model_results.py"
REGENERATE = "regenerate: python docs/real_model_results.py"


def script():
    spec = importlib.util.spec_from_file_location("real_model_results", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("real_model_results", module)
    spec.loader.exec_module(module)
    return module


def test_quoted_table_is_the_stored_results():
    docs = script()
    result, measured = docs.load()
    assert measured["wall_s"] > 0 and measured["peak_rss_mib"] > 0
    for paths in docs.DOCS.values():
        for path in paths:
            text = path.read_text(encoding="utf-8")
            assert "<!-- real-model-results:table -->" in text, path
            assert text == docs.rewrite(text, result, measured), f"{path.name} is stale; " \
                + REGENERATE
    table = docs.render_table(result, measured)
    for r in result.rounds:
        assert f"| {r.name} | {100 * r.scores[result.primary_scorer].micro.f1:.1f} [" in table


def test_stored_results_belong_to_the_current_manifest():
    pytest.importorskip("leasebench_lora", reason="the manifest needs the lora plugin")
    docs = script()
    result, _ = docs.load()
    loaded = load_manifest(docs.MANIFEST, build_registry())
    assert result.manifest_hash == loaded.hash, f"the manifest changed; {REGENERATE}"
    assert [r.name for r in result.rounds] == [r.name for r in loaded.manifest.rounds]
