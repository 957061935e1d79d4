"""The bad-manifest corpus through real processes: exit code, location, traceback, time.

Run with ``python benchmarks/bad_manifests.py [--command validate|run]``. Each case of
``tests/robustness/bad_manifests/cases.yaml`` runs as ``python -m leasebench <command>``
in a fresh process; the table shows its exit code, whether the message names the file
and every expected fragment (key or line), whether a traceback was printed, and the
wall time. The last lines count the cases that meet all three, and the slowest case next
to the time of a valid manifest's ``validate`` (the start-up cost every case pays).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "tests" / "robustness" / "bad_manifests"
sys.path.insert(0, str(ROOT / "tests"))


def main() -> None:
    from robustness.test_bad_manifests import prepare

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--command", choices=["validate", "run"], default="validate")
    args = parser.parse_args()
    cases = yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8"))
    tmp = Path(tempfile.mkdtemp())
    shutil.copytree(HERE / "files", tmp / "m")
    shutil.copytree(ROOT / "fixtures" / "tiny", tmp / "tiny")
    extra = ["--runs-dir", str(tmp / "runs"), "-q", "--no-mlflow"] if args.command == "run" else []

    def timed(path: Path, env: dict[str, str]) -> tuple[subprocess.CompletedProcess, float]:
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "leasebench", args.command, str(path),
                              *extra], capture_output=True, text=True, env=env, check=False)
        return out, time.perf_counter() - start

    _, baseline = timed(ROOT / "fixtures" / "manifests" / "tiny.yaml", dict(os.environ))
    ok, slowest, rows = 0, (0.0, ""), []
    for case in cases:
        if case.get("make") == "unreadable" and os.geteuid() == 0:
            rows.append(f"{case['file']:<36} skipped (root reads any file)")
            continue
        path = prepare(case, tmp / "m")
        out, seconds = timed(path, {**os.environ, **(case.get("env") or {})})
        err = out.stderr
        named = case.get("located") == "env" or path.name in err or (
            args.command == "run" and any(s in err for s in (".json", "data:")))
        located = named and (args.command == "run" or all(f in err for f in case["expect"]))
        clean = "Traceback" not in err
        good = out.returncode == 2 and located and clean
        ok += good
        slowest = max(slowest, (seconds, case["file"]))
        rows.append(f"{case['file']:<36} exit {out.returncode}  located {located!s:<5}  "
                    f"traceback {not clean!s:<5}  {seconds:5.2f} s{'' if good else '  <--'}")
    print("\n".join(rows))
    ran = len([r for r in rows if "skipped" not in r])
    print(f"\n{ok} of {ran} cases: exit 2, located message, no traceback "
          f"({len(cases) - ran} skipped)")
    print(f"slowest: {slowest[1]} {slowest[0]:.2f} s; a valid manifest: {baseline:.2f} s "
          f"(ratio {slowest[0] / baseline:.2f})")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
