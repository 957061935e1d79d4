"""Pattern extraction is unchanged on a fixed corpus recorded in a fixture.

``data/pattern_before.json.gz`` holds, for four (context, min_precision) settings, the
values a pattern model learnt on ``crf_before.json.gz``'s train documents extracts from
its hold-out and train documents, recorded with the original per-field extraction loop
(field order of each result included). Any change to what extraction returns shows here.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from leasebench.pattern.model import PatternModel
from leasebench.records import Record

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("setting", ["1/0.3", "3/0.3", "3/0.6", "5/0.1"])
def test_extraction_is_unchanged(setting):
    docs = json.loads(gzip.decompress((DATA / "crf_before.json.gz").read_bytes()))
    expected = json.loads(gzip.decompress((DATA / "pattern_before.json.gz").read_bytes()))
    train = [Record.model_validate(r) for r in docs["train"]]
    context, precision = setting.split("/")
    model = PatternModel.learn(train, context=int(context), min_precision=float(precision),
                               min_count=1)
    for doc in [*docs["holdout"], *docs["train"]]:
        found = model.extract(doc["text"])
        assert found == expected[setting][doc["id"]], doc["id"]
        assert list(found) == list(expected[setting][doc["id"]])  # same field order
