"""The progress bar of a scan (rich, on stderr), shown only when both stdout and stderr are terminals."""

from __future__ import annotations

import sys
from typing import Any


class ScanProgress:
    """A rich progress bar (points, points/s, ETA) on stderr, or nothing."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._p: Any = None
        self._task: Any = None

    def __enter__(self) -> ScanProgress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                ProgressColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.text import Text

            class _Rate(ProgressColumn):
                def render(self, task: Any) -> Text:
                    speed = task.finished_speed or task.speed
                    return Text("" if speed is None else f"{speed:,.0f} {task.fields.get('unit', '')}/s")

            self._p = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[unit]}"),
                _Rate(),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
            )
            self._p.__enter__()
        return self

    def stage(self, description: str, total: int, completed: int = 0, unit: str = "points") -> None:
        if self._p is not None:
            if self._task is not None:
                self._p.update(self._task, visible=True)
            self._task = self._p.add_task(description, total=total, completed=completed, unit=unit)

    def advance(self, n: int) -> None:
        if self._p is not None and self._task is not None:
            self._p.advance(self._task, n)

    def __exit__(self, *exc: Any) -> None:
        if self._p is not None:
            self._p.__exit__(*exc)


def want_progress(progress: bool) -> bool:
    """A bar when asked for (not ``--quiet``) and both stdout and stderr are terminals."""
    return bool(progress) and sys.stderr.isatty() and sys.stdout.isatty()


__all__ = ["ScanProgress", "want_progress"]
