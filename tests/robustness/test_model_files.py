"""Damaged and crafted CRF model files: a located ``ModelFormatError`` on both tagging paths.

A small model is trained with python-crfsuite, then rewritten the ways an attacker or a
broken cache would: non-finite or huge weights, counts past the file, ids pointing at one
record, full hash tables (crfsuite's lookup would loop forever), reference lists naming
foreign features. Each is refused before either path reads it; random damage is either
refused or tags without a crash on both paths.
"""

from __future__ import annotations

import struct
import time
from pathlib import Path

import numpy as np
import pycrfsuite
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leasebench.crf import compiled, model_file
from leasebench.crf.components import CRFExtractor
from leasebench.crf.model import Tagger
from leasebench.errors import DataError
from leasebench.records import ModelRef, Record
from leasebench.testing.conformance import make_context

TEXT = "Lessor: Acme Corp.\n\nThe Lessee, Bob Smith, pays rent.\n\nLessor: Zed Ltd. signs"
BUILT = pytest.mark.skipif(not compiled.AVAILABLE, reason="compiled tagger not built")


def _item(words: list[str], i: int) -> dict[str, float]:
    w = words[i]
    out = {"b": 1.0, f"w={w.lower()}": 1.0, f"s={w[:1]}": 1.0}
    if i:
        out[f"-1={words[i - 1].lower()}"] = 1.0
    return out


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    trainer = pycrfsuite.Trainer(verbose=False)
    for words, tags in [
        (["Lessor", ":", "Acme", "Corp", "."], ["O", "O", "B-lessor", "I-lessor", "O"]),
        (["Lessee", ":", "Bob", "Smith"], ["O", "O", "B-lessee", "I-lessee"]),
        (["Lessor", ":", "Zed", "Ltd"], ["O", "O", "B-lessor", "I-lessor"]),
        (["pays", "rent", "."], ["O", "O", "O"]),
    ]:
        trainer.append([_item(words, i) for i in range(len(words))], tags)
    trainer.set_params({"max_iterations": 20, "feature.possible_transitions": True})
    path = tmp_path_factory.mktemp("model") / "m.crfsuite"
    trainer.train(str(path))
    return path.read_bytes()


def header(data: bytes) -> dict[str, int]:
    keys = ("size", "type", "version", "nfeat", "nlabels", "nattrs", "off_feats", "off_labels",
            "off_attrs", "off_lrefs", "off_arefs")
    return dict(zip(keys, struct.unpack_from("<11I", data, 4), strict=True))


def put(data: bytes, at: int, fmt: str, *values: object) -> bytes:
    out = bytearray(data)
    struct.pack_into(fmt, out, at, *values)
    return bytes(out)


def refused(tmp_path: Path, data: bytes, match: str) -> None:
    """Both paths refuse ``data`` with an error naming the file and ``match``."""
    path = tmp_path / "bad.crfsuite"
    path.write_bytes(data)
    compiled._MODELS.clear()
    for use_compiled in (False, True) if compiled.AVAILABLE else (False,):
        with pytest.raises(model_file.ModelFormatError, match=match) as e:
            Tagger(path, compiled=use_compiled)
        assert str(path) in str(e.value)


def first_state_feature(data: bytes) -> int:
    h = header(data)
    count = struct.unpack_from("<I", data, h["off_feats"] + 8)[0]
    for i in range(count):
        at = h["off_feats"] + 12 + 20 * i
        if struct.unpack_from("<I", data, at)[0] == 0:
            return at
    raise AssertionError("no state feature")


def test_the_trained_model_is_accepted_and_both_paths_agree(model, tmp_path):
    path = tmp_path / "m.crfsuite"
    path.write_bytes(model)
    slow = Tagger(path, compiled=False)
    assert slow.labels == {"O", "B-lessor", "I-lessor", "B-lessee", "I-lessee"}
    if compiled.AVAILABLE:
        assert Tagger(path, compiled=True).tag_segments(TEXT) == slow.tag_segments(TEXT)


@pytest.mark.parametrize("weight", [float("nan"), float("inf"), -float("inf"), -1e308, 2e6])
def test_weights_must_be_finite_and_bounded(model, tmp_path, weight):
    refused(tmp_path, put(model, first_state_feature(model) + 12, "<d", weight), "weight")


def test_a_nan_weight_through_the_extractor_is_a_data_error(model, tmp_path):
    path = tmp_path / "nan.crfsuite"
    path.write_bytes(put(model, first_state_feature(model) + 12, "<d", float("nan")))
    ref = ModelRef(extractor="crf", uri=str(path), metadata={"window": 3})
    ctx = make_context(tmp_path / "w")
    with pytest.raises(DataError, match=r"nan\.crfsuite"):
        list(CRFExtractor.from_dict({}).extract(ref, [Record(id="a", text=TEXT)], ctx))


