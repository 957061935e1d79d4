"""Built-in reporters."""

from __future__ import annotations

from ..hookspecs import Register, hookimpl
from ..reporting.json_report import JsonReporter
from ..reporting.markdown import MarkdownReporter


@hookimpl(trylast=True)
def register_reporters(register: Register) -> None:
    register(MarkdownReporter)
    register(JsonReporter)
