"""Progress display: rich bars on stages with many items, one line per finished stage."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class StageLog:
    """Prints stage status to stderr unless quiet."""

    def __init__(self, quiet: bool = False, console: Console | None = None):
        self.quiet = quiet
        self.console = console or Console(stderr=True)

    def stage_done(self, name: str, cached: bool, seconds: float, note: str = "") -> None:
        if self.quiet:
            return
        state = "[dim]cached[/dim]" if cached else f"done in {seconds:.2f}s"
        extra = f" [dim]{note}[/dim]" if note else ""
        self.console.print(f"  {'•' if cached else '✓'} {name}: {state}{extra}")

    def info(self, message: str) -> None:
        if not self.quiet:
            self.console.print(message)

    def warn(self, message: str) -> None:
        """A message shown even when quiet (e.g. waiting for another run's lock)."""
        self.console.print(message, style="yellow", markup=False, highlight=False,
                           soft_wrap=True)

    @contextmanager
    def bar(self, label: str, total: int, done: int = 0) -> Iterator[callable]:
        """A progress bar; yields an ``advance()`` callable. No bar when quiet or tiny."""
        if self.quiet or total - done <= 1:
            yield lambda n=1: None
            return
        progress = Progress(
            TextColumn("  {task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), console=self.console, transient=True,
        )
        with progress:
            task = progress.add_task(label, total=total, completed=done)
            yield lambda n=1: progress.advance(task, n)


__all__ = ["StageLog"]
