"""The compiled CRF tagger gives python-crfsuite's tags and marginals, bit for bit.

Both paths tag the same documents with the same model; tags, marginal probabilities
(compared as floats, so any last-bit difference fails) and extracted values must be
equal, for several windows and regularisations and for texts with odd whitespace,
Unicode and edge shapes (empty, one token, pads spelled out).
"""

from __future__ import annotations

import random
import struct
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leasebench.crf import compiled, model_file
from leasebench.crf.bio import segments
from leasebench.crf.components import CRFExtractor, CRFTrainer
from leasebench.crf.model import Tagger
from leasebench.errors import DataError
from leasebench.records import ModelRef, Record
from leasebench.testing.conformance import make_context

from .helpers import SCHEMA, corpus

TRAIN, HOLDOUT = corpus(24, 30)
ODD = [" ", "\n", "\n\n", "\r\n", "\n \n", "\t", "\x0b", "\x0c", "\u2028", "\x1c", "\u00a0",
       "\n\t\n", "\n\r\n", "\n\x0b\n", "\u3000", "\n\u00a0\n", "\n\f\n"]
WORDS = ["_", "<s>", "</s>", "ÄÖÜ", "straße", "ǅ", "İstanbul", "12,500.00", "1/2/3", "a_b",
         "ﬁ", "٣٤", "X", "E.G.", ".", ";", ",", "Lessor:", "LESSEE"]

needs_compiled = pytest.mark.skipif(not compiled.AVAILABLE, reason="compiled tagger not built")


def odd_texts(seed: int, n: int) -> list[str]:
    """Hold-out texts with whitespace, words and case changed at random, and edge shapes."""
    rng = random.Random(seed)
    out = []
    for record in HOLDOUT[:n]:
        words = []
        for w in record.text.split(" "):
            r = rng.random()
            if r < 0.05:
                words.append(rng.choice(ODD))
            elif r < 0.08:
                words.append(rng.choice(WORDS))
            words.append(w.upper() if 0.08 <= r < 0.1 else w)
        out.append(" ".join(words))
    return [*out, "", " ", "\n\n", "x", "A", "\n\nA\n\n", "_ _ _", "<s> </s>", "Lessor:\n\nX"]


def both(path: str, window: int) -> tuple[Tagger, Tagger]:
    return Tagger(Path(path), window, compiled=False), Tagger(Path(path), window, compiled=True)


def test_the_compiled_tagger_is_built():
    """A machine with a C compiler builds it at install (the default CI and dev setup)."""
    assert compiled.AVAILABLE


@needs_compiled
@pytest.mark.parametrize("params", [
    {"max_iterations": 30},
    {"window": 1, "max_iterations": 20},
    {"window": 5, "c1": 0.5, "negatives": 1.0, "max_iterations": 25},
    {"c1": 0.0, "c2": 0.0, "max_iterations": 5},
])
def test_tags_marginals_and_values_equal_pycrfsuite(params, tmp_path):
    model = CRFTrainer.from_dict(params).train(TRAIN, [], make_context(tmp_path / "w", seed=3))
    slow, fast = both(model.uri or "", params.get("window", 3))
    assert fast.compiled and not slow.compiled
    for text in odd_texts(len(params), 12) + [r.text for r in HOLDOUT[12:]]:
        assert fast.tag_segments(text) == slow.tag_segments(text), text[:60]
        for keep in (0, 1, 2):
            assert fast.extract(text, SCHEMA.fields, max_values=keep) == slow.extract(
                text, SCHEMA.fields, max_values=keep)


@needs_compiled
def test_a_model_with_only_the_outside_label(tmp_path):
    empty = [Record(id=f"r{i}", text="Nothing here.\n\nReally.", labels={"lessor": []})
             for i in range(3)]
    model = CRFTrainer.from_dict({"negatives": 1.0}).train(empty, [], make_context(tmp_path))
    slow, fast = both(model.uri or "", 3)
    assert fast.labels == {"O"}
    for text in ["Hello there.\n\nX", ""]:
        assert fast.tag_segments(text) == slow.tag_segments(text)
        assert fast.extract(text, SCHEMA.fields) == {f: [] for f in SCHEMA.fields}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", "B", "1", ",", ".", "_", " ", "\n", "\t", "\r",
                                         "\x0b", "\x0c", "\u2028", "\u00a0", "é", "٣", "/"]),
               max_size=60))
