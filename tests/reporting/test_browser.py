"""The HTML report rendered in headless Chromium: charts drew, no console errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from leasebench.reporting.browser import find_chromium, render_dom, screenshot
from leasebench.reporting.html import render_html

pytestmark = pytest.mark.skipif(
    find_chromium() is None,
    reason="chromium not installed (apt-get install -y chromium); HTML rendering not checked",
)


def test_report_renders_in_chromium(tiny_run, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(render_html(tiny_run[1]), encoding="utf-8")
    rendered = render_dom(page)
    body = re.search(r"<body[^>]*>", rendered.dom)
    assert body, rendered.dom[:500]
    assert 'data-rendered="ok"' in body.group(0), body.group(0)
    assert int(re.search(r'data-charts="(\d+)"', body.group(0)).group(1)) >= 3
    assert rendered.console == []
    rows = re.search(r'<tbody id="eb-body">(.*?)</tbody>', rendered.dom, re.S).group(1)
    assert rows.count("<tr>") > 0  # the error browser filled its table
    assert re.search(r'id="eb-count"[^>]*>\d+ pair\(s\) match', rendered.dom)
    png = screenshot(page, tmp_path / "shot.png", 1400, 1800)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000


def test_console_errors_are_caught(tmp_path: Path) -> None:
    page = tmp_path / "broken.html"
    page.write_text("<html><body><script>missingFunction();</script></body></html>")
    assert any("missingFunction" in line for line in render_dom(page).console)
