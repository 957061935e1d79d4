"""Built-in reporters: markdown, json, csv and html."""

from __future__ import annotations

from ..hookspecs import Register, hookimpl
from ..reporting.csv_report import CsvReporter
from ..reporting.html import HtmlReporter
from ..reporting.json_report import JsonReporter
from ..reporting.markdown import MarkdownReporter


@hookimpl(trylast=True)
def register_reporters(register: Register) -> None:
    for reporter in (MarkdownReporter, JsonReporter, CsvReporter, HtmlReporter):
        register(reporter)
