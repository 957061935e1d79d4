"""The decision sections (``decisions_view``) as Markdown lines and terminal tables."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text

from ..results import RunResult
from .decisions_view import decision_sections
from .terminal import Col, min_width, table


def _md_table(head: list[str], rows: list[list[str]], left: int) -> list[str]:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(" ".join(str(c).split()).replace("|", "\\|")
                                 for c in cells) + " |"

    align = ["---"] * left + ["--:"] * (len(head) - left)
    return [line(head), "| " + " | ".join(align) + " |", *(line(r) for r in rows)]


def decisions_markdown(result: RunResult) -> list[str]:
    """'## Decisions' with one subsection per decision the run has data for."""
    sections = decision_sections(result, measured=False)
    if not sections:
        return []
    lines = ["", "## Decisions"]
    for s in sections:
        lines += ["", f"### {s.title}", "", s.hint, ""]
        for t in s.tables:
            lines += [*_md_table(t.head, t.rows, t.left), ""]
        lines += [f"- {x}" for x in s.lines]
    return lines


def decision_renderables(result: RunResult, width: int) -> list[RenderableType]:
    """The decision sections for the terminal: a table each, then its sentences."""
    out: list[RenderableType] = []
    for s in decision_sections(result, measured=True):
        out += [Text(""), Text(s.title, style="bold"), Text(s.hint, style="dim")]
        for t in s.tables:
            last = len(t.head) - 1
            cols = [Col(h, justify="left" if i < t.left or (t.prose and i == last)
                        else "right", wrap=t.prose and i == last)
                    for i, h in enumerate(t.head)]
            drawn = table(cols, t.rows, None, width)
            if min_width(drawn) <= width:
                out.append(drawn)
                continue
            for row in t.rows:  # too wide: one block of "header: value" lines per row
                out.append(Text(" · ".join(f"{h}: {c}" for h, c in zip(t.head, row,
                                                                        strict=True))))
        out += [Text(f"• {x}") for x in s.lines]
    return out


__all__ = ["decision_renderables", "decisions_markdown"]
