"""Did it work? The arithmetic of an improvement action's check, pure (no database):

- windows: "after" runs from the action's start to the earlier of today and its due date;
  "before" is the same number of days just before the start;
- the change of the pilot teams and of the rest over those windows, and the
  difference-in-differences DiD = (pilot_after − pilot_before) − (rest_after − rest_before):
  how much more the pilots moved than the teams that did not change anything;
- a verdict in words: "too thin to tell" when a group has fewer than ``MIN_SAMPLE`` cases in
  a window or there is no rest group; otherwise worked / no clear effect / worse, judged on
  the DiD against ``MIN_EFFECT`` (in the metric's direction: fewer days is better).

Rates are ratios (0.15); their changes are shown in percentage points.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

# Fewer cases than this in any group and window: too thin to tell (leads, won deals, …).
MIN_SAMPLE = 20
# The smallest DiD called an effect: 2 percentage points for rates, 2 days for the cycle.
MIN_EFFECT = {"%": 0.02, "days": 2.0}


@dataclass(frozen=True)
class Windows:
    """The before and after windows (inclusive days), equally long."""

    before_start: date
    before_end: date
    after_start: date
    after_end: date

    @property
    def days(self) -> int:
        return (self.after_end - self.after_start).days + 1


def windows(start: date | None, due: date | None, today: date) -> Windows | None:
    """The windows of an action started on ``start`` and due on ``due`` as of ``today``: after
    = start → min(today, due), before = the same length ending the day before the start.
    None when the action has no start or has not started yet."""
    if start is None or start > today:
        return None
    end = min(today, due) if due is not None and due >= start else today
    length = (end - start).days + 1
    return Windows(start - timedelta(days=length), start - timedelta(days=1), start, end)


@dataclass(frozen=True)
class Cell:
    """One group in one window: the value (None: no cases) and the number of cases."""

    value: float | None
    sample: int


@dataclass(frozen=True)
class Comparison:
    """The four cells and what follows from them."""

    pilot_before: Cell
    pilot_after: Cell
    rest_before: Cell
    rest_after: Cell

    @property
    def pilot_change(self) -> float | None:
        return _change(self.pilot_before, self.pilot_after)

    @property
    def rest_change(self) -> float | None:
        return _change(self.rest_before, self.rest_after)

    @property
    def did(self) -> float | None:
        """(pilot_after − pilot_before) − (rest_after − rest_before); None if a cell is empty."""
        pilot, rest = self.pilot_change, self.rest_change
        return None if pilot is None or rest is None else pilot - rest


def _change(before: Cell, after: Cell) -> float | None:
    if before.value is None or after.value is None:
        return None
    return after.value - before.value


def verdict(comparison: Comparison, unit: str, lower_is_better: bool) -> str:
    """The verdict code: ``no_rest`` (no comparison group), ``too_thin`` (a cell under
    ``MIN_SAMPLE`` cases), ``worked`` (the DiD moved at least ``MIN_EFFECT`` the good way),
    ``worse`` (as much the bad way) or ``no_effect``."""
    cells = (comparison.pilot_before, comparison.pilot_after)
    rest = (comparison.rest_before, comparison.rest_after)
    if all(c.sample == 0 for c in rest):
        return "no_rest"
    if any(c.sample < MIN_SAMPLE for c in (*cells, *rest)) or comparison.did is None:
        return "too_thin"
    gain = -comparison.did if lower_is_better else comparison.did
    threshold = MIN_EFFECT.get(unit, 0.0)
    if gain >= threshold:
        return "worked"
    if gain <= -threshold:
        return "worse"
    return "no_effect"


def target_reached(value: float | None, target: float | None, lower_is_better: bool) -> bool:
    """Whether ``value`` meets ``target`` (at most it when lower is better)."""
    if value is None or target is None:
        return False
    return value <= target if lower_is_better else value >= target
