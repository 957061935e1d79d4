"""How many sweep trials an executor trains at once, which the memory check sizes."""

from __future__ import annotations

from leasebench.components import Executor
from leasebench.executors.local import LocalExecutor
from leasebench.executors.memory import fits_at_once, running_at_once
from leasebench.executors.processes import ProcessesExecutor, usable_cores

GIB = 2**30


def test_local_runs_one_call_at_a_time():
    assert running_at_once(LocalExecutor(), 6) == 1
    assert running_at_once(Executor(), 6) == 1


def test_processes_run_as_many_as_workers():
    two = ProcessesExecutor.from_dict({"workers": 2})
    expected = 2 if usable_cores() >= 2 else 1
    assert running_at_once(two, 6) == expected
    assert running_at_once(two, 1) == 1
    one = ProcessesExecutor.from_dict({"workers": 1})
    assert running_at_once(one, 6) == 1


def test_six_trials_on_two_workers_are_sized_as_two():
    """Six 5.4 GiB trials on two workers need 10.7 GiB at once, not 32 GiB."""
    estimates = [int(5.36 * GIB)] * 6
    assert fits_at_once(estimates, 2, available=19 * GIB)
    assert not fits_at_once(estimates, 6, available=19 * GIB)
