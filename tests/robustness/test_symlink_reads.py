"""Links, FIFOs and directories planted among a stage's files are never read through.

A stage's files (``_stage.json``, the checkpoint, outputs, ``usage.jsonl``,
``model.json``, a hold-out streamed from its file) are opened without following a
symbolic link: a link, FIFO or directory there is a ``NotRegular`` naming the file, and
``leasebench run`` exits 2 with that message, never printing what the link points at
and never blocking on a FIFO.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from pydantic import BaseModel

from leasebench.names import NoFollowPath, NotRegular
from leasebench.records import Prediction
from leasebench.runner.accounting import read_results, write_results
from leasebench.runner.model_paths import load_model
from leasebench.runner.store import MARKER, StageStore
from leasebench.runner.streams import RecordFile

SECRET = "do not read: the target of a planted link\n"


class _Item(BaseModel):
    id: str


def _outside(tmp_path: Path, text: str = SECRET, name: str = "target") -> Path:
    target = tmp_path / "outside" / name
    target.parent.mkdir(exist_ok=True)
    target.write_text(text)
    return target


def _relink(path: Path, tmp_path: Path) -> Path:
    """Move ``path`` outside and put a link to it where it was (same content)."""
    target = tmp_path / "outside" / f"{path.parent.name}-{path.name}"
    target.parent.mkdir(exist_ok=True)
    shutil.move(path, target)
    path.symlink_to(target)
    return target


def test_a_stage_reads_none_of_its_files_through_a_link(tmp_path):
    stage = StageStore(tmp_path / "exp").stage("extract", {"x": 1})
    assert isinstance(stage.path, NoFollowPath) and not isinstance(stage.workdir, NoFollowPath)
    with stage.checkpoint() as cp:
        offsets = [cp.write(_Item(id="a")), cp.write(_Item(id="b"))]
    preds = [Prediction(id="a", fields={"x": ["1"]}), Prediction(id="b", fields={})]
    write_results(stage.path / "predictions.jsonl", preds)
    stage.finish(["predictions.jsonl"])
    assert stage.meta()["key"] == stage.key and len(stage.done_items(_Item)) == 2

    for name in (MARKER, "items.jsonl", "predictions.jsonl", "usage.jsonl"):
        _relink(stage.path / name, tmp_path)
    with pytest.raises(NotRegular, match=r"_stage\.json: it is a symbolic link"):
        stage.meta()
    with pytest.raises(NotRegular, match=r"items\.jsonl"):
        stage.done_items(_Item)
    with pytest.raises(NotRegular, match=r"items\.jsonl"):
        stage.done_offsets(_Item, lambda i: i.id, lambda i: True)
    with pytest.raises(NotRegular, match=r"items\.jsonl"):
        stage.write_ordered("again.jsonl", offsets)
    with pytest.raises(NotRegular, match=r"predictions\.jsonl"):
        read_results(stage.path / "predictions.jsonl", Prediction)
    (stage.path / "predictions.jsonl").unlink()
    (stage.path / "predictions.jsonl").write_text(preds[0].model_dump_json() + "\n")
    with pytest.raises(NotRegular, match=r"usage\.jsonl"):
        read_results(stage.path / "predictions.jsonl", Prediction)


def test_a_model_record_or_a_streamed_holdout_behind_a_link_is_refused(tmp_path):
    store = StageStore(tmp_path / "exp")
    train = store.stage("train", {"x": 1})
    train.path.mkdir(parents=True)
    (train.path / "model.json").symlink_to(_outside(tmp_path, '{"kind": "crf", "uri": "x"}'))
    (train.path / MARKER).write_text('{"key": "k"}')
    with pytest.raises(NotRegular, match=r"model\.json"):
        load_model(train)

    split = store.stage("split", {"x": 1})
    split.path.mkdir(parents=True)
    (split.path / "holdout.jsonl").symlink_to(_outside(tmp_path, name="holdout"))
    holdout = RecordFile(split.path / "holdout.jsonl")
    for read in (len, list, lambda h: h[0]):
        with pytest.raises(NotRegular, match=r"holdout\.jsonl"):
            read(holdout)


@pytest.mark.parametrize("kind", ["FIFO", "directory"])
def test_a_fifo_or_directory_among_a_stages_files_is_refused_without_blocking(tmp_path, kind):
    stage = StageStore(tmp_path / "exp").stage("load", {"x": 1})
    stage.path.mkdir(parents=True)
    marker = stage.path / MARKER
    os.mkfifo(marker) if kind == "FIFO" else marker.mkdir()
    with pytest.raises(NotRegular, match=rf"_stage\.json: it is a {kind}"):
        stage.meta()


def test_a_run_exits_2_naming_a_linked_stage_file_and_prints_nothing_of_its_target(
    procs, tiny, tmp_path
):
    runs = tmp_path / "runs"
    first = procs.run("run", str(tiny), "--runs-dir", str(runs), "-q", "--no-mlflow")
    assert first.popen.returncode == 0, first.stderr()
    [holdout] = runs.glob("tiny/stages/split-*/holdout.jsonl")
    target = _relink(holdout, tmp_path)
    target.write_text(SECRET)  # what an attacker would like printed
    run = procs.run("run", str(tiny), "--runs-dir", str(runs), "--no-mlflow")
    err = run.stderr()
    assert run.popen.returncode == 2, err
    assert f"refusing to open {holdout}: it is a symbolic link" in err
    assert "Traceback" not in err and SECRET[:20] not in err + run.stdout()
    assert target.read_text() == SECRET
