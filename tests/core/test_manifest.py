"""Manifest validation: every problem at once, each with its location; docs stay true."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from leasebench.cli.main import make_cli
from leasebench.errors import ManifestError
from leasebench.manifest import load_manifest
from leasebench.manifest.docs import render
from leasebench.plugin_manager import build_registry

from .conftest import FIXTURES, ROOT

BASE = yaml.safe_load((FIXTURES / "manifests" / "tiny.yaml").read_text())


def _with(**changes):
    m = yaml.safe_load(yaml.safe_dump(BASE))
    for dotted, value in changes.items():
        node = m
        parts = dotted.split("__")
        for part in parts[:-1]:
            node = node[int(part)] if part.isdigit() else node[part]
        last = parts[-1]
        if value is DELETE:
            del node[int(last) if last.isdigit() else last]
        elif last.isdigit():
            node[int(last)] = value
        else:
            node[last] = value
    return m


DELETE = object()

BAD = [
    (_with(name=DELETE), "name: Field required"),
    (_with(name="has space"), "name: 'has space' must start with a letter or digit"),
    (_with(seed="abc"), "seed: Input should be a valid integer"),
    (_with(colour="red"), "colour: unknown key"),
    (_with(rounds=[]), "rounds: List should have at least 1 item"),
    (_with(rounds__2__synthetic_batches=-1),
     "rounds[2].synthetic_batches: Input should be greater than or equal to 0"),
    (_with(rounds__1={"name": "x"}),
     "rounds[1]: set `extractor: NAME` (or `baseline: true`) or `synthetic_batches: N`"),
    (_with(rounds__1__name="real-only"), "rounds: duplicate round name(s) real-only"),
    (_with(trainer__params={"lr": 0.1}), "trainer.params.lr: unknown key"),
    (_with(trainer__name="nope"), "trainer.name: unknown trainer 'nope'; known: "),
    (_with(generator__name="nope"), "generator.name: unknown generator 'nope'; known: "),
    (_with(judges__0__name="nope"), "judges[0].name: unknown judge 'nope'; known: "),
    (_with(judges__1__params={"fold_case": "maybe"}),
     "judges[1].params.fold_case: Input should be a valid boolean"),
    (_with(trainer__sweep={"lr": [1]}), "trainer.sweep.lr: unknown key for trainer 'pattern'"),
    (_with(trainer__sweep={"context": [2, 99]}),
     "trainer.sweep (trial 1: {'context': 99}).context: Input should be less than or equal to 8"),
    (_with(trainer__select={"metric": "f1", "mode": "up"}),
     "trainer.select.mode: Input should be 'max' or 'min'"),
    (_with(generator__batch_size=0), "generator.batch_size: Input should be greater than or equal"),
    (_with(trainer=DELETE), "trainer: rounds with `synthetic_batches` need a `trainer`"),
    (_with(generator=DELETE), "generator: rounds with synthetic batches need a `generator`"),
    (_with(stats__reference_round="nope"), "stats.reference_round: 'nope' is not a round"),
    (_with(data={"train": "a.jsonl"}), "data: give either `source`, or both `train` and"),
    (_with(scorers__0__params={"mode": "psychic"}), "scorers[0].params.mode: Input should be"),
    (_with(reporters=[{"name": "pdf"}]), "reporters[0].name: unknown reporter 'pdf'"),
    (_with(rounds__0={"name": "b", "baseline": True}),
     "baseline: a baseline round needs a `baseline` extractor"),
]


@pytest.mark.parametrize(("manifest", "expected"), BAD, ids=[e[:40] for _, e in BAD])
def test_bad_manifest_message(tmp_path, manifest, expected):
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(manifest))
    with pytest.raises(ManifestError) as err:
        load_manifest(path, build_registry())
    assert any(expected in p for p in err.value.problems), err.value.problems


def test_every_problem_is_reported_at_once(tmp_path):
    m = _with(colour="red", trainer__params={"lr": 0.1}, generator__name="nope",
              rounds__2__synthetic_batches=-1)
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(m))
    with pytest.raises(ManifestError) as err:
        load_manifest(path, build_registry())
    text = "\n".join(err.value.problems)
    for expected in ("colour: unknown key", "trainer.params.lr: unknown key",
                     "generator.name: unknown generator", "rounds[2].synthetic_batches"):
        assert expected in text


def test_invalid_yaml_names_the_line(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text("name: x\nrounds: [\n")
    with pytest.raises(ManifestError, match=r"line \d+, column \d+: invalid YAML"):
        load_manifest(path, build_registry())


def test_validate_cli_exit_code_2_without_traceback(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(_with(trainer__params={"lr": 0.1})))
    result = CliRunner().invoke(make_cli(), ["validate", str(path)])
    assert result.exit_code == 2
    assert "trainer.params.lr: unknown key" in result.output
    assert "Traceback" not in result.output


def test_validate_cli_subprocess_ok_and_bad(tmp_path):
    ok = subprocess.run(
        [sys.executable, "-m", "leasebench", "validate",
         str(FIXTURES / "manifests" / "tiny.yaml")],
        capture_output=True, text=True,
    )
    assert ok.returncode == 0, ok.stderr
    assert "ok (tiny: 3 round(s)" in ok.stdout
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(_with(colour="red")))
    bad = subprocess.run([sys.executable, "-m", "leasebench", "validate", str(path)],
                         capture_output=True, text=True)
    assert bad.returncode == 2
    assert "colour: unknown key" in bad.stderr and "Traceback" not in bad.stderr


def test_resolved_manifest_fills_component_defaults():
    loaded = load_manifest(FIXTURES / "manifests" / "tiny.yaml", build_registry())
    assert loaded.resolved["trainer"]["params"]["context"] == 3
    assert loaded.resolved["judges"][1]["params"]["fold_whitespace"] is True


def test_manifest_reference_doc_is_current():
    doc = (ROOT / "docs" / "manifest.md").read_text(encoding="utf-8")
    assert doc == render(), "regenerate: python -m leasebench.manifest.docs > docs/manifest.md"


#: shipped manifests that name a plugin's components, and the plugin's module
PLUGIN_MANIFESTS = {"lease-smollm.yaml": "leasebench_lora"}


def test_example_manifests_validate():
    registry = build_registry()
    for path in sorted(Path(FIXTURES / "manifests").glob("*.yaml")):
        if path.name in PLUGIN_MANIFESTS and importlib.util.find_spec(
                PLUGIN_MANIFESTS[path.name]) is None:
            continue  # validated where its plugin is installed (tox -e real-model)
        load_manifest(path, registry)
