"""Regenerate docs/report-screenshot.png from the built-in offline experiment.

    .venv/bin/python docs/make_screenshot.py [MANIFEST] [--runs-dir DIR]

Runs MANIFEST (default: fixtures/manifests/lease-offline.yaml, stages cached under
DIR, default runs/), writes the HTML report and screenshots it with headless Chromium
(Debian package ``chromium``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from leasebench.reporting.browser import find_chromium, render_dom, screenshot
from leasebench.reporting.html import render_html
from leasebench.runner import run_experiment

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("manifest", nargs="?", type=Path,
                        default=ROOT / "fixtures" / "manifests" / "lease-offline.yaml")
    parser.add_argument("--runs-dir", type=Path, default=ROOT / "runs")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "report-screenshot.png")
    parser.add_argument("--height", type=int, default=3000)
    args = parser.parse_args()
    if find_chromium() is None:
        raise SystemExit("chromium not found: apt-get install -y chromium")
    kwargs = {"mlflow": False} if "mlflow" in run_experiment.__code__.co_varnames else {}
    outcome = run_experiment(args.manifest, runs_dir=args.runs_dir, quiet=True, **kwargs)
    page = outcome.run_dir / "report" / "report.html"
    page.write_text(render_html(outcome.result), encoding="utf-8")
    rendered = render_dom(page)
    if 'data-rendered="ok"' not in rendered.dom or rendered.console:
        raise SystemExit(f"report did not render cleanly: {rendered.console}")
    print(screenshot(page, args.out, 1400, args.height))


if __name__ == "__main__":
    main()
