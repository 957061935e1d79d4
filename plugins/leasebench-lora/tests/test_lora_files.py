"""Adapters, merged models and checkpoints are written aside and renamed into place.

A symbolic link planted where a model folder or a checkpoint goes is replaced, its
target left as it was; an older folder is replaced whole; a write that fails leaves the
old content and no temporary folder behind.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from conftest import FAST

from leasebench_lora import loop
from leasebench_lora.files import file_in_place, folder_in_place
from leasebench_lora.trainer import ADAPTER_DIR, MERGED_DIR, LoraTrainer

SECRET = "do not touch: the target of a planted link\n"


def _outside_dir(tmp_path: Path, name: str) -> Path:
    target = tmp_path / "outside" / name
    target.mkdir(parents=True)
    (target / "keep.txt").write_text(SECRET)
    return target


def _untouched(target: Path) -> None:
    assert [p.name for p in target.iterdir()] == ["keep.txt"]
    assert (target / "keep.txt").read_text() == SECRET


def test_a_folder_replaces_a_link_or_an_older_folder_and_a_failure_leaves_the_old(tmp_path):
    target = tmp_path / "stage" / "adapter"
    outside = _outside_dir(tmp_path, "linked")
    target.parent.mkdir()
    target.symlink_to(outside)
    with folder_in_place(target) as part:
        (part / "weights").write_text("new")
    _untouched(outside)
    assert not target.is_symlink() and (target / "weights").read_text() == "new"

    with folder_in_place(target) as part:  # an older folder is replaced whole
        (part / "other").write_text("newer")
    assert [p.name for p in target.iterdir()] == ["other"]

    with pytest.raises(RuntimeError), folder_in_place(target) as part:
        (part / "half").write_text("cut")
        raise RuntimeError("killed mid-write")
    assert [p.name for p in target.iterdir()] == ["other"]
    assert sorted(p.name for p in target.parent.iterdir()) == ["adapter"]  # no temp left


def test_a_checkpoint_replaces_a_planted_link(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text(SECRET)
    path = tmp_path / "work" / loop.CHECKPOINT
    path.parent.mkdir()
    path.symlink_to(outside)
    loop._save(path, {"step": 3})
    assert outside.read_text() == SECRET and not path.is_symlink()
    assert torch.load(path, weights_only=True) == {"step": 3}
    with pytest.raises(RuntimeError), file_in_place(path) as fh:
        fh.write(b"half")
        raise RuntimeError("killed mid-write")
    assert torch.load(path, weights_only=True) == {"step": 3}
    assert sorted(p.name for p in path.parent.iterdir()) == [loop.CHECKPOINT]


def test_training_writes_its_adapter_and_merged_model_over_planted_links(
    tiny_base, records, make_ctx, tmp_path
):
    ctx = make_ctx("links")
    adapter_target = _outside_dir(tmp_path, "adapter-target")
    merged_target = _outside_dir(tmp_path, "merged-target")
    ctx.workdir.mkdir(parents=True)
    (ctx.workdir / ADAPTER_DIR).symlink_to(adapter_target)
    (ctx.workdir / MERGED_DIR).symlink_to(merged_target)
    params = {**FAST, "epochs": 1, "base_model": str(tiny_base), "merge": True}
    model = LoraTrainer.from_dict(params).train(records[:2], records[2:3], ctx)
    _untouched(adapter_target)
    _untouched(merged_target)
    adapter, merged = ctx.workdir / ADAPTER_DIR, ctx.workdir / MERGED_DIR
    assert not adapter.is_symlink() and (adapter / "adapter_model.safetensors").is_file()
    assert (adapter / "curves.json").is_file() and model.metadata["adapter_path"] == str(adapter)
    assert not merged.is_symlink() and (merged / "config.json").is_file()
    assert model.uri == str(merged)
    assert not [p for p in ctx.workdir.iterdir() if p.name.startswith(".")]
