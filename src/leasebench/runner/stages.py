"""Every stage's name and cache key, in one place.

The run, the dry run (``plan``), ``--force`` (``stage_names``) and the reports (MLflow's
round and trial times) all name stages with these functions, so they cannot disagree.

Names, in run order::

    load, split, data-card
    generate-b<k>
    judge-b<k>-<position><judge>        each judge on what every earlier judge passed
    judge-all-b<k>-<position><judge>    a judge on every sample of the batch (audit)
    extract-<arm>                       an untrained arm's predictions
    train-<label>-t<i>[-s<j>]           sweep trial i (and the selected trial's seed j)
    train-<label>-refit-s<j>            the selected settings refit on train + dev
    finalize-<label>[-s<j>]             the trainer's last step on a selected model
    extract-<label>[-s<j>]              a trained round's predictions (per seed)

``<label>`` is a trained round's: ``<arm>-b<n>`` (``b<n>`` with the single ``trainer``
spelling); a judge ablation trains the arm ``<arm>-without-<judge>``. Component names
such as ``acme/length`` enter names with every character a file name cannot hold
replaced by ``_``.

A key is what a stage's output depends on; the store hashes it with the name into the
stage directory's name (``<name>-<hash>``), so keys here must not change for the same
inputs, or every cached stage of that kind runs again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..manifest.models import Manifest
from ..results import RoundResult

LOAD = "load"
SPLIT = "split"
DATA_CARD = "data-card"

Key = dict[str, Any]


def part(name: str) -> str:
    """A component or judge name as part of a stage name (a file name): ``acme/length``
    becomes ``acme_length``."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)


def generate(batch: int) -> str:
    return f"generate-b{batch}"


def judge_label(position: int, judge_name: str) -> str:
    """A judge's place and name (``2acme_length``): its stages' last part, and its name in
    a batch's verdicts when an earlier judge of the same name is there."""
    return f"{position}{part(judge_name)}"


def judge(batch: int, position: int, judge_name: str) -> str:
    return f"judge-b{batch}-{judge_label(position, judge_name)}"


def judge_all(batch: int, position: int, judge_name: str) -> str:
    return f"judge-all-b{batch}-{judge_label(position, judge_name)}"


def round_label(arm: str, batches: int, *, legacy: bool = False) -> str:
    """A trained round's part of its stage names (``legacy``: the single ``trainer``)."""
    return f"{'' if legacy else arm + '-'}b{batches}"


def label_of(m: Manifest, arm: str, batches: int) -> str:
    """The label of ``arm`` trained with ``batches`` batches: unprefixed only for the
    single ``trainer`` itself (an ablation's arm is always prefixed)."""
    return round_label(arm, batches, legacy=m.legacy_trainer and arm in m.trainer_arms)


def ablation_arm(arm: str, judge_key: str) -> str:
    """The arm a judge ablation trains: ``arm`` with the samples only that judge rejected."""
    return f"{arm}-without-{part(judge_key)}"


def seed_suffix(j: int) -> str:
    """Seed ``j``'s part of a name: none for the first seed, ``-s<j>`` after it."""
    return f"-s{j}" if j else ""


def trial(label: str, index: int | str, seed: int = 0) -> str:
    return f"train-{label}-t{index}{seed_suffix(seed)}"


def refit(label: str, seed: int) -> str:
    return f"train-{label}-refit-s{seed}"


def finalize(label: str, seed: int = 0) -> str:
    return f"finalize-{label}{seed_suffix(seed)}"


def extract(label: str, seed: int = 0, *, served: bool = False) -> str:
    """An untrained arm's extraction (``label`` is the arm) or a trained round's;
    ``served``: through a server leasebench starts (``-served``)."""
    return f"extract-{label}{seed_suffix(seed)}{'-served' if served else ''}"


def trained_round(
    label: str, trials: int, seeds: int, *, refits: bool = False, finalizes: bool = True,
    selected: int | None = None, served: bool = False,
) -> list[str]:
    """Every stage a trained round can write: its trials, the selected trial's seeds (of
    every trial while ``selected`` is unknown) or refits, finalize and extraction."""
    names = [trial(label, i) for i in range(trials)]
    if refits:
        names += [refit(label, j) for j in range(seeds)]
    else:
        picks = range(trials) if selected is None else [selected]
        names += [trial(label, i, j) for i in picks for j in range(1, seeds)]
    if finalizes:
        names += [finalize(label, j) for j in range(seeds)]
    return names + [extract(label, j, served=served) for j in range(seeds)]


