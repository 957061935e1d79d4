"""Meta-tests: every hook is tested and documented, every built-in component is documented,
and the conformance suite runs over every built-in (``test_conformance.py``)."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from leasebench import hookspecs
from leasebench.plugin_manager import build_registry, get_plugin_manager

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "plugins"
HOOKS = sorted(n for n, f in vars(hookspecs).items()
               if callable(f) and hasattr(f, "leasebench_spec"))
FAMILY_PAGES = {"dataset": "datasets",
                "generator": "generators", "judge": "judges", "trainer": "trainers",
                "extractor": "extractors", "scorer": "scorers", "reporter": "reporters",
                "executor": "executors"}
BUILTINS = build_registry(get_plugin_manager(entry_points=False)).describe()


def signature(name: str) -> str:
    """``register_x(register: Register) -> None``, as the source spells the annotations."""
    sig = inspect.signature(getattr(hookspecs, name))
    params = ", ".join(f"{p.name}: {p.annotation}" for p in sig.parameters.values())
    return f"{name}({params}) -> {sig.return_annotation}"


def docs_text() -> str:
    return "\n".join(p.read_text("utf-8") for p in sorted(DOCS.glob("*.md")))


def test_every_hook_is_found():
    assert set(hookspecs.FAMILY_HOOKS.values()) | {"register_commands"} == set(HOOKS)


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_test(hook):
    tests = [p for p in (ROOT / "tests").rglob("test_*.py") if p.name != "test_meta.py"]
    assert any(hook in p.read_text("utf-8") for p in tests), f"no test mentions {hook}"


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_signature_is_documented(hook):
    assert signature(hook) in docs_text(), f"docs/plugins lacks `{signature(hook)}`"


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_its_page(hook):
    family = next((f for f, h in hookspecs.FAMILY_HOOKS.items() if h == hook), None)
    page = DOCS / f"{FAMILY_PAGES[family] if family else 'commands'}.md"
    assert signature(hook) in page.read_text("utf-8")


@pytest.mark.parametrize("row", BUILTINS, ids=lambda r: f"{r['family']}-{r['name']}")
def test_every_builtin_component_is_documented(row):
    page = DOCS / f"{FAMILY_PAGES[row['family']]}.md"
    assert f"`{row['name']}`" in page.read_text("utf-8"), f"{page.name} lacks `{row['name']}`"


@pytest.mark.parametrize("page", sorted(FAMILY_PAGES.values()))
def test_family_pages_have_the_required_sections(page):
    text = (DOCS / f"{page}.md").read_text("utf-8")
    for heading in ("**Hook:**", "**Method:**", "## What the core passes",
                    "## What it must give back", "## Errors", "## Example"):
        assert heading in text, f"{page}.md lacks {heading}"


def test_conformance_covers_every_builtin():
    from .test_conformance import EVERY_BUILTIN

    assert sorted(EVERY_BUILTIN) == sorted((r["family"], r["name"]) for r in BUILTINS)
