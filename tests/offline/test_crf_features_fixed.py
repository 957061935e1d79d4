"""CRF features and predictions are unchanged on a fixed corpus recorded in a fixture.

``data/crf_before.json.gz`` holds 16 train and 24 hold-out documents, the sha256 of each
document's feature strings and the predictions of a CRF trained on the train documents,
all recorded with the original (unoptimised) feature extraction. Any change to the
features' output shows here.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest

from leasebench.crf import compiled
from leasebench.crf.components import CRFExtractor, CRFTrainer
from leasebench.crf.features import clear_cache, document_features
from leasebench.crf.model import Tagger
from leasebench.records import Record
from leasebench.testing.conformance import make_context

FIXTURE = Path(__file__).parent / "data" / "crf_before.json.gz"


@pytest.fixture(scope="module")
def before() -> dict:
    return json.loads(gzip.decompress(FIXTURE.read_bytes()))


def digest(text: str) -> str:
    _, feats = document_features(text, 3)
    h = hashlib.sha256()
    for seg in feats:
        for tok in seg:
            h.update("\x1f".join(tok).encode())
            h.update(b"\x1e")
        h.update(b"\x1d")
    return h.hexdigest()


def test_features_are_unchanged(before):
    clear_cache()
    for doc in before["holdout"]:
        assert digest(doc["text"]) == doc["features_sha256"], doc["id"]
    for doc in before["train"]:
        assert digest(doc["text"]) == before["train_features_sha256"][doc["id"]], doc["id"]


@pytest.mark.parametrize("use_compiled", [
    False,
    pytest.param(True, marks=pytest.mark.skipif(not compiled.AVAILABLE,
                                                reason="compiled tagger not built")),
])
def test_predictions_are_unchanged(before, use_compiled, tmp_path, monkeypatch):
    """The recorded predictions hold whichever path tags: python-crfsuite or compiled."""
    clear_cache()
    monkeypatch.setattr("leasebench.crf.model.AVAILABLE", use_compiled)
    train = [Record.model_validate(r) for r in before["train"]]
    holdout = [Record(id=d["id"], text=d["text"]) for d in before["holdout"]]
    ctx = make_context(tmp_path / "w", seed=4242)
    model = CRFTrainer.from_dict({"max_iterations": 30}).train(train, [], ctx)
    preds = CRFExtractor.from_dict({}).extract(model, holdout, ctx)
    assert {p.id: p.fields for p in preds} == before["predictions"]
    assert Tagger(Path(model.uri or "")).compiled is use_compiled
