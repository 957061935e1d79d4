"""Arms end to end: several extractors and trainers in one run, paired with the reference;
the real-only dev split; repeats that change only the seed; refit; stage names."""

from __future__ import annotations

import json

import yaml

from leasebench.runner import run_experiment

from .conftest import RecordingTrainer, arms_manifest


def _stages(outcome) -> set[str]:
    return {t["stage"] for t in json.loads((outcome.run_dir / "run.json").read_text())["stages"]}


def test_arms_run_side_by_side_and_pair_with_the_reference(tmp_path, registry):
    out = run_experiment(arms_manifest(tmp_path), runs_dir=tmp_path / "runs", quiet=True,
                         registry=registry)
    result = out.result
    assert [r.name for r in result.rounds] == [
        "prose", "labelled", "pat-real", "rec-real", "rec-synth-2"]
    assert [r.arm for r in result.rounds] == ["prose", "labelled", "pat", "rec", "rec"]
    scorer = result.primary_scorer
    for r in result.rounds[1:]:
        comp = r.vs_reference[scorer]
        assert comp.n_docs == result.n_holdout == 8
        assert comp.correction == "holm" and comp.micro.p_adjusted is not None
        assert comp.seed_variation == (r.arm == "rec")
    assert not result.round("prose").vs_reference
    stages = _stages(out)
    assert {"extract-prose", "extract-labelled", "train-pat-b0-t0", "train-pat-b0-t1",
            "train-rec-b0-t0", "train-rec-b2-t1", "extract-rec-b2", "extract-rec-b2-s2",
            } <= stages
    rec = result.round("rec-synth-2")
    best = next(t.index for t in rec.trials if t.selected)
    assert {f"train-rec-b2-t{best}-s1", f"train-rec-b2-t{best}-s2"} <= stages
    assert len(rec.repeats) == 3 and rec.seeds[0] == 5 and len(set(rec.seeds)) == 3
    assert (out.run_dir / "predictions" / "repeats" / "rec-synth-2" / "s2.jsonl").exists()
    report = (out.run_dir / "report" / "report.md").read_text()
    assert "## Training seeds" in report and "| rec-synth-2 | 3 |" in report
    # a re-run does nothing
    again = run_experiment(arms_manifest(tmp_path), runs_dir=tmp_path / "runs", quiet=True,
                           registry=registry)
    assert again.stages_run == 0


def test_dev_split_is_real_only_and_the_same_for_every_round(tmp_path, registry):
    out = run_experiment(arms_manifest(tmp_path), runs_dir=tmp_path / "runs", quiet=True,
                         registry=registry)
    calls = RecordingTrainer.calls
    assert len(calls) == 2 * (2 + 2)  # two rounds x (two trials + two more seeds)
    devs = {tuple(c["eval"]) for c in calls}
    assert len(devs) == 1, "one dev split for every round, trial and seed"
    dev = set(devs.pop())
    assert len(dev) == 3  # 25% of 12 real train records
    assert all(c["eval_kinds"] == ["real"] for c in calls)
    for c in calls:
        assert not dev & set(c["train"]), "a dev record was trained on"
        assert not dev & set(c["sources"]), "a synthetic record was made from a dev record"
    synth = [c for c in calls if c["stage"].startswith("train-rec-b2")]
    assert all(any(i.startswith("syn-") for i in c["train"]) for c in synth)
    r = out.result.round("rec-synth-2")
    assert (r.n_train_real, r.n_dev) == (9, 3) and out.result.n_dev == 3


def test_repeats_change_only_the_seed(tmp_path, registry):
    out = run_experiment(arms_manifest(tmp_path), runs_dir=tmp_path / "runs", quiet=True,
                         registry=registry)
    r = out.result.round("rec-synth-2")
    best = next(t.index for t in r.trials if t.selected)
    selected = [c for c in RecordingTrainer.calls
                if c["stage"] == f"train-rec-b2-t{best}" or
                c["stage"].startswith(f"train-rec-b2-t{best}-s")]
    assert [c["seed"] for c in selected] == r.seeds
    first = selected[0]
    for c in selected[1:]:
        assert (c["train"], c["eval"], c["params"]) == (
            first["train"], first["eval"], first["params"])


def test_refit_trains_the_selected_settings_on_train_and_dev(tmp_path, registry):
    path = arms_manifest(tmp_path)
    m = yaml.safe_load(path.read_text())
    m["trainers"]["rec"].update(select={"metric": "eval_f1", "refit": True}, repeats=2)
    m["rounds"] = [{"name": "prose", "extractor": "prose"},
                   {"name": "rec-real", "trainer": "rec", "synthetic_batches": 0}]
    path.write_text(yaml.safe_dump(m))
    out = run_experiment(path, runs_dir=tmp_path / "runs", quiet=True, registry=registry)
    refits = [c for c in RecordingTrainer.calls if "-refit-" in c["stage"]]
    assert [c["stage"] for c in refits] == ["train-rec-b0-refit-s0", "train-rec-b0-refit-s1"]
    trials = [c for c in RecordingTrainer.calls if "-refit-" not in c["stage"]]
    assert set(refits[0]["train"]) == set(trials[0]["train"]) | set(trials[0]["eval"])
    r = out.result.round("rec-real")
    assert r.selection.refit and (r.n_train_real, r.n_dev) == (12, 3)


def test_untrained_arms_need_no_dev_split(tmp_path, registry):
    path = arms_manifest(tmp_path, generator=None, judges=[], trainers={}, rounds=[
        {"name": "prose", "extractor": "prose"}, {"name": "labelled", "extractor": "labelled"}])
    out = run_experiment(path, runs_dir=tmp_path / "runs", quiet=True, registry=registry)
    assert out.result.n_dev == 0
    assert out.result.round("labelled").vs_reference["field-match:exact"].n_docs == 8
