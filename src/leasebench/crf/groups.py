"""Fields that share values: one CRF tag for the group, a context model for the field.

A linear-chain CRF gives each token one tag. Where two fields can label the same string
(an end date that is also the expiration date), a tag per field splits the examples three
ways (end date, expiration date, both) and the rarer ones are never learned: the CRF
predicted no expiration date at all on the built-in corpus. Instead, fields whose values
coincide in some training record form a group. The CRF learns one tag for every value of
any field of the group (many examples: every end date and every expiration date), and a
multinomial logistic regression over the words around a tagged span, trained with
crfsuite on the same records' spans, says which field of the group it is, or which
fields ("both" is one of its classes).

Its weights are stored as JSON next to the CRF model (``groups.json``): reading them runs
no parser but ``json``, and a weight that is not a finite number is refused.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pycrfsuite

from ..records import Record
from .bio import gold_spans

GROUPS_FILE = "groups.json"
WORD = re.compile(r"[^\W\d_]+")
BEFORE_CHARS, AFTER_CHARS = 80, 40


def shared_groups(records: Iterable[Record], fields: Sequence[str] | None = None
                  ) -> list[tuple[str, ...]]:
    """Sets of fields (sorted) that label one same string in at least one record."""
    parent: dict[str, str] = {}

    def find(f: str) -> str:
        while parent.setdefault(f, f) != f:
            f = parent[f]
        return f

    for record in records:
        owners: dict[str, set[str]] = {}
        for field, values in record.labels.items():
            if fields is not None and field not in fields:
                continue
            for value in values:
                if value.strip():
                    owners.setdefault(value.strip(), set()).add(field)
        for shared in owners.values():
            first, *rest = sorted(shared)
            for other in rest:
                a, b = find(first), find(other)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    members: dict[str, list[str]] = {}
    for f in parent:
        members.setdefault(find(f), []).append(f)
    return sorted(tuple(sorted(m)) for m in members.values() if len(m) > 1)


def group_tag(group: Sequence[str]) -> str:
    """The CRF tag of a group: its fields joined by ``|`` (the extractor splits it)."""
    return "|".join(group)


def merged_labels(labels: Mapping[str, Sequence[str]], groups: Sequence[Sequence[str]]
                  ) -> dict[str, list[str]]:
    """``labels`` with each group's fields replaced by the group tag (their values, once)."""
    grouped = {f for g in groups for f in g}
    out = {f: list(v) for f, v in labels.items() if f not in grouped}
    for group in groups:
        values = list(dict.fromkeys(v for f in group for v in labels.get(f, ())))
        if values:
            out[group_tag(group)] = values
    return out


def context(text: str, start: int, end: int) -> list[str]:
    """The words around a span as features: the three before it, the eight before it
    (as a set), the first words of its line, the four after it (as a set); the window
    stops at a blank line."""
    lo = max(0, start - BEFORE_CHARS)
    cut = text.rfind("\n\n", lo, start)
    before = [w.lower() for w in WORD.findall(text[cut + 2 if cut >= 0 else lo:start])]
    hi = min(len(text), end + AFTER_CHARS)
    stop = text.find("\n\n", end, hi)
    after = [w.lower() for w in WORD.findall(text[end:stop if stop >= 0 else hi])][:4]
    line = [w.lower() for w in WORD.findall(text[text.rfind("\n", 0, start) + 1:start])][:3]
    return ["b", *(f"p{i}={w}" for i, w in enumerate(reversed(before[-3:]), 1)),
            *(f"bw={w}" for w in sorted(set(before[-8:]))),
            *(f"lw={w}" for w in line), *(f"aw={w}" for w in sorted(set(after)))]


@dataclass(frozen=True)
class GroupModel:
    """Which field(s) of one group a span is: per class, the weight of each feature."""

    fields: tuple[str, ...]
    classes: tuple[str, ...]
    weights: dict[str, dict[str, float]]

    def classify(self, text: str, start: int, end: int) -> str:
        """The class (fields joined by ``|``) with the highest score; first on ties."""
        if len(self.classes) == 1:
            return self.classes[0]
        score = dict.fromkeys(self.classes, 0.0)
        for feature in context(text, start, end):
            for label, w in self.weights.get(feature, {}).items():
                if label in score:
                    score[label] += w
        return max(self.classes, key=lambda c: score[c])


