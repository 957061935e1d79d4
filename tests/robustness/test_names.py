"""One safe pattern for names that become paths; writes that would leave their root fail."""

from __future__ import annotations

import pytest

from leasebench.names import PathEscape, child, inside, is_safe_name
from leasebench.runner.store import StageStore


@pytest.mark.parametrize("name", ["tiny", "real-only", "synth_1", "a.b", "R2", "x" * 100])
def test_safe_names(name):
    assert is_safe_name(name)


@pytest.mark.parametrize("name", ["", "/abs", "../up", "a/b", "a\\b", "a..b", ".hidden",
                                  "-flag", "sp ace", "new\nline", "caf\u00e9", "x" * 101,
                                  "C:drive", None, 3])
def test_unsafe_names(name):
    assert not is_safe_name(name)


def test_child_refuses_unsafe_names_and_symlink_escapes(tmp_path):
    root = tmp_path / "runs"
    root.mkdir()
    assert child(root, "exp", "run") == root / "exp" / "run"
    with pytest.raises(PathEscape, match=r"refusing to use '\.\./x'"):
        child(root, "../x")
    (root / "link").symlink_to(tmp_path)
    with pytest.raises(PathEscape, match="outside"):
        inside(root, root / "link" / "elsewhere.jsonl")


def test_the_stage_store_refuses_a_stage_name_that_is_a_path(tmp_path):
    store = StageStore(tmp_path / "exp")
    assert store.stage("extract-b1", {}).path.parent == tmp_path / "exp" / "stages"
    with pytest.raises(PathEscape):
        store.stage("extract-../../x", {})
