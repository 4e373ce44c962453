"""Progress of a long demo generation: one line per finished step with its own and the
running total of seconds, so a ten-minute-looking silence reads as work being done."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Report = Callable[[str], None]


def to_stderr(line: str) -> None:
    """Print one progress line to standard error at once (stdout keeps the summary)."""
    print(line, file=sys.stderr, flush=True)


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

    def record(self, name: str, began: float) -> None:
        """Report step ``name`` as begun at ``began`` (``time.perf_counter``) and ended now."""
        now = time.perf_counter()
        self.seconds[name] = self.seconds.get(name, 0.0) + now - began
        if self.report is not None:
            self.report(
                f"demo: {name:<34} {now - began:6.1f} s   (total {now - self.started:6.1f} s)"
            )
