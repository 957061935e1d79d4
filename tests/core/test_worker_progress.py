"""Progress from worker processes reaches the run's display while the work runs: trials
training in ``processes`` workers move their bars, items finished in a worker move the
stage's bar before their chunk comes back."""

from __future__ import annotations

import functools
import io
import socket
import time

import yaml
from rich.console import Console

from leasebench.executors.processes import ProcessesExecutor, ProcessesExecutorParams
from leasebench.executors.relay import ProgressRelay, Reporter, reported
from leasebench.runner import run_experiment
from leasebench.runner.progress import Board, ItemBar, StageLog


def steps(n: int, reporter: Reporter) -> int:
    for i in range(1, n + 1):
        reporter(i, n, "steps")
        time.sleep(0.02)
    return n


def terminal_log() -> StageLog:
    log = StageLog(console=Console(file=io.StringIO(), force_terminal=True, width=120))
    assert log.live
    return log


def test_events_from_worker_processes_reach_the_board():
    log = terminal_log()
    events: list[dict] = []
    with log.board() as board, ProgressRelay(lambda e: (events.append(e),
                                                        board.event(e))) as relay:
        assert board is not None
        for key in ("a", "b"):
            board.add(key)
        reporters = {key: relay.reporter(key) for key in ("a", "b")}  # one per call, as
        calls = [functools.partial(reported, r, functools.partial(steps, 10, r))  # trials
                 for r in reporters.values()]  # have: its events arrive in order
        executor = ProcessesExecutor(ProcessesExecutorParams(workers=2))
        assert sorted(r for _, r in executor.call_each(calls)) == [10, 10]
        deadline = time.monotonic() + 30
        while sum(e.get("s") == "ended" for e in events) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        tasks = {t.description: t for t in board.progress.tasks}
        for key in ("a", "b"):
            mine = [e for e in events if e["k"] == key]
            assert mine[0] == {"k": key, "s": "started"} and mine[-1]["s"] == "ended"
            assert {"k": key, "d": 10, "t": 10, "u": "steps"} in mine
            assert tasks[key].completed == 10 and tasks[key].total == 10
            assert tasks[key].fields["unit"] == "steps" and tasks[key].started


def test_the_relay_ignores_connections_without_its_token():
    events: list[dict] = []
    with ProgressRelay(events.append) as relay:
        with socket.create_connection(relay.address) as sock:
            sock.sendall(b"wrong\n" + b'{"k": "x", "s": "started"}\n')
        reporter = relay.reporter("y")
        reporter.started()
        reporter.ended()
        deadline = time.monotonic() + 10
        while len(events) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
    assert [e["k"] for e in events] == ["y", "y"]


def test_a_reporter_that_cannot_reach_the_relay_goes_on_silently():
    with ProgressRelay(lambda e: None) as relay:
        reporter = relay.reporter("z")
    reporter(1, 2, "steps")
    reporter.advance(5)
    reporter.ended()


def test_a_processes_run_moves_trial_and_item_bars_from_its_workers(tiny_manifest,
                                                                   monkeypatch):
    data = yaml.safe_load(tiny_manifest.read_text())
    data["executor"] = {"name": "processes", "params": {"workers": 2, "min_items": 2}}
    data["trainer"] = {"name": "crf", "params": {"max_iterations": 8},
                       "sweep": {"c1": [0.1, 0.3]}, "select": {"metric": "eval_f1"}}
    data["rounds"] = data["rounds"][:1]
    tiny_manifest.write_text(yaml.safe_dump(data))
    board_events: list[dict] = []
    seen: list[int] = []
    monkeypatch.setattr(Board, "event", functools.partialmethod(
        lambda self, e, orig=Board.event: (board_events.append(e), orig(self, e))))
    monkeypatch.setattr(ItemBar, "seen", functools.partialmethod(
        lambda self, n, orig=ItemBar.seen: (seen.append(n), orig(self, n))))
    run_experiment(tiny_manifest, runs_dir=tiny_manifest.parent / "runs", log=terminal_log(),
                   mlflow=False)
    trials = {e["k"] for e in board_events}
    assert trials == {"train-b0-t0", "train-b0-t1"}
    for key in trials:
        mine = [e for e in board_events if e["k"] == key]
        assert mine[0].get("s") == "started"
        assert any(e.get("u") == "iterations" and e.get("d") for e in mine)
    assert seen and max(seen) <= 8


def test_items_finished_in_spark_tasks_reach_the_driver(lb_spark, tmp_path):
    from leasebench.executors import MapWork, SparkExecutor
    from leasebench.records import ModelRef, Record
    from leasebench.testing.conformance import FailingExtractor, make_context

    seen: list[int] = []
    docs = [Record(id=f"d{i}", text="x") for i in range(9)]
    work = MapWork("extract-x", FailingExtractor(), make_context(tmp_path),
                   ModelRef(extractor="x"), on_items=seen.append)
    out = list(SparkExecutor.from_dict({"partition_items": 3}).map(work, docs))
    assert len(out) == 9
    deadline = time.monotonic() + 10
    while (not seen or seen[-1] < 9) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert seen and seen[-1] == 9 and seen == sorted(seen)
