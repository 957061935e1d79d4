"""``leasebench new-plugin``: write a plugin package that passes the conformance suite."""

from __future__ import annotations

import re
from pathlib import Path
from string import Template

from ..errors import LeasebenchError
from ..hookspecs import FAMILY_HOOKS
from .templates import DATASET_RECORDS, TEMPLATES

NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*\Z")

PYPROJECT = """[build-system]
requires = ["setuptools>=77"]
build-backend = "setuptools.build_meta"

[project]
name = "$dist"
version = "0.1.0"
description = "A leasebench $family plugin."
readme = "README.md"
requires-python = ">=3.10"
# your licence, as an SPDX expression with its file beside this one, e.g.:
# license = "Apache-2.0"
# license-files = ["LICENSE"]
dependencies = ["leasebench>=0.1"]

[project.optional-dependencies]
test = ["pytest>=8"]

[project.entry-points.leasebench]
$short = "$package.plugin"

[tool.setuptools.packages.find]
where = ["src"]

[tool.pytest.ini_options]
testpaths = ["tests"]
"""

PLUGIN = '''"""The module the ``leasebench`` entry point names: one hook per family registered."""

from __future__ import annotations

from leasebench.hookspecs import Register, hookimpl

from .$family import $classes


$hooks'''

HOOK = '''@hookimpl
def $hook(register: Register) -> None:
    register($cls)
'''

TEST = '''"""The conformance suite checks the $family against its family's contract."""

from __future__ import annotations

$imports


$tests'''

README = """# $dist

A [leasebench](https://github.com/) plugin providing the $family `$name`.

    pip install -e .
    leasebench plugins          # lists $name
    pytest                      # the conformance suite

Use it in a manifest by its name, `$name`.
"""


def names(name: str, component: str = "main") -> dict[str, str]:
    """Distribution, package, short and component names derived from ``name``."""
    if not NAME.match(name):
        raise LeasebenchError(
            f"plugin name {name!r}: use lowercase letters, digits and single dashes, "
            "starting with a letter (e.g. 'acme-dates')"
        )
    short = name.removeprefix("leasebench-") or name
    return {"dist": name, "package": name.replace("-", "_"), "short": short,
            "name": f"{short}/{component}", "cls": "".join(p.title() for p in short.split("-"))}


def scaffold(name: str, family: str, out: Path, component: str | None = None) -> Path:
    """Write the plugin package ``out/name`` and return its directory."""
    if family not in TEMPLATES:
        raise LeasebenchError(f"unknown family {family!r}; one of {', '.join(TEMPLATES)}")
    v = names(name, component or family) | {"family": family}
    if not NAME.match(component or family):
        raise LeasebenchError(f"component name {component!r}: lowercase letters, digits, dashes")
    root = out / name
    if root.exists():
        raise LeasebenchError(f"{root} already exists; choose another name or --out")
    kinds = ["trainer", "extractor"] if family == "trainer" else [family]
    classes = [f"{v['cls']}{k.title()}" for k in kinds]
    v["classes"] = ", ".join(sorted(classes))
    v["hooks"] = "\n\n".join(Template(HOOK).substitute(hook=FAMILY_HOOKS[k], cls=c)
                             for k, c in zip(kinds, classes, strict=True))
    lines = [f"from {v['package']}.{family} import {', '.join(sorted(classes))}",
             f"from leasebench.testing.conformance import "
             f"{', '.join(sorted(f'check_{k}' for k in kinds))}"]
    v["imports"] = "\n\n".join(reversed(lines))
    if family == "trainer":
        t, e = classes
        v["tests"] = (f"def test_trainer_conforms():\n    check_trainer({t}, extractor={e})\n\n\n"
                      f"def test_extractor_conforms():\n    check_extractor({e}, trainer={t})\n")
    elif family == "dataset":
        v["imports"] = "from pathlib import Path\n\n" + v["imports"]
        v["tests"] = ("def test_dataset_conforms():\n"
                      "    data = Path(__file__).parent / \"data\" / \"records.jsonl\"\n"
                      f"    check_dataset({classes[0]}, {{\"path\": str(data)}})\n")
    else:
        v["tests"] = f"def test_{family}_conforms():\n    check_{family}({classes[0]})\n"
    package = root / "src" / v["package"]
    files = {
        root / "pyproject.toml": PYPROJECT,
        root / "README.md": README,
        package / "__init__.py": f'"""{name}: a leasebench {family} plugin."""\n',
        package / "plugin.py": PLUGIN,
        package / f"{family}.py": TEMPLATES[family],
        root / "tests" / f"test_{family}.py": TEST,
    }
    if family == "dataset":
        files[root / "tests" / "data" / "records.jsonl"] = DATASET_RECORDS.replace("$", "$$")
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(Template(text).substitute(v), encoding="utf-8")
    return root


__all__ = ["names", "scaffold"]