def test_thousands_of_labels_on_one_record_are_refused_at_once(model, tmp_path):
    """The crafted file that made decoding cost labels squared per token."""
    h = header(model)
    many = put(model, 4 + 4 * 4, "<I", 8000)
    bwd = struct.unpack_from("<I", model, h["off_labels"] + 20)[0]
    many = put(many, h["off_labels"] + 16, "<I", 8000)
    started = time.perf_counter()
    refused(tmp_path, many, "8,000 labels")
    assert time.perf_counter() - started < 30  # was tens of seconds per document
    one = put(model, h["off_labels"] + bwd + 4, "<I",
              struct.unpack_from("<I", model, h["off_labels"] + bwd)[0])
    refused(tmp_path, one, "label")


def test_a_full_hash_table_is_refused(model, tmp_path):
    """crfsuite probes a hash table until an empty bucket: a full one loops forever."""
    h = header(model)
    base = h["off_attrs"]
    tables = np.frombuffer(model, "<u4", 512, base + 24).reshape(256, 2)
    t = int(np.flatnonzero(tables[:, 1])[0])
    off, num = int(tables[t, 0]), int(tables[t, 1])
    full = model
    used = [struct.unpack_from("<I", model, base + off + 8 * k + 4)[0] for k in range(num)]
    record = next(u for u in used if u)
    for k in range(num):
        full = put(full, base + off + 8 * k, "<II", 0, record)
    refused(tmp_path, full, "hash tables")


@pytest.mark.parametrize("case", ["off_labels", "off_attrs", "off_feats", "off_lrefs",
                                  "off_arefs", "size", "bwd_size", "bwd_offset", "table",
                                  "ref_count", "ref_fid", "dup_feature", "feature_src",
                                  "ref_owner", "version", "nul", "utf8", "label_name"])
def test_damaged_structures_are_refused(model, tmp_path, case):
    h = header(model)
    slot = {k: 4 + 4 * i for i, k in enumerate(header(model))}
    lab, feats = h["off_labels"], h["off_feats"]
    bwd = struct.unpack_from("<I", model, lab + 20)[0]
    rec = struct.unpack_from("<I", model, lab + bwd)[0]  # label 0's record
    ref0 = struct.unpack_from("<I", model, h["off_arefs"] + 12)[0]
    state = first_state_feature(model)
    data = {
        "off_labels": lambda: put(model, slot["off_labels"], "<I", len(model) - 8),
        "off_attrs": lambda: put(model, slot["off_attrs"], "<I", 0xFFFFFFF0),
        "off_feats": lambda: put(model, slot["off_feats"], "<I", len(model) - 4),
        "off_lrefs": lambda: put(model, slot["off_lrefs"], "<I", len(model)),
        "off_arefs": lambda: put(model, slot["off_arefs"], "<I", 3),
        "size": lambda: model + b"\0" * 4,
        "bwd_size": lambda: put(model, lab + 16, "<I", h["nlabels"] + 1),
        "bwd_offset": lambda: put(model, lab + 20, "<I", 0xFFFFFF00),
        "table": lambda: put(model, lab + 24, "<II", 40, 0x10000000),
        "ref_count": lambda: put(model, ref0, "<I", 0x3FFFFFFF),
        "ref_fid": lambda: put(model, ref0 + 4, "<I", 0x7FFFFFFF),
        "dup_feature": lambda: put(model, feats + 12 + 20, "<III",
                                   *struct.unpack_from("<III", model, feats + 12)),
        "feature_src": lambda: put(model, state + 4, "<I", h["nattrs"]),
        "ref_owner": lambda: put(model, state + 4, "<I",
                                 (struct.unpack_from("<I", model, state + 4)[0] + 1)
                                 % h["nattrs"]),
        "version": lambda: put(model, slot["version"], "<I", 101),
        "nul": lambda: put(model, lab + rec + 8 + struct.unpack_from("<I", model, lab + rec + 4)[0]
                           - 1, "<B", 65),
        "utf8": lambda: put(model, lab + rec + 8, "<B", 0xFF),
        "label_name": lambda: put(model, lab + rec + 8, "<B", ord("Q")),
    }[case]()
    refused(tmp_path, data, "crfsuite")


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_damage_is_refused_or_tags_without_a_crash(model, tmp_path_factory, data):
    """Overwrite up to 8 spans of the file; refused, or both paths tag (no signal)."""
    buf = bytearray(model)
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(buf) - 1))
        chunk = data.draw(st.one_of(
            st.binary(min_size=1, max_size=8),
            st.sampled_from([struct.pack("<I", v) for v in (0, 1, 0xFFFFFFFF, 0x7FFFFFFF,
                                                             len(buf), 2072)]),
            st.sampled_from([struct.pack("<d", v) for v in (float("nan"), 1e308, -1e308)])))
        buf[at : at + len(chunk)] = chunk[: len(buf) - at]
    path = tmp_path_factory.mktemp("fuzz") / "m.crfsuite"
    path.write_bytes(bytes(buf))
    compiled._MODELS.clear()
    try:
        taggers = [Tagger(path, compiled=False)]
    except model_file.ModelFormatError:
        return
    if compiled.AVAILABLE:
        taggers.append(Tagger(path, compiled=True))
    for tagger in taggers:
        for tags, probs in tagger.tag_segments(TEXT):
            assert set(tags) <= tagger.labels
            assert all(p != p or 0 <= p <= 1 + 1e-9 for p in probs)  # NaN: exp overflowed


