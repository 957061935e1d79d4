"""Reading and checking a crfsuite CRF1d model file (python-crfsuite's own format).

The format (``lCRF``/``FOMC``, version 100): a 48-byte header of little-endian uint32
offsets; a ``FEAT`` chunk of 20-byte features (type, source, destination, float64
weight; type 0 is attribute -> label, type 1 label -> label); the label and attribute
names in CQDB chunks (256 hash tables of (hash, record) buckets and a backward array
mapping an id to its record: uint32 id, uint32 size, NUL-terminated name); and the
``LFRF``/``AFRF`` chunks listing, per label and per attribute, the features it owns.

Model files come from other runs and caches, and crfsuite's own reader checks almost
nothing (an offset past the end is read anyway), so every file is checked here before
either tagging path sees it: every offset and count inside the file, every record
NUL-terminated where it claims, each id's name unique, every hash table with a free
bucket (a full one makes crfsuite's lookup loop forever), each feature owned by exactly
the reference list of its source, weights finite and within ``WEIGHT_MAX`` (sums of them
then never overflow, so Viterbi always has a best label), at most ``LABELS_MAX`` labels
(decoding costs labels squared per token) and a weight table of at most ``CELLS_MAX``
cells. Anything else is a :class:`ModelFormatError` naming the file and the part.
Weights are read as stored, so sums over them can match crfsuite's to the bit.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FILE_MAX = 1 << 30
LABELS_MAX = 201  # "O" and B-/I- of 100 fields
CELLS_MAX = 1 << 26  # (attributes + 1) x labels float64 cells: 512 MiB
WEIGHT_MAX = 1e6
_FEATURE = np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("weight", "<f8")])
_CQDB_DATA = 24 + 256 * 8  # header, then 256 (offset, size) table references
_BYTE_ORDER = 0x62445371


class ModelFormatError(ValueError):
    """The file is not a crfsuite CRF1d model this reader accepts."""


@dataclass(frozen=True)
class ModelWeights:
    """A crfsuite model as arrays: ``weights[row]`` per attribute (row 0 is zeros)."""

    labels: list[str]
    rows: dict[str, int]
    weights: np.ndarray
    trans: np.ndarray


class _File:
    """The bytes of one model file, read with bounds checks; failures name the file."""

    def __init__(self, buf: bytes, path: Path):
        self.buf, self.path, self.size = buf, path, len(buf)
        self.u8 = np.frombuffer(buf, dtype=np.uint8)

    def fail(self, what: str) -> ModelFormatError:
        return ModelFormatError(f"{self.path}: not a usable crfsuite model: {what}")

    def span(self, at: int, length: int, what: str) -> None:
        if at < 0 or length < 0 or at + length > self.size:
            raise self.fail(f"{what} (bytes {at}..{at + length}) lies past the end of the "
                            f"{self.size}-byte file")

    def u32(self, at: int, what: str) -> int:
        self.span(at, 4, what)
        return int(struct.unpack_from("<I", self.buf, at)[0])

    def u32s(self, at: np.ndarray, what: str) -> np.ndarray:
        """The uint32 at each offset in ``at`` (any alignment), as int64."""
        at = at.astype(np.int64)
        if at.size and (int(at.min()) < 0 or int(at.max()) + 4 > self.size):
            raise self.fail(f"{what} point past the end of the {self.size}-byte file")
        u = self.u8
        return (u[at].astype(np.int64) | u[at + 1].astype(np.int64) << 8
                | u[at + 2].astype(np.int64) << 16 | u[at + 3].astype(np.int64) << 24)


def _expand(starts: np.ndarray, counts: np.ndarray, stride: int = 4) -> np.ndarray:
    """``starts[i] + stride * k`` for k < counts[i], for every i, in order."""
    total = int(counts.sum())
    first = np.repeat(np.cumsum(counts) - counts, counts)
    return np.repeat(starts, counts) + stride * (np.arange(total, dtype=np.int64) - first)


def _names(f: _File, off: int, count: int, what: str) -> list[str]:
    """Names 0..count-1 of the CQDB chunk at ``off``, checked as crfsuite will read them."""
    f.span(off, _CQDB_DATA, f"the {what} chunk")
    if f.buf[off : off + 4] != b"CQDB":
        raise f.fail(f"no {what} chunk at byte {off}")
    size, _, order, bwd_size, bwd_off = struct.unpack_from("<IIIII", f.buf, off + 4)
    if order != _BYTE_ORDER or not _CQDB_DATA <= size <= f.size - off:
        raise f.fail(f"the {what} chunk's header is damaged")
    if bwd_size != count or (count and not _CQDB_DATA <= bwd_off <= size - 4 * count):
        raise f.fail(f"the {what} chunk's id table does not hold {count:,} names")
    tables = np.frombuffer(f.buf, dtype="<u4", count=512, offset=off + 24).reshape(256, 2)
    t_off, t_num = tables[:, 0].astype(np.int64), tables[:, 1].astype(np.int64)
    used = t_off != 0
    if ((t_num % 2) != 0).any() or (t_num[~used] != 0).any() or int(t_num.sum()) != 2 * count \
            or (t_off[used] < _CQDB_DATA).any() or (t_off + 8 * t_num > size).any():
        raise f.fail(f"the {what} chunk's hash tables do not fit it")
    records = f.u32s(off + bwd_off + 4 * np.arange(count, dtype=np.int64), f"{what} ids")
    if count and ((records < _CQDB_DATA) | (records + 8 > size)).any():
        raise f.fail(f"a {what} id points outside its chunk")
    ids = f.u32s(off + records, f"{what} records")
    ksize = f.u32s(off + records + 4, f"{what} records")
    if (ids != np.arange(count)).any() or (ksize < 1).any() or (records + 8 + ksize > size).any():
        raise f.fail(f"a {what} record is damaged (id, size or length)")
    if count and (f.u8[off + records + 7 + ksize] != 0).any():
        raise f.fail(f"a {what} name is not NUL-terminated")
    buckets = f.u32s(off + _expand(t_off[used], t_num[used], 8) + 4, f"{what} buckets")
    per_table = np.repeat(np.arange(int(used.sum())), t_num[used])
    full = np.bincount(per_table[buckets != 0], minlength=int(used.sum()))
    taken = np.sort(buckets[buckets != 0])
    if (full > t_num[used] // 2).any() or not np.array_equal(taken, np.sort(records)):
        raise f.fail(f"the {what} hash tables do not list each name once with room to spare")
    names = []
    for start, n in zip((off + records + 8).tolist(), (ksize - 1).tolist(), strict=True):
        raw = f.buf[start : start + n]
        if b"\0" in raw:
            raise f.fail(f"a {what} name holds a NUL byte")
        names.append(raw.decode("utf-8"))
    if len(set(names)) != count:
        raise f.fail(f"two {what}s share a name")
    return names


def _refs(f: _File, off: int, chunk: bytes, count: int, what: str) -> tuple[np.ndarray, ...]:
    """``(owner, fid)`` per entry of the feature-reference chunk at ``off``."""
    f.span(off, 12 + 4 * count, f"the {what} reference chunk")
    lists = f.u32(off + 8, what)  # crfsuite writes two empty lists past the labels
    if f.buf[off : off + 4] != chunk or not count <= lists <= count + 2:
        raise f.fail(f"no {what} reference chunk of {count:,} lists at byte {off}")
    starts = f.u32s(off + 12 + 4 * np.arange(count, dtype=np.int64), f"{what} references")
    counts = f.u32s(starts, f"{what} references")
    if int(counts.sum()) > f.size // 4 or (starts + 4 + 4 * counts > f.size).any():
        raise f.fail(f"a {what} reference list runs past the end of the file")
    fids = f.u32s(_expand(starts + 4, counts), f"{what} references")
    return np.repeat(np.arange(count, dtype=np.int64), counts), fids


def load(path: Path) -> tuple[bytes, ModelWeights]:
    """The file's bytes (checked) and its label names, attribute rows and weights."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > FILE_MAX:
            raise ModelFormatError(f"{path}: {size:,} bytes, over the {FILE_MAX:,}-byte "
                                   f"limit for a model file")
        buf = path.read_bytes()
    except OSError as e:
        raise ModelFormatError(f"{path}: cannot read the model file ({e.strerror})") from e
    try:
        return buf, _parse(_File(buf, path))
    except UnicodeDecodeError as e:
        raise ModelFormatError(f"{path}: not a usable crfsuite model: a name is not "
                               f"UTF-8") from e