def of_rounds(m: Manifest, rounds: Iterable[RoundResult],
              ) -> dict[str, tuple[list[str], list[str]]]:
    """Per round (by name): the stages it spans and each of its trials' stage, in index
    order (MLflow's round and trial runs take their start and end times from them)."""
    out: dict[str, tuple[list[str], list[str]]] = {}
    for r in rounds:
        served = r.served is not None
        if r.kind != "trained":
            out[r.name] = ([extract(r.arm, served=served)], [])
            continue
        label = label_of(m, r.arm, r.synthetic_batches)
        selected = next((t.index for t in r.trials if t.selected), None)
        out[r.name] = (trained_round(label, len(r.trials), max(1, len(r.seeds)),
                                     refits=r.selection is not None and r.selection.refit,
                                     selected=selected, served=served),
                       [trial(label, t.index) for t in r.trials])
    return out


# -- keys -------------------------------------------------------------------------------


def split_key(load_hash: str, seed: int, schema: Any, holdout_fraction: float | None) -> Key:
    return {"load": load_hash, "seed": seed, "schema": schema,
            "holdout_fraction": holdout_fraction}


def card_key(split_hash: str, schema: Any, version: str, gold_values: bool) -> Key:
    return {"split": split_hash, "schema": schema, "version": version,
            "gold_values": gold_values}


def generate_key(train_hash: str, component: Key, seed: int, batch: int, size: int) -> Key:
    return {"train": train_hash, "component": component, "seed": seed, "batch": batch,
            "batch_size": size}


def judge_key(records_hash: str, ids_hash: str, data_hash: str, component: Key,
              seed: int) -> Key:
    """A judge on one batch: the batch, the ids that reached it, the real data."""
    return {"records": records_hash, "ids": ids_hash, "data": data_hash,
            "component": component, "seed": seed}


def judge_all_key(records_hash: str, data_hash: str, component: Key, seed: int) -> Key:
    return {"records": records_hash, "data": data_hash, "component": component,
            "seed": seed}


def trial_key(data_hash: str, dev_hash: str, seed: int, metric: str, component: Key,
              scorer: Any = None, audit: bool = False) -> Key:
    """A sweep trial; ``scorer`` when the trial scores its dev answers."""
    key = {"data": data_hash, "dev": dev_hash, "seed": seed, "metric": metric,
           "component": component}
    if scorer is not None:
        key["scorer"] = scorer
    if audit:
        key["audit"] = True
    return key


def seed_key(data_hash: str, dev_hash: str, component: Key, seed: int, *,
             refitted: bool = False) -> Key:
    """The selected settings trained with another seed, or refit on train + dev."""
    key = {"data": data_hash, "dev": dev_hash, "component": component, "seed": seed}
    return {**key, "refit": True} if refitted else key


def finalize_key(model_hash: str, component: Key, seed: int) -> Key:
    return {"model": model_hash, "component": component, "seed": seed}


def extract_key(model_hash: str, holdout_hash: str, component: Key, seed: int,
                train_hash: str | None = None, serve: str | None = None) -> Key:
    """An extraction; ``train_hash`` for an extractor that reads the train records,
    ``serve`` the server a served extraction goes through."""
    key = {"model": model_hash, "holdout": holdout_hash, "component": component,
           "seed": seed}
    if train_hash is not None:
        key["train"] = train_hash
    if serve is not None:
        key["serve"] = serve
    return key


__all__ = [
    "DATA_CARD",
    "LOAD",
    "SPLIT",
    "ablation_arm",
    "card_key",
    "extract",
    "extract_key",
    "finalize",
    "finalize_key",
    "generate",
    "generate_key",
    "judge",
    "judge_all",
    "judge_all_key",
    "judge_key",
    "judge_label",
    "label_of",
    "of_rounds",
    "part",
    "refit",
    "round_label",
    "seed_key",
    "seed_suffix",
    "split_key",
    "trained_round",
    "trial",
    "trial_key",
]
