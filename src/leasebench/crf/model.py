"""Training and tagging with python-crfsuite over the features of :mod:`.features`."""

from __future__ import annotations

import os
import random
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import pycrfsuite

from ..io import current_umask
from ..records import Record
from .bio import OUTSIDE, bio_tags, decode, fields_from, gold_spans, segments
from .compiled import AVAILABLE, compiled_model, runs, segment_tags
from .features import document_features
from .groups import Resolver, merged_labels
from .model_file import ModelFormatError, load


def training_sequences(
    records: Sequence[Record], negatives: float, seed: int, window: int,
    groups: Sequence[Sequence[str]] = (),
) -> list[tuple[list[tuple[str, ...]], list[str]]]:
    """(features, tags) per kept segment: every segment with a label, a share of the rest.

    The fields of each of ``groups`` share one tag (:mod:`.groups`).
    """
    rng = random.Random(f"{seed}|crf-negatives")
    out = []
    for record in sorted(records, key=lambda r: r.id):
        segs, feats = document_features(record.text, window)
        spans = gold_spans(record.text, merged_labels(record.labels, groups))
        for seg, seg_feats in zip(segs, feats, strict=False):
            tags = bio_tags(seg, spans)
            positive = any(t != OUTSIDE for t in tags)
            if positive or rng.random() < negatives:
                out.append((seg_feats, tags))
    return out


class _Trainer(pycrfsuite.Trainer):
    """crfsuite's trainer, silent, calling ``on_step(iteration)`` after each L-BFGS step."""

    def __init__(self, on_step: Callable[[int], None]):
        super().__init__(algorithm="lbfgs", verbose=True)  # verbose: events reach on_*
        self._on_step = on_step

    def on_iteration(self, log: str, info: dict) -> None:
        self._on_step(int(info.get("num", 0)))

    def on_start(self, log: str) -> None: ...
    def on_featgen_progress(self, log: str, percent: float) -> None: ...
    def on_featgen_end(self, log: str) -> None: ...
    def on_prepared(self, log: str) -> None: ...
    def on_prepare_error(self, log: str) -> None: ...
    def on_optimization_end(self, log: str) -> None: ...
    def on_end(self, log: str) -> None: ...


def train_model(
    sequences: Sequence[tuple[list[tuple[str, ...]], list[str]]],
    path: Path,
    *,
    c1: float,
    c2: float,
    max_iterations: int,
    min_freq: int,
    on_step: Callable[[int], None] | None = None,
) -> None:
    """Fit an L-BFGS CRF (L1 ``c1`` + L2 ``c2``) and save it to ``path``.

    ``on_step(i)`` is called after L-BFGS iteration ``i`` (it may stop before
    ``max_iterations`` when it converges).
    """
    trainer = _Trainer(on_step or (lambda _: None))
    for feats, tags in sequences:
        trainer.append(pycrfsuite.ItemSequence(feats), tags)
    trainer.set_params(
        {
            "c1": c1,
            "c2": c2,
            "max_iterations": max_iterations,
            "feature.minfreq": min_freq,
            "feature.possible_transitions": True,
        }
    )
    # crfsuite opens the name it is given as is: it writes a fresh temporary file, renamed
    # over ``path``, so a link planted at ``path`` is replaced rather than written through
    fd, tmp = tempfile.mkstemp(dir=Path(path).parent, prefix=".model.", suffix=".tmp")
    os.fchmod(fd, 0o666 & ~current_umask())
    os.close(fd)
    try:
        trainer.train(tmp)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


class _HeldTagger(pycrfsuite.Tagger):
    """python-crfsuite's tagger holding the bytes it reads (it keeps no reference itself)."""

    data: bytes


def _checked_tagger(path: Path) -> _HeldTagger:
    """python-crfsuite's tagger on the bytes :func:`.model_file.load` checked (read once).

    Every label must also be found through crfsuite's own hash tables, since a marginal
    is asked for by name: a label it cannot find is a ``ModelFormatError`` here, not an
    exception half-way through a document.
    """
    data, weights = load(path)
    tagger = _HeldTagger()
    tagger.data = data  # crfsuite reads this buffer for as long as the tagger lives
    tagger.open_inmemory(data)
    tagger.set(pycrfsuite.ItemSequence([{}]))
    for label in weights.labels:
        try:
            tagger.marginal(label, 0)
        except RuntimeError as e:
            raise ModelFormatError(f"{path}: not a usable crfsuite model: label {label!r} is "
                                   f"not in its hash table") from e
    return tagger


class Tagger:
    """A loaded model: tags documents and reads field values off the tags.

    With the compiled tagger built (:mod:`.compiled`, the default install on a machine
    with a C compiler) no feature strings are made; otherwise, or with
    ``compiled=False``, python-crfsuite tags. Both give the same tags and marginals.
    With a ``resolver``, spans tagged with a field group's tag go to the group's field(s)
    that the resolver reads from their context.
    """

    def __init__(self, path: Path, window: int = 3, compiled: bool | None = None,
                 resolver: Resolver | None = None):
        self.window = window
        self.resolver = resolver
        if compiled and not AVAILABLE:
            raise RuntimeError("the compiled CRF tagger is not built (no C compiler at install)")
        self._compiled = compiled_model(path, window) if compiled is not False and AVAILABLE \
            else None
        self._tagger = pycrfsuite.Tagger()
        if self._compiled is not None:
            self.labels = set(self._compiled.labels)
        else:
            self._tagger = _checked_tagger(path)
            self.labels = set(self._tagger.labels())

    @property
    def compiled(self) -> bool:
        """Whether documents are tagged by the compiled tagger."""
        return self._compiled is not None

    def tag_segments(self, text: str) -> list[tuple[list[str], list[float]]]:
        """Per segment, the tags and each token's marginal probability of its tag."""
        if self._compiled is not None:
            tokens, ids, marginals = self._compiled.tag(text)
            return segment_tags(tokens, ids, marginals, self._compiled.labels)
        _, feats = document_features(text, self.window)
        if not self.labels - {OUTSIDE}:
            return [([OUTSIDE] * len(f), [1.0] * len(f)) for f in feats]
        out = []
        tagger = self._tagger
        for f in feats:
            tags = tagger.tag(pycrfsuite.ItemSequence(f))
            probs = [
                tagger.marginal(t, i) if t != OUTSIDE else 1.0 for i, t in enumerate(tags)
            ]
            out.append((tags, probs))
        return out

    def extract(
        self,
        text: str,
        fields: Sequence[str],
        tagged: list[tuple[list[str], list[float]]] | None = None,
        max_values: int = 0,
    ) -> dict[str, list[str]]:
        """Per field, the tagged spans' texts, deduplicated, in document order."""
        model = self._compiled
        if model is not None and tagged is None:
            tokens, tags, probs = model.tag(text)
            found = runs(text, tokens, tags, probs, model.labels, model.outside)
        else:
            found = []
            for seg, (tags_, probs_) in zip(segments(text), tagged or self.tag_segments(text),
                                            strict=False):
                found.extend(decode(text, seg, tags_, probs_))
        if self.resolver is not None:
            found = self.resolver.resolve(text, found)
        return fields_from(found, fields, max_values)


__all__ = ["Tagger", "train_model", "training_sequences"]
