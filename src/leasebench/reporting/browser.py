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


def _address(page: Path | str) -> str:
    """A URL as it is; anything else is a file on disk."""
    if isinstance(page, str) and page.startswith(("http://", "https://", "file://")):
        return page
    return Path(page).resolve().as_uri()


def render_dom(page: Path | str, timeout: float = 60, budget_ms: int = 3000,
               width: int = 1400, height: int = 1000) -> Rendered:
    """Load ``page`` (a file or a URL) in a ``width`` x ``height`` window, run its scripts
    for ``budget_ms`` of virtual time (network waits do not count), return the DOM and the
    console messages."""
    proc = _run(["--enable-logging=stderr", "--v=0", f"--virtual-time-budget={budget_ms}",
                 f"--window-size={width},{height}", "--dump-dom", _address(page)], timeout)
    console = [ln.split("]", 1)[-1].strip() for ln in proc.stderr.splitlines()
               if ":CONSOLE" in ln]
    return Rendered(proc.stdout, console)


def screenshot(page: Path | str, png: Path, width: int = 1400, height: int = 3000,
               timeout: float = 60, budget_ms: int = 3000) -> Path:
    """Save a PNG of ``page`` (a file or a URL) rendered at ``width`` x ``height`` pixels."""
    png = Path(png).resolve()
    png.parent.mkdir(parents=True, exist_ok=True)
    proc = _run([f"--screenshot={png}", f"--window-size={width},{height}",
                 f"--virtual-time-budget={budget_ms}", _address(page)], timeout)
    if not png.exists():
        raise RuntimeError(f"chromium wrote no screenshot: {proc.stderr[-2000:]}")
    return png


__all__ = ["FLAGS", "Rendered", "find_chromium", "render_dom", "screenshot"]
