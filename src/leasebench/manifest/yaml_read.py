"""Read a manifest file strictly: every way a file can be unreadable is a located error.

- the file must exist, be a regular readable file, at most ``limits.manifest_bytes``
  (``LEASEBENCH_LIMIT_MANIFEST_BYTES``), and be UTF-8 (the error gives line and column
  of the first bad byte);
- a duplicate key in one mapping is an error (YAML would silently keep the last);
- anchors and aliases may not expand the document beyond ``MAX_NODES`` values, nor nest
  deeper than ``MAX_DEPTH`` levels (a "billion laughs" file is refused, not expanded);
- ``line_of(loc)`` maps a key path such as ``("rounds", 2, "name")`` to its line, so
  problems found later by the models can name the line too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import DataError, ManifestError
from ..limits import env_limit, env_name
from ..userfiles import read_text

MAX_NODES = 100_000
MAX_DEPTH = 64
DEFAULT_MANIFEST_BYTES = 1_000_000


class _StrictLoader(yaml.SafeLoader):
    """A safe loader that records duplicate keys instead of keeping the last silently."""

    duplicates: list[str]

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            try:
                key = self.construct_object(key_node, deep=True)
                hash(key)
            except (TypeError, yaml.YAMLError):
                continue  # the base constructor reports unhashable keys
            line = key_node.start_mark.line + 1
            if key in seen:
                self.duplicates.append(
                    f"line {line}: duplicate key {key!r} (first at line {seen[key]}); "
                    "YAML would keep only the last value"
                )
            else:
                seen[key] = line
        return super().construct_mapping(node, deep=deep)


@dataclass
class ManifestText:
    """A parsed manifest: its data, duplicate-key problems and the node tree for lines."""

    data: Any
    problems: list[str] = field(default_factory=list)
    root: yaml.Node | None = None

    def line_of(self, loc: tuple[Any, ...]) -> int | None:
        """The line of the deepest node on ``loc`` that exists (None if none does)."""
        node, line = self.root, None
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                pair = next(((k, v) for k, v in node.value
                             if isinstance(k, yaml.ScalarNode) and k.value == str(part)), None)
                if pair is None:
                    break
                line, node = pair[0].start_mark.line + 1, pair[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if not 0 <= part < len(node.value):
                    break
                node = node.value[part]
                line = node.start_mark.line + 1
            else:
                break
        return line


def _read_text(path: Path) -> str:
    limit = env_limit("manifest_bytes", DEFAULT_MANIFEST_BYTES)
    try:
        return read_text(path, limit=limit, what="manifest YAML file",
                         hint=f"the environment variable {env_name('manifest_bytes')}=N")
    except DataError as exc:
        raise ManifestError(str(path), [str(exc).removeprefix(f"{path}: ")]) from None


def _check_size(data: Any, where: str) -> None:
    """Refuse documents whose aliases expand too far or nest too deep (bounded walk)."""
    count = 0
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise ManifestError(where, [
                f"the manifest expands to more than {MAX_NODES:,} values "
                "(YAML anchors/aliases?)"])
        if depth > MAX_DEPTH:
            raise ManifestError(where, [f"values nest deeper than {MAX_DEPTH} levels"])
        if isinstance(value, dict):
            stack += [(v, depth + 1) for v in value.values()]
        elif isinstance(value, list):
            stack += [(v, depth + 1) for v in value]


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "YAML"
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    detail = f"{context}: {problem}" if context else problem
    return f"{where}: invalid YAML: {detail}"


def read_manifest_yaml(path: Path) -> ManifestText:
    """Parse a manifest file; raise ``ManifestError`` naming the file and line."""
    where = str(path)
    text = _read_text(path)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ManifestError(where, [f"line {line}: a NUL byte; this is not a text file"])
    loader = _StrictLoader(text)
    loader.duplicates = []
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        raise ManifestError(where, [_yaml_problem(exc)]) from None
    except RecursionError:
        raise ManifestError(where, [f"values nest deeper than {MAX_DEPTH} levels"]) from None
    finally:
        loader.dispose()
    _check_size(data, where)
    return ManifestText(data, list(dict.fromkeys(loader.duplicates)), root)


__all__ = ["ManifestText", "read_manifest_yaml"]
