"""The built-in lease corpus: labels, determinism, splits, coverage, noise, diversity."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from leasebench.corpus import BUILTIN_DATASETS, FAMILIES, generate_leases, lease_dataset
from leasebench.corpus.build import make_record
from leasebench.corpus.doc import FIELDS
from leasebench.corpus.stats import absence_rates, jaccard_summary
from leasebench.records import Record
from leasebench.schema import builtin_schema

# Documented absence ranges (docs/corpus.md), checked over a few thousand documents.
ABSENCE = {
    "lessor": (0.0, 0.0),
    "lessee": (0.0, 0.0),
    "signing_date": (0.18, 0.36),
    "start_date": (0.0, 0.03),
    "end_date": (0.33, 0.52),
    "leased_space": (0.0, 0.04),
    "designated_use": (0.27, 0.44),
    "term_of_payment": (0.0, 0.03),
    "extension_period": (0.36, 0.54),
    "expiration_date_of_lease": (0.64, 0.82),
}


@pytest.fixture(scope="module")
def many() -> list[Record]:
    return generate_leases(3000, 11, noise=1.0)


def test_every_label_is_a_verbatim_substring(many: list[Record]) -> None:
    for r in many:
        for field, values in r.labels.items():
            for value in values:
                assert value and value in r.text, (r.id, field, value)


def test_labels_follow_the_schema(many: list[Record]) -> None:
    schema = builtin_schema("lease")
    assert set(FIELDS) == set(schema.fields)
    for r in many[:300]:
        assert schema.label_errors(r.labels) == []
        assert r.origin.kind == "real"
        assert r.meta["family"] in FAMILIES


def test_same_seed_is_byte_identical_and_other_seeds_differ() -> None:
    a = "\n".join(r.model_dump_json() for r in generate_leases(40, 3))
    b = "\n".join(r.model_dump_json() for r in generate_leases(40, 3))
    c = "\n".join(r.model_dump_json() for r in generate_leases(40, 4))
    assert a == b
    texts_a = {json.loads(line)["text"] for line in a.splitlines()}
    texts_c = {json.loads(line)["text"] for line in c.splitlines()}
    assert not texts_a & texts_c


def test_documents_do_not_depend_on_n() -> None:
    small = generate_leases(5, 9, split="train")
    large = generate_leases(20, 9, split="train")
    assert [r.model_dump_json() for r in small] == [r.model_dump_json() for r in large[:5]]
    assert make_record(9, "train", 17).model_dump_json() == large[17].model_dump_json()


def test_train_and_holdout_never_share_documents_or_parties() -> None:
    train, holdout = lease_dataset(300, 300, 614)
    assert len(train) == 300 and len(holdout) == 300
    assert not {r.text for r in train} & {r.text for r in holdout}
    assert not {r.id for r in train} & {r.id for r in holdout}
    for field in ("lessor", "lessee"):
        tr = {v for r in train for v in r.labels[field]}
        ho = {v for r in holdout for v in r.labels[field]}
        assert not tr & ho, field
    assert {r.meta["split"] for r in train} == {"train"}
    assert {r.meta["split"] for r in holdout} == {"holdout"}


def test_builtin_registry() -> None:
    assert BUILTIN_DATASETS["lease"] is lease_dataset
    train, holdout = BUILTIN_DATASETS["lease"](2, 3, 1)
    assert [r.id for r in train] == ["lease-train-0000", "lease-train-0001"]
    assert len(holdout) == 3


def test_at_least_eight_families_all_drawn(many: list[Record]) -> None:
    assert len(FAMILIES) >= 8
    counts = Counter(r.meta["family"] for r in many)
    assert set(counts) == set(FAMILIES)
    assert min(counts.values()) > 100


def test_absence_rates_within_documented_ranges(many: list[Record]) -> None:
    rates = absence_rates(many)
    for field, (lo, hi) in ABSENCE.items():
        assert lo <= rates[field] <= hi, (field, rates[field])


def test_length_range(many: list[Record]) -> None:
    words = [len(r.text.split()) for r in many]
    assert min(words) >= 400
    assert max(words) <= 7000
    assert max(words) >= 4500
    assert sorted(words)[len(words) // 2] < 1500


def test_no_document_is_shorter_than_400_words() -> None:
    for seed, split, noise in (
        (1, "all", 0.0),
        (7, "train", 0.5),
        (614, "holdout", 1.0),
        (99, "all", 0.5),
    ):
        records = generate_leases(500, seed, split=split, noise=noise)
        short = [
            (r.id, r.meta["family"], len(r.text.split()))
            for r in records
            if len(r.text.split()) < 400
        ]
        assert not short, (seed, short)


def test_noise_parameter() -> None:
    clean = generate_leases(60, 5, noise=0.0)
    noisy = generate_leases(60, 5, noise=1.0)
    assert [r.labels for r in clean] == [r.labels for r in noisy]
    changed = sum(c.text != n.text for c, n in zip(clean, noisy, strict=True))
    assert changed == 60
    wrapped = sum(max(len(x) for x in r.text.split("\n")) < 400 for r in noisy)
    assert wrapped > 40
    assert not any("\f" in r.text for r in clean)
    with pytest.raises(ValueError):
        generate_leases(1, 5, noise=1.5)
    with pytest.raises(ValueError):
        generate_leases(1, 5, split="test")


def test_surface_forms_vary(many: list[Record]) -> None:
    dates = [v for r in many for v in r.labels["start_date"]]
    assert any("/" in d for d in dates)
    assert any("day of" in d for d in dates)
    assert any(d[:4].isdigit() and d[4] == "-" for d in dates)
    assert any(d.split(" ")[0] in ("January", "March", "June", "October") for d in dates)
    pay = " ".join(v for r in many for v in r.labels["term_of_payment"])
    for token in ("$", "£", "RMB", "Dollars", "per month"):
        assert token in pay


def test_diversity_small_sample() -> None:
    stats = jaccard_summary([r.text for r in generate_leases(200, 21, noise=0.0)])
    assert stats["mean"] < 0.25
    assert stats["max"] < 0.9


def test_committed_fixtures_match_the_generator() -> None:
    root = Path(__file__).resolve().parents[2] / "fixtures" / "lease"
    train, holdout = lease_dataset(50, 50, 614)
    for name, records in (("train", train), ("holdout", holdout)):
        expected = "".join(r.model_dump_json() + "\n" for r in records)
        assert (root / f"{name}.jsonl").read_text("utf-8") == expected, name
