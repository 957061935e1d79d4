"""Names that become paths, and writes that must stay inside the runs directory.

Every manifest name that ends up in a file or directory name (the experiment, rounds,
explicit scorer labels, stages, arms) matches one pattern, checked when the manifest is
validated: a letter or digit first, then letters, digits, ``_``, ``.`` and ``-``, at most
100 characters, no ``..``. A name like that cannot be absolute, cannot climb out with
``..`` and cannot make a subdirectory.

``inside(root, path)`` is the second line of defence, used by the stage store and every
writer of run and report files: it resolves both paths (symbolic links included) and
raises ``PathEscape`` unless the path stays under the root.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator

from .errors import LeasebenchError

SAFE_NAME_PATTERN = r"^(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}$"
_SAFE_NAME = re.compile(SAFE_NAME_PATTERN)
SAFE_NAME_RULE = (
    "must start with a letter or digit and hold only letters, digits, '_', '.' and '-' "
    "(at most 100 characters, no '..'), because it becomes a file name"
)


class PathEscape(LeasebenchError):
    """A write would land outside the directory it belongs to."""


def is_safe_name(value: object) -> bool:
    return isinstance(value, str) and _SAFE_NAME.match(value) is not None


def check_name(value: str) -> str:
    """``value`` if it is a safe name, else ``ValueError`` quoting it and the rule."""
    if not is_safe_name(value):
        raise ValueError(f"{value!r} {SAFE_NAME_RULE}")
    return value


SafeName = Annotated[str, AfterValidator(check_name)]
"""A pydantic field type for names that become paths."""


def inside(root: Path, path: Path) -> Path:
    """``path`` if it resolves to ``root`` or below it, else ``PathEscape``."""
    base = root.resolve()
    target = path.resolve()
    if target != base and not target.is_relative_to(base):
        raise PathEscape(f"refusing to write {path}: it resolves to {target}, outside {base}")
    return path


def child(root: Path, *names: str) -> Path:
    """``root / name / ...`` for safe names only, checked to stay under ``root``."""
    for name in names:
        if not is_safe_name(name):
            raise PathEscape(f"refusing to use {name!r} as a file name under {root}: "
                             f"it {SAFE_NAME_RULE}")
    return inside(root, root.joinpath(*names))


__all__ = [
    "SAFE_NAME_PATTERN",
    "SAFE_NAME_RULE",
    "PathEscape",
    "SafeName",
    "check_name",
    "child",
    "inside",
    "is_safe_name",
]
