"""The runner end to end: caching, invalidation, --force, determinism, crash resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import ClassVar

import pytest
import yaml
from pydantic import Field

from leasebench.components import Judge, NoParams
from leasebench.hookspecs import hookimpl
from leasebench.pattern.components import PatternTrainer
from leasebench.records import Verdict
from leasebench.runner import run_experiment
from leasebench.testing.processes import running

from .conftest import make_distribution


def _edit(path: Path, **changes) -> None:
    m = yaml.safe_load(path.read_text())
    for dotted, value in changes.items():
        node = m
        parts = dotted.split("__")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    path.write_text(yaml.safe_dump(m))


def _ran(outcome) -> set[str]:
    return {t["stage"] for t in json.loads((outcome.run_dir / "run.json").read_text())["stages"]
            if not t["cached"]}


def test_run_writes_reports_and_metadata(tiny_manifest, tmp_path):
    out = run_experiment(tiny_manifest, runs_dir=tmp_path / "runs", quiet=True)
    report = json.loads((out.run_dir / "report" / "report.json").read_text())
    assert [r["name"] for r in report["rounds"]] == ["real-only", "synth-1", "synth-2"]
    assert set(report["rounds"][0]["scores"]["field-match:exact"]["fields"]) >= {"lessor"}
    assert "| lessor |" in (out.run_dir / "report" / "report.md").read_text()
    meta = json.loads((out.run_dir / "run.json").read_text())
    assert meta["manifest_hash"] == out.result.manifest_hash
    assert {"python", "platform", "plugins", "stages", "seed", "git_sha"} <= set(meta)
    assert any(p["name"] == "pattern" for p in meta["plugins"])
    assert (out.run_dir / "manifest.yaml").exists()
    # rounds train on real + accepted synthetic batches 1..k
    rounds = {r.name: r for r in out.result.rounds}
    assert rounds["synth-2"].n_train_synthetic == sum(b.accepted for b in out.result.funnel)


def test_rerun_executes_no_stage(tiny_manifest, tmp_path):
    first = run_experiment(tiny_manifest, runs_dir=tmp_path / "runs", quiet=True)
    second = run_experiment(tiny_manifest, runs_dir=tmp_path / "runs", quiet=True)
    assert first.stages_run > 0 and second.stages_run == 0
    assert second.stages_cached == first.stages_run
    a = (first.run_dir / "report" / "report.json").read_bytes()
    b = (second.run_dir / "report" / "report.json").read_bytes()
    assert a == b


def test_same_manifest_in_fresh_dirs_is_byte_identical(tiny_manifest, tmp_path):
    a = run_experiment(tiny_manifest, runs_dir=tmp_path / "a", quiet=True)
    b = run_experiment(tiny_manifest, runs_dir=tmp_path / "b", quiet=True)
    assert (a.run_dir / "report" / "report.json").read_bytes() == (
        b.run_dir / "report" / "report.json"
    ).read_bytes()


def test_param_change_reruns_exactly_the_dependent_stages(tiny_manifest, tmp_path):
    runs = tmp_path / "runs"
    run_experiment(tiny_manifest, runs_dir=runs, quiet=True)
    # a judge param: judging of both batches and everything trained on them
    _edit(tiny_manifest, judges=[{"name": "schema"},
                                 {"name": "grounding", "params": {"fold_case": True}}])
    out = run_experiment(tiny_manifest, runs_dir=runs, quiet=True)
    ran = _ran(out)
    assert {"judge-b1-1grounding", "judge-b2-1grounding"} <= ran
    assert not ran & {"load", "split", "generate-b1", "generate-b2", "judge-b1-0schema",
                      "train-b0-t0", "train-b0-t1", "extract-b0"}
    # the verdicts did not change, so the training data did not: nothing else re-runs
    assert ran == {"judge-b1-1grounding", "judge-b2-1grounding"}
    # a trainer param: all trials and extractions, no generation or judging
    _edit(tiny_manifest, trainer__params={"context": 2})
    ran = _ran(run_experiment(tiny_manifest, runs_dir=runs, quiet=True))
    assert ran == {f"train-b{b}-t{t}" for b in range(3) for t in range(2)} | {
        "extract-b0", "extract-b1", "extract-b2"}
    # batch size: generation, judging and training of rounds using batches
    _edit(tiny_manifest, generator__batch_size=6)
    ran = _ran(run_experiment(tiny_manifest, runs_dir=runs, quiet=True))
    assert "generate-b1" in ran and "train-b0-t0" not in ran and "extract-b0" not in ran


def test_force_reruns_a_stage_family(tiny_manifest, tmp_path):
    runs = tmp_path / "runs"
    first = run_experiment(tiny_manifest, runs_dir=runs, quiet=True)
    out = run_experiment(tiny_manifest, runs_dir=runs, quiet=True, force=("generate-b2",))
    assert _ran(out) == {"generate-b2"}  # same output, so nothing downstream re-runs
    out = run_experiment(tiny_manifest, runs_dir=runs, quiet=True, force=("extract",))
    assert _ran(out) == {"extract-b0", "extract-b1", "extract-b2"}
    assert (first.run_dir / "report" / "report.json").read_bytes() == (
        out.run_dir / "report" / "report.json").read_bytes()


SLOW_PLUGIN = """
import time
from leasebench.components import Judge, NoParams
from leasebench.hookspecs import hookimpl
from leasebench.synth.perturb import PerturbGenerator

