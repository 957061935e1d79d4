"""Near-duplicate detection: LSH candidates verified exactly, same pairs as brute force."""

from __future__ import annotations

import random

import pytest

from leasebench.data.near_dup import (
    RECALL_AT_THRESHOLD,
    jaccard,
    jaccard_sorted,
    lsh_bands,
    near_duplicates,
    shingle_hashes,
    shingles,
)

WORDS = [f"w{i}" for i in range(300)]


def _variants(n: int, seed: int) -> dict[str, str]:
    """Documents in families: each family a base text with a few words edited per copy."""
    rng = random.Random(seed)
    docs = {}
    for fam in range(n // 4):
        base = [rng.choice(WORDS) for _ in range(120)]
        for copy in range(4):
            words = list(base)
            for _ in range(rng.choice([0, 1, 3, 8, 20])):
                words[rng.randrange(len(words))] = rng.choice(WORDS)
            docs[f"d{fam:02d}-{copy}"] = " ".join(words)
    return docs


def _brute(left, right, threshold):
    sl = {k: shingles(v) for k, v in left.items()}
    sr = sl if right is None else {k: shingles(v) for k, v in right.items()}
    return {(a, b) for a in sl for b in sr
            if (right is not None or a < b) and jaccard(sl[a], sr[b]) >= threshold}


def test_vectorised_shingles_match_the_set_version():
    docs = [*_variants(20, seed=9).values(), "one two", "", "A b, c! d e f"]
    for x in docs:
        assert len(shingle_hashes(x)) == len(shingles(x))
        for y in docs[:5]:
            assert jaccard_sorted(shingle_hashes(x), shingle_hashes(y)) == pytest.approx(
                jaccard(shingles(x), shingles(y)))


@pytest.mark.parametrize("threshold", [0.5, 0.8, 0.9])
def test_lsh_finds_the_brute_force_pairs(threshold):
    docs = _variants(80, seed=3)
    found = near_duplicates(docs, threshold=threshold)
    assert {(p.a, p.b) for p in found} == _brute(docs, None, threshold)
    assert all(p.similarity >= threshold and p.a < p.b for p in found)
    assert found == sorted(found)


def test_across_two_sets_and_exact_mode():
    docs = _variants(40, seed=5)
    left = {k: v for k, v in docs.items() if k.endswith(("-0", "-1"))}
    right = {k: v for k, v in docs.items() if k.endswith(("-2", "-3"))}
    lsh = near_duplicates(left, right, threshold=0.7)
    exact = near_duplicates(left, right, threshold=0.7, num_perm=0)
    assert lsh == exact
    assert {(p.a, p.b) for p in lsh} == _brute(left, right, 0.7)
    assert all(p.a in left and p.b in right for p in lsh)


def test_identical_and_empty_documents():
    docs = {"a": "the same text here", "b": "The same TEXT here!", "c": "", "d": ""}
    pairs = near_duplicates(docs, threshold=0.9)
    assert [(p.a, p.b, p.similarity) for p in pairs] == [("a", "b", 1.0), ("c", "d", 1.0)]
    with pytest.raises(ValueError, match="threshold"):
        near_duplicates(docs, threshold=0)


def test_bands_catch_a_pair_at_the_threshold():
    for threshold in (0.3, 0.5, 0.8, 0.95):
        bands, rows = lsh_bands(128, threshold)
        assert bands * rows <= 128
        assert 1 - (1 - threshold**rows) ** bands >= RECALL_AT_THRESHOLD


def test_reader_benchmark_script_runs():
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "benchmarks" / "reader_speed.py"
    result = subprocess.run([sys.executable, str(script), "--n", "40", "--pairs", "20"],
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert "records/s" in result.stdout and "data card over 40 documents" in result.stdout


def test_same_template_documents_give_the_brute_force_pairs_and_few_exact_checks(
        monkeypatch):
    """Built-in leases share templates (many LSH candidates far below the threshold): the
    signature estimate drops those before the exact check, and no true pair is lost."""
    from leasebench.corpus import lease_dataset
    from leasebench.data import near_dup

    train, holdout = lease_dataset(10, 290, 3)
    docs = {r.id: r.text for r in [*train, *holdout]}
    words = docs[holdout[0].id].split()
    for k, edits in enumerate((2, 10, 40)):  # three planted near-copies of one document
        copy = list(words)
        for i in range(edits):
            copy[(i * 37) % len(copy)] = f"edit{i}"
        docs[f"copy-{k}"] = " ".join(copy)
    checked = []
    real = near_dup.jaccard_sorted
    monkeypatch.setattr(near_dup, "jaccard_sorted",
                        lambda a, b: checked.append(1) or real(a, b))
    pairs = len(docs) * (len(docs) - 1) // 2
    brute = near_duplicates(docs, threshold=0.5, num_perm=0)  # checks every pair
    for threshold in (0.5, 0.8):
        checked.clear()
        found = near_duplicates(docs, threshold=threshold)
        assert len(checked) < pairs // 50
        assert found == [p for p in brute if p.similarity >= threshold]
        assert any(p.a.startswith("copy-") for p in found)
