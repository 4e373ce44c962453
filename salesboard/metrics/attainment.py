"""Goal attainment, win rate and pace against the share of the period elapsed."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

Number = int | float | Decimal

# "On track" when attainment is within this many ratio units (±5 percentage points) of the
# share of the period elapsed; above the band is "ahead", below it "behind".
PACE_BAND = 0.05
PACES = ("ahead", "on_track", "behind")
# Pace cannot be judged without an attainment (no target, or no actual).
PACE_UNKNOWN = "unknown"
# Guards the band edges against float noise (0.55 - 0.50 is 0.05000000000000004).
_EPSILON = 1e-9


def _is_missing(value: Number | None) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(value)
    except TypeError:
        return False


def attainment(
    actual: Number | None, target: Number | None, *, lower_is_better: bool = False
) -> float | None:
    """Attainment as a ratio (0.85 = 85 %): actual / target, or target / actual if lower is better.

    None when the target is missing or 0, or the actual is missing. With ``lower_is_better``
    (e.g. cycle days) an actual of 0 or less cannot be divided into; it meets any target, so
    it counts as exactly attained (1.0) rather than an unbounded ratio.
    """
    if _is_missing(actual) or _is_missing(target) or target == 0:
        return None
    if not lower_is_better:
        return float(actual) / float(target)
    if actual <= 0:
        return 1.0
    return float(target) / float(actual)


def win_rate(won: int, lost: int) -> float | None:
    """Share of closed opportunities that were won, as a ratio; None when nothing closed."""
    closed = won + lost
    if closed == 0:
        return None
    return won / closed


def time_elapsed_share(period_start: date, period_end: date, as_of: date) -> float:
    """Share (0–1) of the period's calendar days elapsed through ``as_of`` inclusive."""
    if period_end < period_start:
        raise ValueError(f"period ends ({period_end}) before it starts ({period_start})")
    total = (period_end - period_start).days + 1
    elapsed = (as_of - period_start).days + 1
    return min(max(elapsed / total, 0.0), 1.0)


def pace(attainment: float | None, elapsed: float) -> str:
    """ "ahead", "on_track" or "behind": attainment (ratio) vs share of the period elapsed.

    On track within ±``PACE_BAND`` (5 percentage points); "unknown" when attainment is None.
    Meant for cumulative metrics (revenue, visits), not for lower-is-better ones.
    """
    if attainment is None or _is_missing(attainment):
        return PACE_UNKNOWN
    gap = attainment - elapsed
    if gap > PACE_BAND + _EPSILON:
        return "ahead"
    if gap < -PACE_BAND - _EPSILON:
        return "behind"
    return "on_track"