class SlowPerturb(PerturbGenerator):
    '''perturb, slowly (for crash tests).'''
    name = "lbtest/slow-perturb"

    def generate(self, tasks, ctx):
        for record in super().generate(tasks, ctx):
            time.sleep(0.05)
            yield record

@hookimpl
def register_generators(register):
    register(SlowPerturb)
"""


@pytest.mark.slow
def test_sigkill_mid_stage_resumes_to_the_same_scores(site, tiny_manifest, tmp_path):
    make_distribution(site, "lbtest-slow", "0.1", "lbtest_slow", SLOW_PLUGIN,
                      {"slow": "lbtest_slow"})
    _edit(tiny_manifest, generator={"name": "lbtest/slow-perturb", "batch_size": 60})
    runs = tmp_path / "killed"
    cmd = [sys.executable, "-m", "leasebench", "run", str(tiny_manifest),
           "--runs-dir", str(runs), "--quiet"]
    log = tmp_path / "killed.log"
    with log.open("wb") as err, running(cmd, stdout=subprocess.DEVNULL, stderr=err) as proc:
        deadline = time.monotonic() + 120
        items = None
        while time.monotonic() < deadline and proc.poll() is None:
            found = list(runs.glob("tiny/stages/generate-b1-*/items.jsonl"))
            if found and len(found[0].read_bytes().splitlines()) >= 15:
                items = found[0]
                break
            time.sleep(0.02)
        assert items is not None, log.read_text() if proc.poll() is not None else "too slow"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    done_before = len(items.read_bytes().splitlines())
    assert done_before < 60 and not (items.parent / "_stage.json").exists()
    resumed = subprocess.run(cmd, capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    ids = [json.loads(line)["id"] for line in items.read_text().splitlines()]
    assert len(ids) == len(set(ids)) == 60  # nothing lost, nothing done twice
    fresh = run_experiment(tiny_manifest, runs_dir=tmp_path / "fresh", quiet=True)
    killed_report = next(runs.glob("tiny/*/report/report.json")).read_bytes()
    assert killed_report == (fresh.run_dir / "report" / "report.json").read_bytes()


class _DeployingTrainer(PatternTrainer):
    """A pattern trainer whose finalize() 'deploys' the selected model (counted)."""

    name = "lbtest/deploying"
    calls: ClassVar[list[str]] = []

    class Params(PatternTrainer.Params):
        endpoint: str = Field("e1", json_schema_extra={"finalize_only": True})

    def finalize(self, model, ctx):
        _DeployingTrainer.calls.append(model.uri)
        metadata = {**model.metadata, "endpoint": self.params.endpoint}
        return model.model_copy(update={"metadata": metadata})


class _FinalizingPlugin:
    @hookimpl
    def register_trainers(self, register):
        register(_DeployingTrainer)


def test_finalize_runs_once_per_round_on_the_selected_trial(tiny_manifest, tmp_path):
    from leasebench.plugin_manager import build_registry, get_plugin_manager

    pm = get_plugin_manager(entry_points=False)
    pm.register_plugin(_FinalizingPlugin(), "finalizing", "tests", "0")
    registry = build_registry(pm)
    _edit(tiny_manifest, trainer={"name": "lbtest/deploying",
                                  "sweep": {"min_precision": [0.3, 0.6]}})
    _DeployingTrainer.calls.clear()
    out = run_experiment(tiny_manifest, runs_dir=tmp_path / "runs", quiet=True,
                         registry=registry)
    assert len(_DeployingTrainer.calls) == 3  # one per round, not one per trial
    for r in out.result.rounds:
        selected = next(t for t in r.trials if t.selected)
        assert r.model.metadata["endpoint"] == "e1"
        assert f"train-b{r.synthetic_batches}-t{selected.index}" in r.model.uri
    assert {"finalize-b0", "finalize-b1", "finalize-b2"} <= _ran(out)
    again = run_experiment(tiny_manifest, runs_dir=tmp_path / "runs", quiet=True,
                           registry=registry)
    assert again.stages_run == 0 and len(_DeployingTrainer.calls) == 3
    # a finalize-only param re-runs finalize (and what uses its model), not training
    _edit(tiny_manifest, trainer={"name": "lbtest/deploying", "params": {"endpoint": "e2"},
                                  "sweep": {"min_precision": [0.3, 0.6]}})
    changed = run_experiment(tiny_manifest, runs_dir=tmp_path / "runs", quiet=True,
                             registry=registry)
    assert _ran(changed) == {f"finalize-b{n}" for n in range(3)} | {
        f"extract-b{n}" for n in range(3)}
    assert {r.model.metadata["endpoint"] for r in changed.result.rounds} == {"e2"}


class _RejectAll(Judge[NoParams]):
    """A judge that fails every sample (as an LLM judge does when every answer is garbled)."""

    name = "lbtest/reject-all"

    def judge(self, records, ctx):
        for record in records:
            yield Verdict(record_id=record.id, judge=self.name, passed=False, reason="no")


class _RejectingPlugin:
    @hookimpl
    def register_judges(self, register):
        register(_RejectAll)


def test_a_judge_after_one_that_rejects_everything_gets_no_samples_and_the_run_ends(
        tiny_manifest, tmp_path):
    from leasebench.plugin_manager import build_registry, get_plugin_manager

    pm = get_plugin_manager(entry_points=False)
    pm.register_plugin(_RejectingPlugin(), "rejecting", "tests", "0")
    _edit(tiny_manifest, judges=[{"name": "lbtest/reject-all"}, {"name": "grounding"}])
    out = run_experiment(tiny_manifest, runs_dir=tmp_path / "runs", quiet=True,
                         registry=build_registry(pm))
    grounding = sorted((tmp_path / "runs").glob("*/stages/judge-b*-1grounding-*"))
    assert grounding and all((d / "verdicts.jsonl").read_bytes() == b"" for d in grounding)
    assert len(out.result.rounds) == 3


def test_processes_train_every_rounds_sweep_at_once_with_the_same_report(
        tiny_manifest, tmp_path):
    local = run_experiment(tiny_manifest, runs_dir=tmp_path / "local", quiet=True)
    _edit(tiny_manifest, executor={"name": "processes", "params": {"workers": 2}})
    spread = run_experiment(tiny_manifest, runs_dir=tmp_path / "spread", quiet=True)
    assert ((local.run_dir / "report" / "report.json").read_bytes()
            == (spread.run_dir / "report" / "report.json").read_bytes())
    order = [t["stage"] for t in json.loads((spread.run_dir / "run.json").read_text())["stages"]]
    trains = [i for i, s in enumerate(order) if s.startswith("train-b")]
    assert len(trains) == 6  # 3 rounds x 2 trials, all before the first extraction
    assert max(trains) < min(i for i, s in enumerate(order) if s.startswith("extract-"))
    again = run_experiment(tiny_manifest, runs_dir=tmp_path / "spread", quiet=True)
    assert again.stages_run == 0