class Resolver:
    """The group models of one CRF model: relabels the group tags of decoded spans."""

    def __init__(self, models: Sequence[GroupModel]):
        self.models = {group_tag(m.fields): m for m in models}

    @property
    def groups(self) -> list[tuple[str, ...]]:
        return [m.fields for m in self.models.values()]

    def resolve(self, text: str, found: Sequence[tuple[int, str, str, float]]
                ) -> list[tuple[int, str, str, float]]:
        """``found`` (start, tag, value, score) with each group tag replaced by its class."""
        out = []
        for start, tag, value, score in found:
            model = self.models.get(tag)
            if model is not None:
                tag = model.classify(text, start, start + len(value))
            out.append((start, tag, value, score))
        return out

    def to_json(self) -> str:
        return json.dumps({"version": 1, "groups": [
            {"fields": list(m.fields), "classes": list(m.classes), "weights": m.weights}
            for m in self.models.values()]}, sort_keys=True)

    @classmethod
    def load(cls, path: Path) -> Resolver:
        """Read ``groups.json``; ValueError naming what is wrong with it."""
        try:
            data = json.loads(path.read_text("utf-8"))
            models = [_group_model(g) for g in data["groups"]]
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError,
                AttributeError) as e:
            raise ValueError(f"{path.name} is not a crf field-group file ({e})") from e
        return cls(models)


def _group_model(g: Mapping[str, object]) -> GroupModel:
    fields = tuple(str(f) for f in g["fields"])  # type: ignore[attr-defined]
    classes = tuple(str(c) for c in g["classes"])  # type: ignore[attr-defined]
    if not classes:
        raise ValueError(f"group {group_tag(fields)} has no classes")
    weights: dict[str, dict[str, float]] = {}
    for feature, row in g["weights"].items():  # type: ignore[attr-defined]
        weights[str(feature)] = {str(c): _finite(w) for c, w in row.items()}
    return GroupModel(fields, classes, weights)


def _finite(w: object) -> float:
    if not isinstance(w, (int, float)) or isinstance(w, bool) or not math.isfinite(w):
        raise ValueError(f"weight {w!r} is not a finite number")
    return float(w)


def group_examples(records: Iterable[Record], group: Sequence[str]
                   ) -> list[tuple[list[str], str]]:
    """(context features, class) of every occurrence of a group's label strings."""
    members = set(group)
    out = []
    for record in sorted(records, key=lambda r: r.id):
        labels = {f: v for f, v in record.labels.items() if f in members}
        for start, end, tag in gold_spans(record.text, labels):
            out.append((context(record.text, start, end), tag))
    return out


def train_resolver(records: Sequence[Record], groups: Sequence[Sequence[str]],
                   scratch: Path) -> Resolver:
    """One L2-regularised logistic regression per group (crfsuite, one-item sequences)."""
    models = []
    for group in groups:
        examples = group_examples(records, group)
        classes = sorted({c for _, c in examples})
        if len(classes) < 2:
            models.append(GroupModel(tuple(group), tuple(classes) or (group_tag(group),), {}))
            continue
        trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
        for feats, label in examples:
            trainer.append(pycrfsuite.ItemSequence([feats]), [label])
        trainer.set_params({"c1": 0.0, "c2": 1.0, "max_iterations": 100})
        trainer.train(str(scratch))
        tagger = pycrfsuite.Tagger()
        tagger.open(str(scratch))
        weights: dict[str, dict[str, float]] = {}
        for (feature, label), w in sorted(tagger.info().state_features.items()):
            weights.setdefault(feature, {})[label] = w
        tagger.close()
        scratch.unlink()
        models.append(GroupModel(tuple(group), tuple(classes), weights))
    return Resolver(models)


__all__ = ["GROUPS_FILE", "GroupModel", "Resolver", "context", "group_examples", "group_tag",
           "merged_labels", "shared_groups", "train_resolver"]
