"""The data card and `leasebench data check`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from leasebench.cli.main import make_cli
from leasebench.data.card import build_card
from leasebench.data.grounding import Document, locate
from leasebench.io import read_jsonl, write_jsonl
from leasebench.records import Record
from leasebench.schema import builtin_schema

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "fixtures" / "tiny"
TEXT = ("This Lease is made as of March 13, 2017 between Harbor Point Properties LLC and "
        "ACME ANALYTICS, INC. Rent of $32,138.00 per month. Term: five (5) years, "
        "approximately 48,696 rentable square feet.")


@pytest.mark.parametrize(("value", "kind", "where"), [
    ("March 13, 2017", "date", "verbatim"),
    ("2017-03-13", "date", "normalized"),
    ("13 March 2017", "date", "normalized"),
    ("Acme Analytics Inc", "party", "normalized"),
    ("Harbor Point Properties, L.L.C.", "party", "normalized"),
    ("$32,138 per month", "money", "normalized"),
    ("60 months", "duration", "normalized"),
    ("48696 sq ft", "area", "normalized"),
    ("rent of $32,138.00 PER MONTH", "text", "normalized"),
    ("April 1, 2018", "date", "not_found"),
    ("the landlord", "party", "not_found"),
    ("a restaurant", "text", "not_found"),
])
def test_locate(value, kind, where):
    assert locate(value, kind, Document(TEXT)) == where


def _cli(*args):
    return CliRunner().invoke(make_cli(), list(args))


def test_builtin_corpus_gold_is_all_verbatim(tmp_path):
    result = _cli("data", "check", str(ROOT / "fixtures" / "manifests" / "lease-offline.yaml"),
                  "--runs-dir", str(tmp_path), "--format", "json")
    assert result.exit_code == 0, result.output
    card = json.loads(result.output)
    assert [s["documents"] for s in card["splits"]] == [50, 50]
    for split in card["splits"]:
        assert split["gold"]["values"] > 300
        assert split["gold"]["verbatim"] == split["gold"]["values"]
    assert not any("gold value" in w for w in card["warnings"])
    assert card["duplicates"]["counts"] == {}


def _paraphrased(tmp_path: Path) -> tuple[Path, int, int, int]:
    """Tiny train records with some gold values reformatted or paraphrased."""
    records = read_jsonl(TINY / "train.jsonl", Record)
    normalized = not_found = 0
    for i, r in enumerate(records):
        if i % 3 == 0:
            r.labels["lessee"] = [v.upper() for v in r.labels["lessee"]]  # case only
            normalized += len(r.labels["lessee"])
        if i % 4 == 0:
            r.labels["lessor"] = ["the landlord named in the lease"]  # not in the text
            not_found += 1
    total = sum(len(v) for r in records for v in r.labels.values())
    path = tmp_path / "paraphrased.jsonl"
    write_jsonl(path, records)
    return path, total, normalized, not_found


def test_paraphrased_labels_are_counted_and_warned(tmp_path):
    path, total, normalized, not_found = _paraphrased(tmp_path)
    result = _cli("data", "check", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    gold = json.loads(result.output)["splits"][0]["gold"]
    assert gold == {"values": total, "verbatim": total - normalized - not_found,
                    "normalized": normalized, "not_found": not_found}
    md = _cli("data", "check", str(path))
    share = f"{not_found / total:.1%}"
    assert f"paraphrased: {not_found} of {total} gold value(s) ({share}) do not occur" in md.output
    assert "the landlord named in the lease | not found |" in md.output
    assert _cli("data", "check", str(path), "--fail-on-warnings").exit_code == 1


def test_duplicates_within_and_across_files(tmp_path):
    train = read_jsonl(TINY / "train.jsonl", Record)
    holdout = read_jsonl(TINY / "holdout.jsonl", Record)
    near = train[1].text.replace("Lease", "Contract", 1)
    holdout += [train[0].model_copy(update={"id": "copy"}),
                train[1].model_copy(update={"id": "near", "text": near})]
    train += [train[2].model_copy(update={"id": "again"})]
    card = build_card([("train", train), ("holdout", holdout)], builtin_schema("lease"))
    assert card.duplicates.counts == {"train/holdout": {"exact": 1, "near": 1},
                                      "train": {"exact": 1, "near": 0}}
    first = card.duplicates.pairs[0]
    assert (first.a, first.b, first.exact) == (train[0].id, "copy", True)
    assert any("between train and holdout: the same document is both trained and evaluated"
               in w for w in card.warnings)
    write_jsonl(tmp_path / "train.jsonl", train)
    write_jsonl(tmp_path / "holdout.jsonl", holdout[:-2])
    out = tmp_path / "card"
    result = _cli("data", "check", str(tmp_path / "train.jsonl"),
                  str(tmp_path / "holdout.jsonl"), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "| train | 1 | 0 |" in (out / "data_card.md").read_text()
    assert json.loads((out / "data_card.json").read_text())["splits"][1]["name"] == "holdout"


def test_manifest_and_mapping_options_do_not_mix():
    result = _cli("data", "check", str(ROOT / "fixtures" / "manifests" / "tiny.yaml"),
                  "--column", "text=doc")
    assert result.exit_code == 2 and "come from the manifest" in result.output
