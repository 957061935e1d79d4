"""Rendering a report in headless Chromium: screenshots and a rendered-DOM check.

Used by the HTML report's tests and by ``docs/make_screenshot.py``. Needs Debian's
``chromium`` package (or ``LEASEBENCH_CHROMIUM`` pointing at a Chromium binary).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--mute-audio",
)


def find_chromium() -> str | None:
    """The Chromium binary: ``$LEASEBENCH_CHROMIUM``, /usr/bin/chromium, or on PATH."""
    env = os.environ.get("LEASEBENCH_CHROMIUM")
    if env:
        return env
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass(frozen=True)
class Rendered:
    """The DOM after scripts ran, and the browser's console messages."""

    dom: str
    console: list[str]


def _run(args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    binary = find_chromium()
    if binary is None:
        raise FileNotFoundError("chromium not found (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="lb-chromium-") as profile:
        return subprocess.run(
            [binary, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True, text=True, timeout=timeout, check=False,
        )


def render_dom(html: Path, timeout: float = 60) -> Rendered:
    """Load ``html`` from disk, run its scripts, return the DOM and console messages."""
    proc = _run(["--enable-logging=stderr", "--v=0", "--virtual-time-budget=3000",
                 "--dump-dom", Path(html).resolve().as_uri()], timeout)
    console = [ln.split("]", 1)[-1].strip() for ln in proc.stderr.splitlines()
               if ":CONSOLE" in ln]
    return Rendered(proc.stdout, console)


def screenshot(html: Path, png: Path, width: int = 1400, height: int = 3000,
               timeout: float = 60) -> Path:
    """Save a PNG of ``html`` rendered at ``width`` x ``height`` pixels."""
    png = Path(png).resolve()
    png.parent.mkdir(parents=True, exist_ok=True)
    proc = _run([f"--screenshot={png}", f"--window-size={width},{height}",
                 "--virtual-time-budget=3000", Path(html).resolve().as_uri()], timeout)
    if not png.exists():
        raise RuntimeError(f"chromium wrote no screenshot: {proc.stderr[-2000:]}")
    return png


__all__ = ["FLAGS", "Rendered", "find_chromium", "render_dom", "screenshot"]
