"""Stage store: checkpoints survive torn writes; completion is atomic."""

from __future__ import annotations

from leasebench.records import Verdict
from leasebench.runner.store import StageStore


def test_checkpoint_drops_torn_line_and_appends_cleanly(tmp_path):
    stage = StageStore(tmp_path).stage("judge-b1", {"x": 1})
    with stage.checkpoint() as cp:
        cp.write(Verdict(record_id="a", judge="j", passed=True))
    with (stage.path / "items.jsonl").open("ab") as fh:
        fh.write(b'{"record_id": "b", "jud')  # killed mid-write
    assert [v.record_id for v in stage.done_items(Verdict)] == ["a"]
    with stage.checkpoint() as cp:
        cp.write(Verdict(record_id="c", judge="j", passed=False))
    assert [v.record_id for v in stage.done_items(Verdict)] == ["a", "c"]


def test_stage_complete_only_after_finish_and_keys_differ(tmp_path):
    store = StageStore(tmp_path)
    stage = store.stage("split", {"seed": 1})
    assert not stage.complete and not stage.path.exists()  # nothing written until used
    stage.path.mkdir(parents=True)
    (stage.path / "out.txt").write_text("x")
    content = stage.finish(["out.txt"])
    assert stage.complete and stage.content_hash == content
    assert store.stage("split", {"seed": 2}).path != stage.path
    assert store.stage("split", {"seed": 1}).complete
