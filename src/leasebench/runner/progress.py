"""Progress display: bars while a stage works (terminals only), one line per finished stage.

On a terminal, map stages show an item bar and components that call ``ctx.progress``
(trainers, datasets) a bar of their own unit; bars vanish when the stage ends. Piped or
logged output gets only the one line per stage, so logs stay clean.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from ..components import ProgressCallback


def _ignore(*_: object) -> None:
    return None


class CountColumn(ProgressColumn):
    """'12/50 iterations'; '12 documents' when the total is unknown; the unit alone at 0."""

    def render(self, task: Task) -> Text:
        unit = task.fields.get("unit", "")
        done = f"{task.completed:,.0f}"
        if task.total is not None:
            text = f"{done}/{task.total:,.0f}"
        else:
            text = done if task.completed else ""
        return Text(" ".join(x for x in (text, unit) if x), style="progress.download")


class Advance(Protocol):
    """Moves a progress bar ``n`` steps on."""

    def __call__(self, n: int = 1) -> None: ...


def wrapped(console: Console, message: str, indent: int = 2) -> str:
    """``message`` wrapped at spaces to a terminal's width, continuation lines indented
    ``indent`` more than the first; unchanged off a terminal (logs keep one line per
    message). Words longer than a line (paths, URLs) are never cut."""
    if not console.is_terminal or console.width < 20:
        return message
    lead = " " * (len(message) - len(message.lstrip(" ")) + indent)
    return "\n".join(
        textwrap.fill(line, width=console.width, subsequent_indent=lead,
                      break_long_words=False, break_on_hyphens=False) if line else line
        for line in message.split("\n"))


class ItemBar:
    """A map stage's bar: results received here, or items workers finished, if more."""

    def __init__(self, progress: Progress | None, task: TaskID | None, done: int):
        self.progress, self.task, self.done = progress, task, done
        self.received = self.finished = 0

    def __call__(self, n: int = 1) -> None:
        self.received += n
        self._show()

    def seen(self, n: int) -> None:
        """``n`` items finished in workers so far (they reach the driver later)."""
        self.finished = max(self.finished, n)
        self._show()

    def _show(self) -> None:
        if self.progress is not None and self.task is not None:
            self.progress.update(self.task, completed=self.done + max(self.received,
                                                                     self.finished))


class Board:
    """One bar per work running elsewhere (a trial in a worker process), moved by the
    events a ``ProgressRelay`` passes on: waiting, started, ``ctx.progress`` steps."""

    def __init__(self, progress: Progress):
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}

    def add(self, key: str) -> None:
        self.tasks[key] = self.progress.add_task(key, total=None, unit="waiting", start=False)

    def remove(self, key: str) -> None:
        task = self.tasks.pop(key, None)
        if task is not None:
            self.progress.remove_task(task)

    def event(self, event: dict[str, Any]) -> None:
        task = self.tasks.get(event["k"])
        if task is None:
            return
        if event.get("s") == "started":
            self.progress.start_task(task)
            self.progress.update(task, unit="started")
        elif "d" in event:
            self.progress.update(task, completed=event["d"], total=event.get("t"),
                                 unit=str(event.get("u") or ""))


class StageLog:
    """Prints stage status to stderr unless quiet; bars only when stderr is a terminal."""

    def __init__(self, quiet: bool = False, console: Console | None = None):
        self.quiet = quiet
        self.console = console or Console(stderr=True)

    @property
    def live(self) -> bool:
        """Whether bars are drawn: not quiet, and the console is an interactive terminal."""
        return not self.quiet and self.console.is_terminal and not self.console.is_dumb_terminal

    def stage_done(self, name: str, cached: bool, seconds: float, note: str = "") -> None:
        if self.quiet:
            return
        state = "[dim]cached[/dim]" if cached else f"done in {seconds:.2f}s"
        extra = f" [dim]{note}[/dim]" if note else ""
        self.console.print(f"  {'•' if cached else '✓'} {name}: {state}{extra}")

    def info(self, message: str, soft_wrap: bool = False) -> None:
        """A message, wrapped at words to the terminal (continuation lines indented)."""
        if not self.quiet:
            self.console.print(wrapped(self.console, message), soft_wrap=True)

    def _progress(self) -> Progress:
        return Progress(TextColumn("  {task.description}"), BarColumn(), CountColumn(),
                        TimeElapsedColumn(), console=self.console, transient=True)

    def warn(self, message: str) -> None:
        """A message shown even when quiet (e.g. waiting for another run's lock)."""
        self.console.print(wrapped(self.console, message), style="yellow", markup=False,
                           highlight=False, soft_wrap=True)

    @contextmanager
    def bar(self, label: str, total: int, done: int = 0) -> Iterator[ItemBar]:
        """An item bar; yields an ``ItemBar`` (``advance(n=1)`` per result received,
        ``seen(n)`` for items that workers report finished). Nothing off a terminal."""
        if not self.live or total - done <= 1:
            yield ItemBar(None, None, done)
            return
        with self._progress() as progress:
            task = progress.add_task(label, total=total, completed=done, unit="items")
            yield ItemBar(progress, task, done)

    @contextmanager
    def board(self) -> Iterator[Board | None]:
        """Bars for works running elsewhere at once (``Board``); None off a terminal."""
        if not self.live:
            yield None
            return
        with self._progress() as progress:
            yield Board(progress)

    @contextmanager
    def progress(self, label: str) -> Iterator[ProgressCallback]:
        """A bar a component drives through ``ctx.progress(done, total, unit)``."""
        if not self.live:
            yield _ignore
            return
        with self._progress() as progress:
            task = progress.add_task(label, total=None, unit="")

            def report(done: float, total: float | None = None, unit: str = "") -> None:
                progress.update(task, completed=done, total=total, unit=unit)

            yield report

    @contextmanager
    def status(self, message: str) -> Iterator[None]:
        """A spinner for work that is not a stage (scoring, reports, MLflow logging)."""
        if not self.live:
            yield
            return
        with self.console.status(f"  {message}", spinner="dots"):
            yield


__all__ = ["Board", "ItemBar", "StageLog", "wrapped"]
