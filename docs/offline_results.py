"""Regenerate the offline experiment's numbers quoted in README.md and docs/offline.md.

    .venv/bin/python docs/offline_results.py [--runs-dir DIR]

Runs fixtures/manifests/lease-offline.yaml (stages cached under DIR, default runs/; MLflow
off), stores its results in docs/offline-results.json, and rewrites the blocks between
``<!-- offline-results:NAME -->`` and ``<!-- /offline-results -->`` in README.md and
docs/offline.md from them. tests/offline/test_offline_docs.py checks that the blocks match
the stored results and that the results belong to the current manifest.
"""

from __future__ import annotations

import argparse
import json
import re
import textwrap
from pathlib import Path

from leasebench.reporting.significance import Rule
from leasebench.reporting.summary import headline, pct
from leasebench.results import RunResult

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "fixtures" / "manifests" / "lease-offline.yaml"
RESULTS = ROOT / "docs" / "offline-results.json"
DOCS = {"headline": ROOT / "README.md", "table": ROOT / "docs" / "offline.md"}
BLOCK = re.compile(r"(<!-- offline-results:(\w+) -->\n)(.*?)(<!-- /offline-results -->)", re.S)


def stored(result: RunResult) -> str:
    """The results as stored: everything but the per-document details."""
    data = result.model_dump(mode="json", exclude={"rounds": {"__all__": {"details"}}})
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


def _interval(m) -> str:
    return f"{pct(m.f1)} [{pct(m.f1_low)}, {pct(m.f1_high)}]"


def _diff(d) -> str:
    return f"{pct(d.delta, True)} [{pct(d.low, True)}, {pct(d.high, True)}]"


def render_headline(result: RunResult) -> str:
    """The README's sentence: micro F1 per round, the paired gains, the fields that moved."""
    scorer, ref = result.primary_scorer, result.round(result.reference_round)
    rule = Rule.of_run(result)
    parts = []
    for r in result.rounds:
        if r is ref:
            continue
        d = r.vs_reference[scorer].micro
        adjusted = f", {rule.adjusted(d)}" if rule.corrected else ""
        parts.append(f"{pct(r.scores[scorer].micro.f1)} for {r.name} ({_diff(d)} points"
                     f"{adjusted}: {rule.verdict(d)})")
    conf = round(100 * result.confidence)
    text = (f"What it shows, with {conf}% intervals over the {result.n_holdout} hold-out "
            f"documents: micro F1 {_interval(ref.scores[scorer].micro)} for {ref.name}; "
            + " and ".join(parts) + ".")
    h = headline(result)
    if h.best != h.reference:
        better = (f"{len(h.improved)} of {len(result.fields)} fields "
                  f"({', '.join(h.improved)})" if h.improved
                  else f"none of the {len(result.fields)} fields")
        text += (f" After the correction, {h.best} is significantly better on {better} and "
                 f"worse on {', '.join(h.worse) or 'none'}")
        for r in result.rounds:
            other = headline(result, r.name)
            if r.name not in (h.best, h.reference) and other.worse:
                worse = ", ".join(f"{f} ({pct(d.delta, True)})" for f, d in other.worse.items())
                text += f"; {r.name} is significantly worse on {worse}"
        text += "."
    return textwrap.fill(text + " Details: [docs/offline.md](docs/offline.md).", 90,
                         break_on_hyphens=False) + "\n"


def render_table(result: RunResult) -> str:
    """docs/offline.md's table: F1 per field and round with intervals and paired deltas."""
    scorer, ref = result.primary_scorer, result.reference_round
    others = [r for r in result.rounds if r.name != ref]
    head = ["field", *(r.name for r in result.rounds), *(f"Δ {r.name}" for r in others)]
    lines = ["| " + " | ".join(head) + " |",
             "| --- |" + " --: |" * (len(head) - 1)]
    for field in [*result.fields, "micro", "macro"]:
        bold = field in ("micro", "macro")
        cells = [f"**{field}**" if bold else field]
        for r in result.rounds:
            s = r.scores[scorer]
            cells.append(f"{pct(s.macro_f1)} [{pct(s.macro_f1_low)}, {pct(s.macro_f1_high)}]"
                         if field == "macro" else
                         _interval(s.micro if field == "micro" else s.fields[field]))
        for r in others:
            comp = r.vs_reference[scorer]
            d = comp.micro if field == "micro" else comp.macro if field == "macro" \
                else comp.fields[field]
            mark = (" ▲" if d.delta > 0 else " ▼") if d.significant else ""
            cell = f"{pct(d.delta, True)}{mark}"
            cells.append(f"**{cell}**" if bold and d.significant else cell)
        lines.append("| " + " | ".join(cells) + " |")
    for label in result.scorers:
        if label != scorer:
            lines += ["", textwrap.fill(f"Micro F1 under the `{label}` scorer: " + ", ".join(
                f"{r.name} {_interval(r.scores[label].micro)}" for r in result.rounds) + ".", 90)]
    return "\n".join(lines) + "\n"


RENDER = {"headline": render_headline, "table": render_table}


def rewrite(text: str, result: RunResult) -> str:
    """``text`` with every offline-results block regenerated from ``result``."""
    return BLOCK.sub(lambda m: m.group(1) + RENDER[m.group(2)](result) + m.group(4), text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs-dir", type=Path, default=ROOT / "runs")
    args = parser.parse_args()
    from leasebench.runner import run_experiment

    outcome = run_experiment(MANIFEST, runs_dir=args.runs_dir, quiet=True, mlflow=False)
    RESULTS.write_text(stored(outcome.result), encoding="utf-8")
    result = RunResult.model_validate_json(RESULTS.read_text(encoding="utf-8"))
    for path in DOCS.values():
        path.write_text(rewrite(path.read_text(encoding="utf-8"), result), encoding="utf-8")
        print(f"rewrote {path.relative_to(ROOT)}")
    print(f"wrote {RESULTS.relative_to(ROOT)} (run {outcome.run_dir})")


if __name__ == "__main__":
    main()
