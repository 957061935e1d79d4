"""Near-miss names: a mistyped key gets a "did you mean"; a params typo is reported once,
not once per sweep trial; `data check` and `validate` agree on a mis-cased label key."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from leasebench.nearest import nearest

ROOT = Path(__file__).resolve().parents[2]


def leasebench(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "leasebench", *args], capture_output=True,
                          text=True, timeout=300, cwd=cwd)


def test_nearest_names():
    fields = ["lessor", "lessee", "end_date", "start_date"]
    assert nearest("Lessor", fields) == "lessor"
    assert nearest("end-date", fields) == "end_date"
    assert nearest("end_dat", fields) == "end_date"
    assert nearest("tenant_name", fields) is None


def test_validate_says_what_a_mistyped_key_meant_once(tiny_manifest):
    data = yaml.safe_load(tiny_manifest.read_text())
    data["sead"] = data.pop("seed")
    data["stats"]["bootstrapp"] = data["stats"].pop("bootstrap")
    data["trainer"]["params"] = {"contxt": 2}
    data["trainer"]["sweep"] = {"min_precison": [0.3, 0.6]}
    tiny_manifest.write_text(yaml.safe_dump(data))
    res = leasebench("validate", str(tiny_manifest), cwd=tiny_manifest.parent)
    assert res.returncode == 2
    err = res.stderr
    assert "sead: unknown key (did you mean 'seed'?)" in err
    assert "stats.bootstrapp: unknown key (did you mean 'bootstrap'?)" in err
    assert "trainer.params.contxt: unknown key (did you mean 'context'?)" in err
    assert "trainer.sweep.min_precison: unknown key for trainer 'pattern' (did you mean " \
        "'min_precision'?)" in err
    assert err.count("contxt") == 1, err


def test_a_params_typo_with_a_valid_sweep_is_reported_once(tiny_manifest):
    data = yaml.safe_load(tiny_manifest.read_text())
    data["trainer"]["params"] = {"contxt": 2}
    tiny_manifest.write_text(yaml.safe_dump(data))
    res = leasebench("validate", str(tiny_manifest), cwd=tiny_manifest.parent)
    assert res.returncode == 2 and res.stderr.count("contxt") == 1, res.stderr
    assert "trial" not in res.stderr


def test_data_check_and_validate_agree_on_a_mis_cased_label_key(tiny_manifest):
    train = tiny_manifest.parent.parent / "tiny" / "train.jsonl"
    rows = [json.loads(line) for line in train.read_text().splitlines()]
    rows[3]["labels"]["Lessor"] = rows[3]["labels"].pop("lessor")
    train.write_text("".join(json.dumps(r) + "\n" for r in rows))
    wanted = "line 4, column 'labels': unknown field(s) 'Lessor' (did you mean 'lessor'?)"
    check = leasebench("data", "check", str(train), cwd=train.parent)
    valid = leasebench("validate", str(tiny_manifest), cwd=tiny_manifest.parent)
    for res in (check, valid):
        assert res.returncode == 2 and wanted in res.stderr, res.stderr
        assert "Traceback" not in res.stderr


def test_data_check_still_infers_a_schema_for_other_labels(tmp_path):
    rows = [{"id": f"d{i}", "text": f"Tenant T{i} pays rent R{i}.",
             "labels": {"tenant_name": [f"T{i}"], "rent": [f"R{i}"]}} for i in range(3)]
    path = tmp_path / "own.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    res = leasebench("data", "check", str(path), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "Schema `inferred`." in res.stdout and "| tenant_name |" in res.stdout
