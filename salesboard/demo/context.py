"""What every demo table builder shares: the size, the seed, the working-day axis and the
stages, plus the small date and sampling helpers they use.

Time model: all stage changes happen on working days. Dates are handled as indices into the
sorted array of working days, so "n working days after d" is ``index + n``; this matches
``WorkCalendar.add_working_days``. Opportunities are created from three months before the
first goal month, so the first goal months already have a pipeline closing; goals run from
the quarter 18 months before ``today`` to the end of ``today``'s year.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import numpy as np

from salesboard.calendar.workdays import WorkCalendar
from salesboard.demo.sizes import DemoSize
from salesboard.store import models as m
from salesboard.store.reference_data import DEFAULT_STAGES

NOT_YET = 10**9  # workday index meaning "not (yet) happened"


class DemoContext:
    """The demo's clock and settings: working days as indices, one random stream per table."""

    def __init__(
        self, spec: DemoSize, seed: int, today: date, calendar: WorkCalendar, stage_ids: dict
    ) -> None:
        self.spec = spec
        self.seed = seed
        self.today = today
        self.goal_start = quarter_start(add_months(today.replace(day=1), -18))
        self.data_start = add_months(self.goal_start, -3)
        self.goal_end = date(today.year, 12, 31)
        first = np.datetime64(self.data_start - timedelta(days=400), "D")
        days = np.arange(first, np.datetime64(today + timedelta(days=5 * 366), "D"))
        working = calendar.working_days_between_many(days - 1, days) == 1
        self.workdays = days[working]
        self.today_idx = int(np.searchsorted(self.workdays, np.datetime64(today, "D"), "right")) - 1
        self.start_idx = int(np.searchsorted(self.workdays, np.datetime64(self.data_start, "D")))
        self.stages = [s for s in DEFAULT_STAGES if s.kind != m.StageKind.LOST]
        self.standard = np.array([s.standard_days for s in self.stages])
        # Column c of the stage walk is stage ``stage_col_ids[c]``; column 6 is "lost".
        self.stage_col_ids = np.array(
            [stage_ids[s.code] for s in self.stages] + [stage_ids["lost"]]
        )
        self.created_at = datetime.combine(self.data_start, datetime.min.time(), UTC)
        # Deals created before this working day get no key actions (``NOT_YET``: none do).
        self.key_action_from = -1
        if spec.key_action_months is not None:
            since = np.datetime64(add_months(today.replace(day=1), -spec.key_action_months), "D")
            self.key_action_from = int(np.searchsorted(self.workdays, since))
        self.part: int | None = None  # which chunk of a streamed generation, if any

    def rng(self, part: int) -> np.random.Generator:
        """An independent stream per table, so changing one table leaves the others alone
        (and per chunk of a streamed generation, so each chunk draws its own)."""
        key = [self.seed, part] if self.part is None else [self.seed, part, self.part]
        return np.random.default_rng(key)

    def chunk(self, k: int) -> DemoContext:
        """This context for chunk ``k`` of a streamed generation: its own random streams."""
        part = copy.copy(self)
        part.part = k
        return part

    def dates(self, idx: np.ndarray) -> np.ndarray:
        """Working-day indices to ``datetime64[D]`` (``NOT_YET`` gives NaT)."""
        ext = np.append(self.workdays, np.datetime64("NaT"))
        idx = np.where(idx >= NOT_YET, len(ext) - 1, np.minimum(idx, len(ext) - 2))
        return ext[idx]


def pick_weighted(
    rng: np.random.Generator, options: Sequence[tuple[str, float]], n: int
) -> np.ndarray:
    """``n`` labels drawn from ``(label, weight)`` pairs (the weights need not add up to 1)."""
    labels = np.array([o for o, _ in options], dtype=object)
    weights = np.array([w for _, w in options])
    return labels[rng.choice(len(labels), size=n, p=weights / weights.sum())]


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after ``day``'s month."""
    years, month0 = divmod(day.month - 1 + months, 12)
    return date(day.year + years, month0 + 1, 1)


def quarter_start(day: date) -> date:
    """The first day of ``day``'s quarter."""
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_label(day: date) -> str:
    """The goal period label of ``day``'s quarter, e.g. "2026Q2"."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"
