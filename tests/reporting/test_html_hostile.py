"""The HTML report and comparison page escape every untrusted string, by construction, and
their Content-Security-Policy stops anything that would slip through anyway."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from leasebench.reporting.browser import find_chromium, render_dom
from leasebench.reporting.compare import compare_runs, load_run
from leasebench.reporting.compare_render import render_comparison_html
from leasebench.reporting.html import render_html
from leasebench.reporting.html_assets import CSS, JS
from leasebench.reporting.html_env import source_hash
from leasebench.results import RunResult

ROOT = Path(__file__).resolve().parents[2]
MARK = "document.body.setAttribute('data-pwned','1')"
HOSTILE = [
    f"<script>{MARK}</script>",
    f"</style><script>{MARK}</script>",
    f'"><img src=x onerror="{MARK}">',
    f"' onmouseover='{MARK}' x='",
    f"javascript:{MARK}",
    f"</script><script>{MARK}</script><!--",
    f"<svg onload=\"{MARK}\"><a href=\"javascript:{MARK}\">x</a></svg>",
    "]]><![CDATA[ &amp; &lt;b&gt;",
]


def hostile_result(result: RunResult) -> RunResult:
    """The run with hostile names (run, rounds, a field, a judge, a sweep param), document
    ids, labels and model answers."""
    names = {result.name: HOSTILE[0], "synth-1": HOSTILE[1], "lessor": HOSTILE[2],
             "grounding": HOSTILE[3], "min_precision": HOSTILE[6]}
    text = result.model_dump_json()
    for old, new in names.items():
        text = text.replace(json.dumps(old), json.dumps(new))
    hostile = RunResult.model_validate_json(text)
    hostile.outcomes = {}
    for r in hostile.rounds:
        for i, d in enumerate(r.details):
            d.id = HOSTILE[i % len(HOSTILE)] + d.id
            d.gold = [HOSTILE[(i + 1) % len(HOSTILE)]]
            d.pred = [HOSTILE[(i + 2) % len(HOSTILE)], HOSTILE[4]]
            if d.outcome == "tp":
                d.outcome = "mismatch"
    for b in hostile.funnel:
        b.reasons = {j: [HOSTILE[5], HOSTILE[7]] for j in b.passed}
    return hostile


class Page(HTMLParser):
    """Every element, attribute and text node of a page, as the browser parses them."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.styles: list[str] = []
        self.text: list[str] = []
        self._in: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._in = tag
            (self.scripts.append((dict(attrs), "")) if tag == "script"
             else self.styles.append(""))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "script":
            attrs, body = self.scripts[-1]
            self.scripts[-1] = (attrs, body + data)
        elif self._in == "style":
            self.styles[-1] += data
        else:
            self.text.append(data)


def check_page(html: str, js: str | None) -> Page:
    page = Page(html)
    allowed = {"html", "head", "meta", "link", "title", "style", "body", "main", "header",
               "footer", "section", "div", "h1", "h2", "h3", "p", "b", "span", "code", "ul",
               "li", "table", "thead", "tbody", "tr", "th", "td", "details", "summary",
               "label", "select", "option", "input", "svg", "rect", "line", "text", "circle",
               "path", "script", "colgroup", "col"}
    for tag, attrs in page.tags:
        assert tag in allowed, tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert not (value or "").lower().lstrip().startswith("javascript:"), (tag, name)
        if tag == "link":
            assert attrs == {"rel": "icon", "href": "data:,"}
    assert page.styles == [CSS]
    code = [body for attrs, body in page.scripts if attrs.get("type") != "application/json"]
    assert code == ([js] if js else [])
    for attrs, body in page.scripts:
        if attrs.get("type") == "application/json":
            json.loads(body)  # data, whole: no markup can end it early
    (policy,) = [a["content"] for t, a in page.tags
                 if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy
    assert f"style-src {source_hash(CSS)};" in policy
    assert (f"script-src {source_hash(js)};" if js else "script-src 'none';") in policy
    return page


@pytest.fixture(scope="module")
def hostile(tiny_run) -> RunResult:
    return hostile_result(tiny_run[1])


def test_report_shows_hostile_text_as_text(hostile: RunResult) -> None:
    html = render_html(hostile)
    page = check_page(html, JS)
    shown = "".join(page.text)
    for s in (HOSTILE[0], HOSTILE[1], HOSTILE[2], HOSTILE[3]):  # names, shown verbatim
        assert s in shown
    data = json.loads(next(b for a, b in page.scripts if a.get("id") == "lb-data"))
    values = json.dumps(data)
    assert json.dumps(HOSTILE[5]) in values and json.dumps(HOSTILE[4]) in values
    assert "</script" not in next(b for a, b in page.scripts if a.get("id") == "lb-data")


def test_comparison_page_escapes_labels_and_manifest_values(tiny_run, tmp_path: Path) -> None:
    run_dir, result = tiny_run
    hostile = hostile_result(result)
    copy = tmp_path / "run"
    (copy / "report").mkdir(parents=True)
    (copy / "report" / "report.json").write_text(hostile.model_dump_json(), "utf-8")
    manifest = yaml.safe_load((run_dir / "manifest.yaml").read_text("utf-8"))
    manifest |= {"name": HOSTILE[3], "note": HOSTILE[6]}
    (copy / "manifest.yaml").write_text(yaml.safe_dump(manifest), "utf-8")
    c = compare_runs([load_run(run_dir), load_run(copy)], rounds=["synth-2"])
    assert any(d.key == "note" for d in c.manifest_differences)
    page = check_page(render_comparison_html(c), None)
    shown = "".join(page.text)
    assert HOSTILE[6] in shown and HOSTILE[3] in shown and HOSTILE[0] in shown


def test_templates_mark_nothing_safe() -> None:
    templates = ROOT / "src" / "leasebench" / "reporting" / "templates"
    for path in templates.glob("*.j2"):
        text = path.read_text("utf-8")
        assert "|safe" not in text.replace(" ", "") and "autoescape false" not in text, path
    for path in (ROOT / "src" / "leasebench" / "reporting").glob("*.py"):
        if path.name != "html_env.py":
            assert "Markup(" not in path.read_text("utf-8"), path


needs_chromium = pytest.mark.skipif(find_chromium() is None,
                                    reason="chromium not installed (apt-get install chromium)")


@needs_chromium
def test_hostile_report_runs_only_its_own_script(hostile: RunResult, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(render_html(hostile), encoding="utf-8")
    rendered = render_dom(page)
    body = re.search(r"<body[^>]*>", rendered.dom).group(0)
    assert 'data-rendered="ok"' in body and "data-pwned" not in body
    assert rendered.console == []  # nothing injected, so no CSP violation either
    assert "<img" not in rendered.dom  # the error browser put values in as text


@needs_chromium
def test_the_policy_blocks_what_escaping_would_have_missed(tiny_run, tmp_path: Path) -> None:
    html = render_html(tiny_run[1])
    injected = html.replace("<main>", f'<main><img src="x" onerror="{MARK}">'
                            f"<script>{MARK}</script>"
                            '<img src="https://example.invalid/x.png">', 1)
    page = tmp_path / "injected.html"
    page.write_text(injected, encoding="utf-8")
    rendered = render_dom(page)
    body = re.search(r"<body[^>]*>", rendered.dom).group(0)
    assert "data-pwned" not in body and 'data-rendered="ok"' in body
    assert any("Content Security Policy" in line for line in rendered.console)