def read_model(path: Path) -> ModelWeights:
    """The label names, attribute rows, state weights and transitions of a crfsuite model."""
    return load(path)[1]


def _parse(f: _File) -> ModelWeights:
    buf = f.buf
    if f.size < 48 or buf[:4] != b"lCRF" or buf[8:12] != b"FOMC":
        raise ModelFormatError(f"{f.path}: not a crfsuite CRF1d model")
    (size, _, version, _, num_labels, num_attrs, off_feats, off_labels, off_attrs,
     off_lrefs, off_arefs) = struct.unpack_from("<IIIIIIIIIII", buf, 4)
    if version != 100 or size != f.size:
        raise f.fail(f"version {version} of {size:,} bytes (expected 100, {f.size:,})")
    if not 1 <= num_labels <= LABELS_MAX:
        raise f.fail(f"{num_labels:,} labels (at most {LABELS_MAX} are accepted)")
    if (num_attrs + 1) * num_labels > CELLS_MAX:
        raise f.fail(f"{num_attrs:,} attributes x {num_labels} labels is over the "
                     f"{CELLS_MAX:,}-weight limit")
    f.span(off_feats, 12, "the feature chunk")
    if buf[off_feats : off_feats + 4] != b"FEAT":
        raise f.fail(f"no feature chunk at byte {off_feats}")
    num_feats = f.u32(off_feats + 8, "features")  # the header's count is left at 0
    f.span(off_feats, 12 + 20 * num_feats, f"the feature chunk of {num_feats:,} features")
    feats = np.frombuffer(buf, dtype=_FEATURE, count=num_feats, offset=off_feats + 12)
    kind, src, dst, weight = (feats["type"].astype(np.int64), feats["src"].astype(np.int64),
                              feats["dst"].astype(np.int64), feats["weight"])
    if not np.isfinite(weight).all() or (np.abs(weight) > WEIGHT_MAX).any():
        bad = int(np.flatnonzero(~(np.abs(weight) <= WEIGHT_MAX))[0])
        raise f.fail(f"feature {bad} has weight {weight[bad]!r} (finite, at most "
                     f"{WEIGHT_MAX:g} in size, expected)")
    state, edge = kind == 0, kind == 1
    if not (state | edge).all() or (dst >= num_labels).any() or (
            src[state] >= num_attrs).any() or (src[edge] >= num_labels).any():
        raise f.fail("a feature refers past the attributes or labels")
    if len(np.unique((src * num_labels + dst) * 2 + kind)) != num_feats:
        raise f.fail("two features share a source and destination")
    labels = _names(f, off_labels, num_labels, "label")
    if any(x != "O" and (x[:2] not in ("B-", "I-") or len(x) < 3) for x in labels):
        raise f.fail("a label is not O, B-<field> or I-<field>")
    attrs = _names(f, off_attrs, num_attrs, "attribute")
    l_owner, l_fid = _refs(f, off_lrefs, b"LFRF", num_labels, "label")
    a_owner, a_fid = _refs(f, off_arefs, b"AFRF", num_attrs, "attribute")
    fids = np.concatenate([l_fid, a_fid])
    if len(fids) != num_feats or (fids >= num_feats).any() or (
            np.bincount(fids, minlength=num_feats) != 1).any():
        raise f.fail("the reference lists do not name each feature exactly once")
    if (kind[l_fid] != 1).any() or (src[l_fid] != l_owner).any() or (
            kind[a_fid] != 0).any() or (src[a_fid] != a_owner).any():
        raise f.fail("a reference list names a feature of another source")
    weights = np.zeros((num_attrs + 1, num_labels), dtype=np.float64)
    trans = np.zeros((num_labels, num_labels), dtype=np.float64)
    weights[src[state] + 1, dst[state]] = weight[state]
    trans[src[edge], dst[edge]] = weight[edge]
    rows = {name: i + 1 for i, name in enumerate(attrs)}
    return ModelWeights(labels, rows, weights, trans)


__all__ = ["CELLS_MAX", "LABELS_MAX", "WEIGHT_MAX", "ModelFormatError", "ModelWeights", "load",
           "read_model"]
