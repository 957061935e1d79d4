"""docs/architecture.md is a map of src/leasebench: every top-level entry has its line, in
the layer .importlinter gives it, and nothing listed there is gone."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "leasebench"
DOC = ROOT / "docs" / "architecture.md"
ROW = re.compile(r"^\| (?P<layer>[^|]+?) \| `(?P<entry>[^`]+)` \| (?P<what>[^|]+) \|$", re.M)
SKIP = {"__init__.py", "__pycache__"}


def entries() -> set[str]:
    """The top-level entries: packages and data folders as ``name/``, files by name."""
    out = set()
    for path in PACKAGE.iterdir():
        if path.name in SKIP or path.name.startswith(".") or path.suffix in {".pyc", ".so"}:
            continue
        out.add(path.name + "/" if path.is_dir() else path.name)
    return out


def map_rows() -> dict[str, str]:
    """Entry -> its layer cell, from the table of the section "The map"."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("\n## The map\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for m in ROW.finditer(section):
        assert m["entry"] not in rows, f"{m['entry']} is listed twice"
        assert m["what"].strip(), f"{m['entry']} says nothing"
        rows[m["entry"]] = m["layer"]
    return rows


def contract_layers() -> dict[str, int]:
    """Module name -> layer number (1 = top) in the layers contract of .importlinter."""
    parser = configparser.ConfigParser()
    parser.read(ROOT / ".importlinter", encoding="utf-8")
    lines = [line.strip() for line in parser["importlinter:contract:layers"]["layers"].split("\n")]
    out = {}
    for number, line in enumerate((x for x in lines if x and not x.startswith("#")), 1):
        for name in re.split(r"[|:]", line):
            out[name.strip()] = number
    return out


def test_every_top_level_entry_is_on_the_map():
    rows = map_rows()
    missing = sorted(entries() - set(rows))
    assert not missing, f"docs/architecture.md lacks a line for: {', '.join(missing)}"


def test_the_map_lists_nothing_that_is_gone():
    stale = sorted(set(map_rows()) - entries())
    assert not stale, f"docs/architecture.md lists what src/leasebench lacks: {', '.join(stale)}"


def test_each_entry_sits_in_its_contract_layer():
    layers = contract_layers()
    for entry, cell in map_rows().items():
        name = entry.removesuffix("/").removesuffix(".py")
        if entry.endswith(".py") or (PACKAGE / name / "__init__.py").exists():
            assert name in layers, f"{entry} has no layer in .importlinter"
            number = re.match(r"\d+", cell)
            assert number and int(number[0]) == layers[name], (
                f"{entry}: layer {cell!r} on the map, {layers[name]} in .importlinter")
        else:
            assert cell == "data", f"{entry} is not Python: its layer is 'data'"


def _exists(token: str) -> bool:
    if token.startswith("leasebench."):  # a module, or a module's attribute
        parts = token.split(".")[1:]
        for cut in (len(parts), len(parts) - 1):
            base = PACKAGE.joinpath(*parts[:cut])
            if cut and (base.with_suffix(".py").exists() or (base / "__init__.py").exists()
                        or base.with_suffix(".c").exists()):
                return True
        return False
    if "/" not in token:  # a bare file name: somewhere in the package, or at the root
        return (ROOT / token).exists() or (ROOT / "docs" / token).exists() or any(
            PACKAGE.rglob(token))
    return any((base / token).exists() for base in (PACKAGE, ROOT, ROOT / "docs"))


def test_every_file_and_module_the_document_names_exists():
    """Source files, modules and linked pages; not the files a run writes (run.json)."""
    text = DOC.read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:[\w.-]+/)*[\w.-]+\.pyi?)`", text))
    named |= set(re.findall(r"`((?:[\w.-]+/)+[\w.-]+\.(?:c|md|json|yaml))`", text))
    named |= set(re.findall(r"`(leasebench(?:\.[A-Za-z_]\w*)+)`", text))
    named |= set(re.findall(r"\]\(([\w./-]+\.md)(?:#[\w-]+)?\)", text))
    assert len(named) > 40
    gone = sorted(t for t in named if not _exists(t))
    assert not gone, f"docs/architecture.md names what the repository lacks: {gone}"
