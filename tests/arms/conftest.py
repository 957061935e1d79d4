"""Fixtures for arms: a recording trainer plugin and manifests on the tiny fixture."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml

from leasebench.hookspecs import hookimpl
from leasebench.pattern.components import PatternTrainer
from leasebench.plugin_manager import Registry, build_registry, get_plugin_manager

ROOT = Path(__file__).resolve().parents[2]


class RecordingTrainer(PatternTrainer):
    """The pattern trainer, recording what every call received."""

    name = "lbtest/recording"
    calls: ClassVar[list[dict[str, Any]]] = []

    def train(self, train, eval, ctx):
        RecordingTrainer.calls.append({
            "stage": ctx.stage, "seed": ctx.seed, "params": self.params.model_dump(),
            "train": sorted(r.id for r in train), "eval": sorted(r.id for r in eval),
            "eval_kinds": sorted({r.origin.kind for r in eval}),
            "sources": sorted({r.origin.source_id for r in train
                               if r.origin.kind == "synthetic"}),
        })
        return super().train(train, eval, ctx)


class _Plugin:
    @hookimpl
    def register_trainers(self, register):
        register(RecordingTrainer)


@pytest.fixture
def registry() -> Registry:
    pm = get_plugin_manager(entry_points=False)
    pm.register_plugin(_Plugin(), "recording", "tests", "0")
    RecordingTrainer.calls.clear()
    return build_registry(pm)


def arms_manifest(tmp_path: Path, **changes: Any) -> Path:
    """Two rule extractors, two trainers (one recording) on the tiny fixture."""
    shutil.copytree(ROOT / "fixtures" / "tiny", tmp_path / "tiny", dirs_exist_ok=True)
    manifest: dict[str, Any] = {
        "name": "arms", "seed": 5, "schema": "lease",
        "data": {"train": "tiny/train.jsonl", "holdout": "tiny/holdout.jsonl"},
        "generator": {"name": "perturb", "batch_size": 6},
        "judges": [{"name": "schema"}, {"name": "grounding"}],
        "extractors": {"prose": {"name": "rules", "params": {"layout": "prose"}},
                       "labelled": {"name": "rules", "params": {"layout": "labelled"}}},
        "trainers": {
            "pat": {"name": "pattern", "sweep": {"min_precision": [0.3, 0.6]}},
            "rec": {"name": "lbtest/recording", "sweep": {"context": [2, 3]},
                    "repeats": 3, "pricing": {"train_per_hour": 36.0, "serve_per_hour": 3.6}},
        },
        "dev": {"fraction": 0.25},
        "scorers": [{"name": "field-match", "params": {"mode": "exact"}}],
        "rounds": [{"name": "prose", "extractor": "prose"},
                   {"name": "labelled", "extractor": "labelled"},
                   {"name": "pat-real", "trainer": "pat", "synthetic_batches": 0},
                   {"name": "rec-real", "trainer": "rec", "synthetic_batches": 0},
                   {"name": "rec-synth-2", "trainer": "rec", "synthetic_batches": 2}],
        "stats": {"bootstrap": 200},
        "tracking": {"mlflow": False},
    }
    manifest.update(changes)
    path = tmp_path / "arms.yaml"
    path.write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
    return path