def test_tokens_are_the_segments_tokens(text):
    segs = segments(text)
    tokens = compiled.tokenize(text)
    assert tokens.words == tuple(w for s in segs for w in s.words)
    assert tokens.starts.tolist() == [x for s in segs for x in s.starts]
    assert tokens.ends.tolist() == [x for s in segs for x in s.ends]
    starts = [len(s.words) for s in segs]
    assert np.diff(tokens.bounds).tolist() == starts


def test_files_that_are_not_models_are_refused(tmp_path):
    path = tmp_path / "m.crfsuite"
    for data in [b"", b"lCRF" + b"\0" * 10, b"hello world" * 10,
                 b"lCRF" + struct.pack("<I", 60) + b"FOMC" + struct.pack("<IIIIIIIIII", 100,
                                                                          0, 1, 1, 4000, 0, 0,
                                                                          0, 0, 0)]:
        path.write_bytes(data)
        with pytest.raises(model_file.ModelFormatError):
            model_file.read_model(path)


@needs_compiled
def test_the_decoder_refuses_inconsistent_arrays():
    from leasebench.crf import _tagger

    weights, trans = np.zeros((3, 2)), np.zeros((2, 2))
    tags, probs = np.zeros(2, np.int32), np.ones(2)
    rows = np.array([[1], [2]], np.int32)
    _tagger.tag(weights, rows, 1, np.array([0, 2], np.int32), trans, 2, 0, tags, probs)
    for bad_rows, bounds in [(np.array([[1], [3]], np.int32), [0, 2]),  # row past the table
                             (np.array([[1], [-1]], np.int32), [0, 2]),
                             (rows, [0, 3]), (rows, [0, 1]), (rows, [1, 1, 2])]:
        with pytest.raises(ValueError):
            _tagger.tag(weights, bad_rows, 1, np.array(bounds, np.int32), trans, 2, 0, tags,
                        probs)
    with pytest.raises(ValueError):
        _tagger.tag(weights, rows, 1, np.array([0, 2], np.int32), np.zeros((3, 3)), 2, 0, tags,
                    probs)


@needs_compiled
def test_the_word_tables_start_afresh_when_full_and_stay_exact(tmp_path, monkeypatch):
    monkeypatch.setattr(compiled, "WORDS_MAX", 60)
    monkeypatch.setattr(compiled, "PAIRS_MAX", 150)
    model = CRFTrainer.from_dict({"max_iterations": 10}).train(TRAIN, [], make_context(tmp_path))
    compiled._MODELS.clear()
    slow, fast = both(model.uri or "", 3)
    for record in HOLDOUT[:12]:
        assert fast.tag_segments(record.text) == slow.tag_segments(record.text)
        vocab = fast._compiled._vocab  # type: ignore[union-attr]
        held = len(vocab.lows) + len(vocab.pairs[0]) + len(vocab.pairs[1])
        # full after any document at these limits, so each starts afresh: the tables hold
        # at most this document's words and pairs (and the two pads)
        assert held <= 3 * len(compiled.tokenize(record.text).words) + 2


@needs_compiled
def test_a_model_rewritten_in_place_is_read_again(tmp_path):
    ctx = make_context(tmp_path / "w", seed=1)
    first = CRFTrainer.from_dict({"max_iterations": 5}).train(TRAIN[:8], [], ctx)
    old = Tagger(Path(first.uri or "")).tag_segments(HOLDOUT[0].text)
    second = CRFTrainer.from_dict({"max_iterations": 30, "c1": 0.0}).train(TRAIN, [], ctx)
    assert first.uri == second.uri
    slow, fast = both(second.uri or "", 3)
    assert fast.tag_segments(HOLDOUT[0].text) == slow.tag_segments(HOLDOUT[0].text) != old


@pytest.mark.parametrize("use_compiled", [False, pytest.param(True, marks=needs_compiled)])
def test_the_extractor_names_a_file_that_is_not_a_model(use_compiled, tmp_path, monkeypatch):
    monkeypatch.setattr("leasebench.crf.model.AVAILABLE", use_compiled)
    path = tmp_path / "model.crfsuite"
    path.write_bytes(b"not a model at all, " * 8)
    model = ModelRef(extractor="crf", uri=str(path))
    with pytest.raises(DataError, match=r"model\.crfsuite.*not a crfsuite model"):
        list(CRFExtractor.from_dict({}).extract(model, HOLDOUT[:1], make_context(tmp_path)))
