"""CRF extraction per document: python-crfsuite vs the compiled tagger, side by side.

    python benchmarks/crf_speed.py [--docs 2000] [--train 50]

Trains a CRF on ``--train`` built-in documents, then extracts the same ``--docs`` hold-out
documents with each path in this one process (CPU time of the extraction alone, one core;
each path starts with cold caches) and prints ms/document, the ratio and whether the
tags, marginals and values are identical.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from leasebench.corpus import lease_dataset
from leasebench.crf import compiled
from leasebench.crf.components import CRFTrainer
from leasebench.crf.features import clear_cache
from leasebench.crf.model import Tagger
from leasebench.schema import builtin_schema
from leasebench.testing.conformance import make_context


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--train", type=int, default=50)
    args = parser.parse_args()
    if not compiled.AVAILABLE:
        raise SystemExit("the compiled tagger is not built (pip install -e . with a C compiler)")
    train, holdout = lease_dataset(args.train, args.docs, 2024)
    texts = [r.text for r in holdout]
    fields = builtin_schema("lease").fields
    with tempfile.TemporaryDirectory() as tmp:
        ctx = make_context(Path(tmp), seed=2024)
        model = CRFTrainer.from_dict({"max_iterations": 50}).train(train, [], ctx)
        path = Path(model.uri or "")
        values, ms, taggers = {}, {}, {}
        for name, use in (("pycrfsuite", False), ("compiled", True)):
            clear_cache()
            compiled._MODELS.clear()
            started = time.process_time()
            tagger = taggers[name] = Tagger(path, compiled=use)
            values[name] = [tagger.extract(t, fields, None, 1) for t in texts]
            ms[name] = 1000 * (time.process_time() - started) / len(texts)
        same = values["compiled"] == values["pycrfsuite"] and all(
            taggers["compiled"].tag_segments(t) == taggers["pycrfsuite"].tag_segments(t)
            for t in texts)
    print(f"CRF extraction of {len(texts)} built-in documents, one core (CPU time)")
    print(f"{'path':<11} {'ms/doc':>7} {'vs pycrfsuite':>14}")
    for name, value in ms.items():
        print(f"{name:<11} {value:7.2f} {ms['pycrfsuite'] / value:13.2f}x")
    print(f"tags, marginals and values identical: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
