"""Regenerate the screenshots under docs/ from the built-in offline experiment.

    .venv/bin/python docs/make_screenshot.py [--runs-dir DIR] [--only NAME ...]

- ``report-screenshot.png`` (1,280 px wide) and ``report-screenshot-800.png``: the HTML
  report of fixtures/manifests/lease-offline.yaml;
- ``arms-screenshot.png`` and ``arms-screenshot-800.png``: the report of
  fixtures/manifests/lease-arms.yaml;
- ``compare-screenshot.png`` and ``compare-screenshot-800.png``: the offline run compared
  with the same experiment whose generator does not vary the wording around the labels
  (``vary: 0``);
- ``mlflow-screenshot.png``: both runs logged to a real ``mlflow server`` (a temporary
  store on a free loopback port), its runs table as leasebench links to it.

Stages are cached under DIR (default runs/), so a second call only renders. Needs Debian's
``chromium`` package.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import yaml

from leasebench.reporting.browser import find_chromium, render_dom, screenshot
from leasebench.reporting.compare import compare_runs, load_run
from leasebench.reporting.compare_render import render_comparison_html
from leasebench.reporting.html import render_html
from leasebench.runner import run_experiment
from leasebench.tracking import experiment_url

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
MANIFEST = ROOT / "fixtures" / "manifests" / "lease-offline.yaml"
ARMS = ROOT / "fixtures" / "manifests" / "lease-arms.yaml"
WIDTHS = {"": 1280, "-800": 800}  # file suffix: viewport width in px


def variant(tmp: Path) -> Path:
    """The offline manifest with ``vary: 0`` (same experiment name: stages are shared)."""
    data = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    data["generator"]["params"]["vary"] = 0.0
    path = tmp / "lease-offline-vary0.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def clean(page: Path) -> Path:
    rendered = render_dom(page)
    if rendered.console:
        raise SystemExit(f"{page.name} did not render cleanly: {rendered.console}")
    return page


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def mlflow_shot(manifests: list[Path], runs_dir: Path, tmp: Path, out: Path) -> None:
    """Log the runs to a fresh ``mlflow server`` and screenshot its runs table."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("mlflow")), "server", "--host", "127.0.0.1",
         "--port", str(port), "--backend-store-uri", f"sqlite:///{tmp / 'mlflow.db'}",
         "--default-artifact-root", str(tmp / "artifacts"), "--workers", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        run_id = ""
        for manifest in manifests:
            outcome = run_experiment(manifest, runs_dir=runs_dir, quiet=True, mlflow=True,
                                     tracking_uri=url)
            run_id = run_json_run(outcome.run_dir)
        page = experiment_url(url, run_id)
        assert page is not None
        print(screenshot(page, out, 2100, 760, timeout=180, budget_ms=30_000))
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def run_json_run(run_dir: Path) -> str:
    import json

    return json.loads((run_dir / "run.json").read_text(encoding="utf-8"))["mlflow_run_id"]


def shots(page: Path, stem: str, height: int) -> None:
    """The page at each width; narrower pages are taller, so they get more height."""
    for suffix, width in WIDTHS.items():
        tall = height * 1280 // width if width < 1280 else height
        print(screenshot(page, DOCS / f"{stem}{suffix}.png", width, tall))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs-dir", type=Path, default=ROOT / "runs")
    parser.add_argument("--only", nargs="*", choices=["report", "arms", "compare", "mlflow"],
                        default=["report", "arms", "compare", "mlflow"])
    args = parser.parse_args()
    if find_chromium() is None:
        raise SystemExit("chromium not found: apt-get install -y chromium")
    with tempfile.TemporaryDirectory(prefix="lb-shots-") as name:
        tmp = Path(name)
        manifests = [MANIFEST, variant(tmp)]
        outcomes = [run_experiment(m, runs_dir=args.runs_dir, quiet=True, mlflow=False)
                    for m in manifests]
        if "report" in args.only:
            page = outcomes[0].run_dir / "report" / "report.html"
            page.write_text(render_html(outcomes[0].result), encoding="utf-8")
            shots(clean(page), "report-screenshot", 3000)
        if "arms" in args.only:
            arms = run_experiment(ARMS, runs_dir=args.runs_dir, quiet=True, mlflow=False)
            page = arms.run_dir / "report" / "report.html"
            page.write_text(render_html(arms.result), encoding="utf-8")
            shots(clean(page), "arms-screenshot", 3400)
        if "compare" in args.only:
            c = compare_runs([load_run(o.run_dir) for o in outcomes])
            page = tmp / "compare.html"
            page.write_text(render_comparison_html(c), encoding="utf-8")
            shots(clean(page), "compare-screenshot", 1600)
        if "mlflow" in args.only:
            mlflow_shot(manifests, args.runs_dir, tmp, DOCS / "mlflow-screenshot.png")


if __name__ == "__main__":
    main()
