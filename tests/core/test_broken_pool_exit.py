"""A worker killed while large work was being handed to it: the pool still shuts down and
the process exits (Python 3.10's executor blocked there for ever; see
``executors.reaper.stop_pool``)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import multiprocessing, time
    from concurrent.futures import ProcessPoolExecutor, wait
    from leasebench.executors.reaper import stop_pool

    def work(payload):
        time.sleep(60)
        return len(payload)

    if __name__ == "__main__":
        pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("forkserver"))
        futures = [pool.submit(work, "x" * 2_000_000) for _ in range(6)]
        time.sleep(2)
        for proc in list(pool._processes.values()):
            proc.kill()
        wait(futures, timeout=10)
        stop_pool(pool)
        pool.shutdown(wait=True, cancel_futures=True)
        print("exited", flush=True)
""")


def test_a_pool_whose_workers_died_mid_hand_over_lets_the_process_exit(tmp_path):
    script = tmp_path / "broken_pool.py"
    script.write_text(SCRIPT)
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.strip() == "exited", done.stderr[-2000:]