@BUILT
def test_the_decoder_never_reads_an_unset_back_pointer():
    """Every candidate NaN or -inf: the labels are still labels (were read from garbage)."""
    from leasebench.crf import _tagger

    L, n = 7, 400
    rng = np.random.default_rng(0)
    for bad in (float("nan"), -float("inf"), -1e308):
        weights = np.vstack([np.zeros(L), np.full((3, L), bad)])
        trans = np.full((L, L), bad) if bad != -1e308 else rng.normal(size=(L, L))
        rows = np.tile(np.array([[1, 2, 3]], np.int32), (n, 1))
        # leave freed doubles where the back-pointers will be allocated
        _tagger.tag(rng.normal(size=(4, L)), rows, 3, np.array([0, n], np.int32),
                    rng.normal(size=(L, L)), L, 0, np.zeros(n, np.int32), np.ones(n))
        tags, probs = np.zeros(n, np.int32), np.ones(n)
        _tagger.tag(weights, rows, 3, np.array([0, n], np.int32), trans, L, -1, tags, probs)
        assert ((tags >= 0) & (tags < L)).all()


@BUILT
def test_the_decoder_refuses_shared_and_misaligned_buffers():
    from leasebench.crf import _tagger

    weights, trans = np.zeros((3, 2)), np.zeros((2, 2))
    rows = np.array([[1], [2]], np.int32)
    bounds = np.array([0, 2], np.int32)
    tags, probs = np.zeros(2, np.int32), np.ones(2)
    with pytest.raises(ValueError, match="share memory"):  # tags written over the bounds
        _tagger.tag(weights, rows, 1, bounds, trans, 2, 0, bounds, probs)
    with pytest.raises(ValueError, match="share memory"):
        _tagger.tag(weights, rows, 1, bounds, trans, 2, 0, tags, weights[0])
    pool = np.zeros(4, np.float64)
    with pytest.raises(ValueError, match="share memory"):
        _tagger.tag(weights, rows, 1, bounds, trans, 2, 0, pool[:1].view(np.int32), pool[:2])
    odd = np.zeros(4 * 2 + 1, np.uint8)[1:].view(np.int32)
    with pytest.raises(ValueError, match="aligned"):
        _tagger.tag(weights, rows, 1, bounds, trans, 2, 0, odd, probs)
    _tagger.tag(weights, rows, 1, bounds, trans, 2, 0, tags, probs)
    assert tags.tolist() == [0, 0]


@pytest.mark.slow
@BUILT
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_random_direct_calls_raise_or_return_labels(data):
    """Any shapes, values (NaN, infinities, huge), bounds and row indices: a ValueError,
    or every tag a label and every marginal a probability or NaN. Under the sanitizer
    build (tox -e asan) a read or write out of bounds would stop the run."""
    from leasebench.crf import _tagger

    L = data.draw(st.integers(1, 6))
    R = data.draw(st.integers(1, 8))
    T = data.draw(st.integers(0, 12))
    ncols = data.draw(st.integers(1, 4))
    value = st.one_of(st.floats(allow_nan=True, allow_infinity=True, width=64),
                      st.sampled_from([-1e308, 1e308, 0.0]))
    weights = np.array(data.draw(st.lists(value, min_size=R * L, max_size=R * L)),
                       np.float64).reshape(R, L)
    trans = np.array(data.draw(st.lists(value, min_size=L * L, max_size=L * L)),
                     np.float64).reshape(L, L)
    rows = np.array(data.draw(st.lists(st.integers(-2, R + 1), min_size=T * ncols,
                                       max_size=T * ncols)), np.int32)
    cuts = sorted(set(data.draw(st.lists(st.integers(0, T), max_size=4))) | {0, T})
    bounds = np.array(data.draw(st.sampled_from([cuts, cuts[::-1], [0], [], [0, T + 1]])),
                      np.int32)
    tags, probs = np.zeros(T, np.int32), np.ones(T)
    outside = data.draw(st.integers(-1, L))
    try:
        _tagger.tag(weights, rows, ncols, bounds, trans, L, outside, tags, probs)
    except ValueError:
        return
    assert ((tags >= 0) & (tags < L)).all()
    assert all(p != p or -1e-9 <= p <= 1 + 1e-9 or not np.isfinite(p) for p in probs.tolist())
