"""Worker processes that end with the run, whatever ends it.

A ``processes`` worker ignores Ctrl-C (the run decides what an interrupt stops, and no
worker prints a traceback) and watches the run's process: when that process is gone,
killed with SIGKILL included, the worker exits at once. A forkserver worker's parent is
the forkserver, not the run, so it cannot rely on its parent dying; it waits on a pidfd
of the run's process where Linux has them (``os.pidfd_open``), else polls every
``POLL_S``. With its workers gone the forkserver and the resource tracker, which live
as long as a process holds their pipes, end too.

``stop_pool`` ends a pool's workers now (an interrupted stage does not wait for their
chunks), then lets the pool shut down.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from typing import Any

POLL_S = 0.5
JOIN_S = 5.0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _wait_for_exit(pid: int) -> None:
    """Return when process ``pid`` has ended."""
    pidfd_open = getattr(os, "pidfd_open", None)
    if pidfd_open is not None:
        try:
            fd = pidfd_open(pid)
        except OSError:  # gone already, or pidfds refused (old kernel, sandbox)
            fd = None
            if not _alive(pid):
                return
        if fd is not None:
            try:
                select.select([fd], [], [])
            finally:
                os.close(fd)
            return
    stop = threading.Event()
    while _alive(pid) and not stop.wait(POLL_S):
        pass


def _exit_with(pid: int) -> None:
    _wait_for_exit(pid)
    os._exit(1)


def worker_setup(run_pid: int | None) -> None:
    """In a worker: ignore SIGINT and exit as soon as process ``run_pid`` ends."""
    with contextlib.suppress(ValueError, OSError):  # not the main thread: leave it
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    if run_pid is not None and run_pid != os.getpid():
        threading.Thread(target=_exit_with, args=(run_pid,), name="leasebench-reaper",
                         daemon=True).start()


def interrupt_in(exc: BaseException) -> KeyboardInterrupt | None:
    """The Ctrl-C (or SIGTERM) behind ``exc``: itself, or one that was being handled when
    ``exc`` was raised (a library's clean-up failing on the interrupted call)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, KeyboardInterrupt):
            return current
        seen.add(id(current))
        current = current.__context__ or current.__cause__
    return None


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """End ``pool``'s workers now: pending work cancelled, running work killed.

    On Python 3.10 a worker killed while a large piece of work was being written to it left
    the writing thread, and with it the shutdown and the interpreter's exit, waiting for
    ever (3.11 closes the parent's end of that pipe itself, gh-94777). So there, when the
    pool's manager thread has not ended a while after the kill, it is stuck behind that
    write, and the parent's end is closed here: the write fails and everything ends. Only
    then: the same end is also closed by the writing thread once it is free, and two
    threads closing one descriptor at once is a race."""
    processes: dict[Any, Any] = dict(getattr(pool, "_processes", None) or {})
    call_queue = getattr(pool, "_call_queue", None)
    manager = getattr(pool, "_executor_manager_thread", None)
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in processes.values():
        with contextlib.suppress(Exception):
            proc.kill()
    for proc in processes.values():
        with contextlib.suppress(Exception):
            proc.join(JOIN_S)
    if sys.version_info >= (3, 11) or call_queue is None or manager is None:
        return
    manager.join(JOIN_S)
    if manager.is_alive():
        with contextlib.suppress(Exception):
            call_queue._reader.close()


__all__ = ["interrupt_in", "stop_pool", "worker_setup"]
