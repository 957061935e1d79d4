"""Regenerate the terminal captures under docs/terminal/ with tmux, at 80 and 120 columns.

    .venv/bin/python docs/make_terminal_captures.py [--work DIR] [--only NAME ...]

Each command runs in a tmux window of the given width, from DIR (default: a new temporary
directory), exactly as the README gives it; the window's whole scrollback is saved as
``docs/terminal/NAME-WIDTH.txt``:

- ``quickstart``: ``leasebench run fixtures/manifests/lease-offline.yaml`` (MLflow on, the
  default SQLite store in DIR); the 120-column run is cold, the 80-column one a re-run;
  ``quickstart-progress-120.txt`` is the cold run's screen while its trials train;
- ``arms``: the same for ``fixtures/manifests/lease-arms.yaml``;
- ``compare``: ``leasebench report`` of the quick start's run against the lease-arms run
  (different rounds, the same hold-out documents: paired);
- ``runs``: ``leasebench runs`` (the past runs in DIR);
- ``datacheck``: ``leasebench data check fixtures/tiny/train.jsonl``.

Needs tmux.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "terminal"
DONE = "__capture_done__"
PROGRESS = re.compile(r" ([2-4]\d)/50 iterations")
WIDTHS = (120, 80)


CONF = Path(tempfile.gettempdir()) / "leasebench-captures.tmux.conf"


def tmux(*args: str) -> str:
    """tmux on its own socket, with a scrollback long enough for a whole run."""
    CONF.write_text("set -g history-limit 20000\n", encoding="utf-8")
    return subprocess.run(["tmux", "-L", "leasebench-captures", "-f", str(CONF), *args],
                          check=True, capture_output=True, text=True).stdout


def capture(name: str, command: str, width: int, work: Path, timeout: float = 1800) -> Path:
    """Run ``command`` in a ``width``-column tmux window; save its scrollback."""
    session = f"lbcap-{name}-{width}"
    path = f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"  # this leasebench
    script = f"export PATH={shlex.quote(path)}; {command}; echo {DONE}; sleep 86400"
    tmux("new-session", "-d", "-s", session, "-x", str(width), "-y", "50", "-c", str(work),
         "bash", "-c", script)
    try:
        deadline = time.monotonic() + timeout
        snapped = False
        while True:
            text = tmux("capture-pane", "-p", "-t", session, "-S", "-20000")
            lines = text.rstrip("\n").splitlines()
            if not snapped and PROGRESS.search(text):  # the live bars, mid-training
                screen = tmux("capture-pane", "-p", "-t", session).rstrip().splitlines()
                (OUT / f"{name}-progress-{width}.txt").write_text(
                    "\n".join(ln.rstrip() for ln in screen if ln.strip()) + "\n", "utf-8")
                snapped = True
            if any(ln.strip() == DONE for ln in lines):
                lines = lines[:max(i for i, ln in enumerate(lines) if ln.strip() == DONE) + 1]
                break
            if time.monotonic() > deadline:
                raise SystemExit(f"{name} at {width} columns did not finish in {timeout} s")
            time.sleep(2)
    finally:
        subprocess.run(["tmux", "-L", "leasebench-captures", "kill-session", "-t", session],
                       capture_output=True)
    body = [ln.rstrip() for ln in lines[:-1]]
    while body and not body[0]:
        body.pop(0)
    out = OUT / f"{name}-{width}.txt"
    out.write_text(f"$ {command}\n" + "\n".join(body) + "\n", encoding="utf-8")
    return out


def latest_run(work: Path, experiment: str) -> Path:
    runs = [d for d in (work / "runs" / experiment).iterdir() if (d / "run.json").exists()]
    return max(runs, key=lambda d: (d / "run.json").stat().st_mtime).relative_to(work)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=None)
    names = ["quickstart", "arms", "compare", "runs", "datacheck"]
    parser.add_argument("--only", nargs="*", choices=names, default=names)
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        raise SystemExit("tmux not found: apt-get install -y tmux")
    OUT.mkdir(parents=True, exist_ok=True)
    work = args.work or Path(tempfile.mkdtemp(prefix="lb-captures-"))
    work.mkdir(parents=True, exist_ok=True)
    fixtures = ROOT / "fixtures"
    if not (work / "fixtures").exists():
        (work / "fixtures").symlink_to(fixtures)
    commands = {
        "quickstart": "leasebench run fixtures/manifests/lease-offline.yaml",
        "arms": "leasebench run fixtures/manifests/lease-arms.yaml",
        "runs": "leasebench runs",
        "datacheck": "leasebench data check fixtures/tiny/train.jsonl",
    }
    for name in args.only:
        for width in WIDTHS:
            if name == "compare":
                a, b = latest_run(work, "lease-offline"), latest_run(work, "lease-arms")
                command = f"leasebench report {shlex.quote(str(a))} {shlex.quote(str(b))}"
            else:
                command = commands[name]
            print(capture(name, command, width, work))


if __name__ == "__main__":
    main()
