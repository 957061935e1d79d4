"""The conformance suite: every built-in component passes it, and broken components fail it
with a message naming the broken rule."""

from __future__ import annotations

import datetime
import random
import urllib.request
from pathlib import Path

import pytest
from pydantic import BaseModel

from leasebench.components import Extractor, Generator, Judge, Reporter, Scorer, Trainer
from leasebench.plugin_manager import build_registry, get_plugin_manager
from leasebench.records import ModelRef, Prediction, Record, Verdict
from leasebench.scoring.scorer import FieldMatchScorer
from leasebench.synth.perturb import PerturbGenerator
from leasebench.testing.conformance import (
    ConformanceError,
    NetworkBlocked,
    check_component,
    check_extractor,
    check_generator,
    check_judge,
    check_reporter,
    check_scorer,
    check_trainer,
    is_llm_component,
    no_network,
)

BUILTINS = build_registry(get_plugin_manager(entry_points=False))
EVERY_BUILTIN = [(row["family"], row["name"]) for row in BUILTINS.describe()]


@pytest.mark.parametrize(("family", "name"), EVERY_BUILTIN, ids=lambda v: str(v))
def test_every_builtin_component_passes_conformance(family, name, request):
    if (family, name) == ("executor", "spark"):
        request.getfixturevalue("lb_spark")  # the shared session, not a new local[*]
    cls = BUILTINS.get(family, name)
    report = check_component(cls)
    assert (report.family, report.name) == (family, name)
    assert any(c.startswith("bad-input") for c in report.checks)
    if family == "executor":
        assert {"class", "params", "pickle-component", "same as local: extraction"} <= set(
            report.checks)
        return
    assert {"class", "params", "pickle-component", "shape", "deterministic"} <= set(report.checks)
    if family in ("generator", "judge", "extractor"):
        assert "independent" in report.checks


def test_llm_components_run_against_the_loopback_server():
    llm = [BUILTINS.get(f, n) for f, n in EVERY_BUILTIN if is_llm_component(BUILTINS.get(f, n))]
    assert {c.name for c in llm} == {"llm", "llm-labels", "llm-grounding"}


# -- broken components fail, naming the rule ---------------------------------------------


class Loose(BaseModel):
    seed: int = 0


class LooseGenerator(PerturbGenerator):
    name = "kit/loose"
    Params = Loose


def test_params_must_forbid_unknown_keys():
    with pytest.raises(ConformanceError, match="extra='forbid'"):
        check_generator(LooseGenerator)


class Shuffler(Generator):
    """Uses the global random module: different records on every call."""

    name = "kit/shuffler"

    def generate(self, tasks, ctx):
        for task in tasks:
            words = task.source.text.split()
            random.shuffle(words)
            yield Record(id=task.sample_id, text=" ".join(words),
                         origin={"kind": "synthetic", "source_id": task.source.id})


def test_unseeded_randomness_is_caught():
    with pytest.raises(ConformanceError, match="not deterministic"):
        check_generator(Shuffler)


class SharedRng(Generator):
    """Seeded once per call, not per task: a resumed batch makes different samples."""

    name = "kit/shared-rng"

    def generate(self, tasks, ctx):
        rng = ctx.rng("gen")
        for task in tasks:
            yield Record(id=task.sample_id, text=f"{task.source.text} {rng.random()}",
                         origin={"kind": "synthetic", "source_id": task.source.id})


def test_per_task_seeding_is_required():
    with pytest.raises(ConformanceError, match=r"task\.seed"):
        check_generator(SharedRng)


class NoLineage(Generator):
    name = "kit/no-lineage"

    def generate(self, tasks, ctx):
        for task in tasks:
            yield Record(id=task.sample_id, text=task.source.text, labels=task.source.labels)


def test_generated_records_are_synthetic_with_lineage():
    with pytest.raises(ConformanceError, match=r"origin\.kind must be 'synthetic'"):
        check_generator(NoLineage)


class Phoning(Extractor):
    """Calls out to the internet."""

    name = "kit/phoning"

    def extract(self, model, records, ctx):
        urllib.request.urlopen("http://example.com", timeout=1)
        yield from ()


def test_network_access_is_blocked():
    with pytest.raises(NetworkBlocked, match=r"example\.com"):
        check_extractor(Phoning)


def test_no_network_allows_loopback(lb_llm_server):
    srv = lb_llm_server()
    with no_network():
        urllib.request.urlopen(srv.url.replace("/v1", "/_stats"), timeout=5).read()


class Skipper(Extractor):
    """Drops documents without text, and invents a field."""

    name = "kit/skipper"

    def extract(self, model, records, ctx):
        for r in records:
            if r.text:
                yield Prediction(id=r.id, fields={"rent": ["1"]})


def test_extractor_fields_must_be_schema_fields():
    with pytest.raises(ConformanceError, match=r"fields not in the schema: \['rent'\]"):
        check_extractor(Skipper)


class Crashy(Judge):
    """Indexes labels it assumes exist: a KeyError on a malformed record."""

    name = "kit/crashy"

    def judge(self, records, ctx):
        for r in records:
            yield Verdict(record_id=r.id, judge=self.name, passed=bool(r.labels["lessor"]))


def test_judges_must_survive_malformed_records():
    with pytest.raises(ConformanceError, match="raised KeyError"):
        check_judge(Crashy)


class Outside(Trainer):
    name = "kit/outside"

    def train(self, train, eval, ctx):
        return ModelRef(extractor="pattern", uri=str(Path("/") / "tmp" / "somewhere.json"))


def test_trained_model_must_live_in_the_workdir():
    with pytest.raises(ConformanceError, match=r"under ctx\.workdir"):
        check_trainer(Outside)


class Lenient(FieldMatchScorer):
    """Drops predictions for unknown ids instead of raising."""

    name = "kit/lenient"

    def score(self, gold, predictions, schema):
        ids = {r.id for r in gold}
        return super().score(gold, [p for p in predictions if p.id in ids], schema)


def test_scorer_must_reject_predictions_for_unknown_ids():
    with pytest.raises(ConformanceError, match="must raise"):
        check_scorer(Lenient)


class Stamped(Reporter):
    name = "kit/stamped"

    def report(self, result, out_dir):
        path = out_dir / "stamp.txt"
        path.write_text(f"{datetime.datetime.now().isoformat()} {out_dir}")
        return [path]


def test_reports_must_be_byte_identical():
    with pytest.raises(ConformanceError, match="byte-identical"):
        check_reporter(Stamped)


class NotAScorer(Scorer):
    name = "Bad Name"


def test_registration_rules_are_checked_first():
    with pytest.raises(ConformanceError, match="lowercase"):
        check_scorer(NotAScorer)
