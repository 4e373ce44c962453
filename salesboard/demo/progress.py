"""Progress of a long demo generation: one line per finished step with its own and the
running total of seconds, so a ten-minute-looking silence reads as work being done; a long
counted step (the streamed deals, the index builds) also shows rows done of the total as a
bar that updates in place on a terminal, and a line every ``LOG_EVERY`` of it in a log."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Report = Callable[[str], None]
Advance = Callable[[int], None]
LOG_EVERY = 0.1  # a counted step writes a line per tenth of its total when not on a terminal
BAR_WIDTH = 30


def to_stderr(line: str) -> None:
    """Print one progress line to standard error at once (stdout keeps the summary)."""
    print(line, file=sys.stderr, flush=True)


def bar_line(name: str, done: int, total: int, seconds: float) -> str:
    """``name [#####.....] done/total  seconds`` (the total at least 1)."""
    filled = BAR_WIDTH * done // max(total, 1)
    bar = "#" * filled + "." * (BAR_WIDTH - filled)
    return f"demo: {name:<34} [{bar}] {done:,}/{total:,}  {seconds:6.1f} s"


class Steps:
    """Times named steps and reports each one when it ends (nothing without ``report``);
    ``seconds`` keeps every step's duration for the caller."""

    def __init__(self, report: Report | None = None) -> None:
        self.report = report
        self.started = time.perf_counter()
        self.seconds: dict[str, float] = {}

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time the block as step ``name`` and report it when it ends."""
        began = time.perf_counter()
        yield
        self.record(name, began)

    @contextmanager
    def counted(self, name: str, total: int) -> Iterator[Advance]:
        """Time the block as step ``name`` of ``total`` units; the block calls the yielded
        function with each batch of units done. On a terminal the bar is redrawn in place,
        elsewhere a line is written per ``LOG_EVERY`` of the total."""
        began = time.perf_counter()
        done = 0
        logged = 0.0
        live = self.report is to_stderr and sys.stderr.isatty()

        def advance(units: int) -> None:
            nonlocal done, logged
            done += units
            if self.report is None:
                return
            line = bar_line(name, done, total, time.perf_counter() - began)
            if live:
                print("\r" + line, end="", file=sys.stderr, flush=True)
            elif done / max(total, 1) >= logged + LOG_EVERY or done >= total:
                logged = done / max(total, 1)
                self.report(line)

        yield advance
        if live and self.report is not None:
            print(file=sys.stderr, flush=True)  # end the bar's line
        self.record(name, began)

    def record(self, name: str, began: float) -> None:
        """Report step ``name`` as begun at ``began`` (``time.perf_counter``) and ended now."""
        now = time.perf_counter()
        self.seconds[name] = self.seconds.get(name, 0.0) + now - began
        if self.report is not None:
            self.report(
                f"demo: {name:<34} {now - began:6.1f} s   (total {now - self.started:6.1f} s)"
            )
