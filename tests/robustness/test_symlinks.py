"""Links, FIFOs and directories planted inside the runs directory are never written through.

The run lock, the stage checkpoint and every file a run writes are opened without
following a symbolic link: a lock that is not a regular file is exit 2 naming it, and a
link where an output goes is replaced by the output, its target left as it was.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import BaseModel

from leasebench.crf.model import train_model
from leasebench.io import atomic_write_text
from leasebench.locks import file_lock, lock_holder, run_lock
from leasebench.manifest.load import load_manifest
from leasebench.names import NotRegular
from leasebench.plugin_manager import build_registry
from leasebench.runner.store import Checkpoint, Stage

SECRET = "do not touch: the target of a planted link\n"


def _target(tmp_path: Path, name: str = "target.txt") -> Path:
    target = tmp_path / "outside" / name
    target.parent.mkdir(exist_ok=True)
    target.write_text(SECRET)
    return target


def _plant(kind: str, at: Path, tmp_path: Path) -> Path | None:
    """A symbolic link to a file, a dangling link, a FIFO or a directory at ``at``."""
    at.parent.mkdir(parents=True, exist_ok=True)
    if kind == "link":
        target = _target(tmp_path)
        at.symlink_to(target)
        return target
    if kind == "dangling":
        target = tmp_path / "outside" / "created.txt"
        at.symlink_to(target)
        return target
    if kind == "fifo":
        os.mkfifo(at)
    else:
        at.mkdir()
    return None


@pytest.mark.parametrize("kind", ["link", "fifo"])
def test_a_lock_that_is_not_a_regular_file_is_exit_2_naming_it(procs, tiny, tmp_path, kind):
    runs = tmp_path / "runs"
    lock = runs / "tiny" / ".lock"
    target = _plant(kind, lock, tmp_path)
    run = procs.run("run", str(tiny), "--runs-dir", str(runs), "-q", "--no-mlflow")
    err = run.stderr()
    assert run.popen.returncode == 2, err
    assert f"refusing to open {lock}" in err and "Traceback" not in err
    assert SECRET[:20] not in err + run.stdout()
    assert target is None or target.read_text() == SECRET
    assert not (runs / "tiny" / "stages").exists()


@pytest.mark.parametrize("kind", ["link", "dangling", "fifo", "directory"])
def test_lock_helpers_refuse_what_is_not_a_regular_file(tmp_path, kind):
    root = tmp_path / "exp"
    target = _plant(kind, root / ".lock", tmp_path)
    with pytest.raises(NotRegular, match=r"\.lock"), run_lock(root):
        pass
    with pytest.raises(NotRegular):
        lock_holder(root)
    with pytest.raises(NotRegular), file_lock(root / ".lock"):
        pass
    if kind == "link":
        assert target is not None and target.read_text() == SECRET
    if kind == "dangling":
        assert target is not None and not target.exists()


def test_a_link_planted_at_the_run_manifest_is_replaced(procs, tiny, tmp_path):
    runs = tmp_path / "runs"
    run_id = load_manifest(tiny, build_registry()).hash[:12]
    planted = runs / "tiny" / run_id / "manifest.yaml"
    target = _plant("link", planted, tmp_path)
    card = runs / "tiny" / run_id / "data_card.md"
    card_target = _target(tmp_path, "card.txt")
    card.symlink_to(card_target)
    run = procs.run("run", str(tiny), "--runs-dir", str(runs), "-q", "--no-mlflow")
    assert run.popen.returncode == 0, run.stderr()
    assert target is not None and target.read_text() == SECRET
    assert card_target.read_text() == SECRET
    assert not planted.is_symlink() and "name: tiny" in planted.read_text()
    assert not card.is_symlink()


class _Item(BaseModel):
    id: str


def test_the_stage_checkpoint_refuses_a_link_and_outputs_replace_one(tmp_path):
    stage = Stage("extract", "k", tmp_path / "stages" / "extract-k")
    target = _plant("link", stage.path / "items.jsonl", tmp_path)
    with pytest.raises(NotRegular, match=r"items\.jsonl"), stage.checkpoint():
        pass
    assert target is not None and target.read_text() == SECRET
    (stage.path / "items.jsonl").unlink()
    with stage.checkpoint() as cp:
        offsets = [cp.write(_Item(id="a")), cp.write(_Item(id="b"))]
    out_target = _target(tmp_path, "out.txt")
    (stage.path / "predictions.jsonl").symlink_to(out_target)
    stage.write_ordered("predictions.jsonl", offsets[::-1])
    assert out_target.read_text() == SECRET
    assert (stage.path / "predictions.jsonl").read_text() == '{"id":"b"}\n{"id":"a"}\n'
    assert not list(stage.path.glob(".*.tmp"))


def test_a_checkpoint_with_a_torn_line_is_cut_and_appended_after(tmp_path):
    path = tmp_path / "items.jsonl"
    path.write_bytes(b'{"id":"a"}\n{"id":"b')
    with Checkpoint(path) as cp:
        assert cp.write(_Item(id="c")) == len(b'{"id":"a"}\n')
    assert path.read_text() == '{"id":"a"}\n{"id":"c"}\n'


def test_writing_over_a_directory_is_a_located_error(tmp_path):
    (tmp_path / "report.json").mkdir()
    with pytest.raises(NotRegular, match=r"report\.json: it is a directory"):
        atomic_write_text(tmp_path / "report.json", "{}")


def test_a_crf_model_is_written_over_a_planted_link_not_through_it(tmp_path):
    target = _plant("link", tmp_path / "stage" / "model.crfsuite", tmp_path)
    feats: list[tuple[str, ...]] = [("w=a",), ("w=b",)]
    train_model([(feats, ["B-x", "O"])], tmp_path / "stage" / "model.crfsuite", c1=0.0, c2=0.1,
                max_iterations=3, min_freq=0)
    assert target is not None and target.read_text() == SECRET
    model = tmp_path / "stage" / "model.crfsuite"
    assert not model.is_symlink() and model.read_bytes()[:4] == b"lCRF"
    assert not list(model.parent.glob(".model.*"))
