"""HTML pages from Jinja2 templates: escaped by construction, under a strict CSP.

Every page is rendered by ``render_page`` from ``reporting/templates``:

- autoescape is on for every template, so every value that reaches the page (document
  text, labels, model answers, round, field and scorer names, paths) is escaped for its
  HTML context; templates never mark a value ``|safe``. Charts are data
  (``svg.Chart``: shapes with numeric geometry and text) drawn by a template macro, so
  their labels are escaped the same way. The only markup inserted unescaped is the
  page's own stylesheet and script (constants of ``html_assets``) and the error browser's
  data, serialised with ``tojson`` (``<``, ``>``, ``&`` and quotes as ``\\u`` escapes).
- the page carries a Content-Security-Policy meta tag: nothing may load from anywhere
  (``default-src 'none'``), only the page's own inline script and stylesheet run (by
  their SHA-256 hashes; no ``'unsafe-inline'``), so an injected ``<script>``, inline
  event handler (``onerror=``), ``javascript:`` URL or remote image does nothing.
"""

from __future__ import annotations

import base64
import hashlib
import math
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from .. import __version__
from .summary import p_text, pct


def source_hash(text: str) -> str:
    """The CSP source expression allowing exactly this inline script or style text."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(scripts: list[str], styles: list[str]) -> str:
    """No loads at all; only the given inline scripts and styles run (by hash)."""
    script = " ".join(source_hash(s) for s in scripts) or "'none'"
    style = " ".join(source_hash(s) for s in styles) or "'none'"
    return (f"default-src 'none'; script-src {script}; style-src {style}; img-src data:; "
            "base-uri 'none'; form-action 'none'")


def money(value: float | None, currency: str = "") -> str:
    """An amount, with its currency when given: '0.0123 USD', '0.00012' (4 decimals, or
    two significant digits below 0.001; 2 decimals from 100); '-' for an amount not
    known (not priced, not measured)."""
    if value is None:
        return "-"
    if value and abs(value) < 0.001:
        text = f"{value:.{1 - math.floor(math.log10(abs(value)))}f}"
    else:
        text = f"{value:,.4f}" if abs(value) < 100 else f"{value:,.2f}"
    return f"{text} {currency}".strip()


def number(value: float | None, digits: int | None = None) -> str:
    """A measured value: ``digits`` decimals, or (by default) integers with thousands
    separators and otherwise 4 significant digits; '-' for a value not known."""
    if value is None:
        return "-"
    if digits is not None:
        return f"{value:,.{digits}f}"
    if float(value).is_integer() and abs(value) >= 1:
        return f"{int(value):,}"
    return f"{value:.4g}"


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("leasebench.reporting", "templates"),
                      autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                      lstrip_blocks=True)
    env.filters.update(pct=pct, spct=lambda x: pct(x, True), money=money, number=number,
                       p=p_text)
    env.globals["version"] = __version__
    return env


ENV = _environment()


def render_page(template: str, *, css: str, js: str = "", **context: Any) -> str:
    """Render ``template`` with the page's stylesheet and script and their CSP."""
    if "</" in css or "</" in js:
        raise ValueError("inline CSS/JS must not contain '</' (it would end the element)")
    policy = content_security_policy([js] if js else [], [css])
    return ENV.get_template(template).render(
        css=Markup(css), js=Markup(js) if js else None, csp=policy, **context)


__all__ = ["ENV", "content_security_policy", "money", "number", "render_page", "source_hash"]
