"""Period-over-period change (MoM / YoY) of a KPI."""

from __future__ import annotations

from salesboard.metrics.attainment import Number, _is_missing

# "rate" metrics are ratios (0.75 = 75 %) compared in percentage points; "amount" and
# "count" metrics are compared relative to the previous period.
CHANGE_KINDS = ("rate", "amount", "count")


def period_change(current: Number | None, previous: Number | None, *, kind: str) -> float | None:
    """Change vs the previous period: percentage points for "rate", a ratio for "amount"/"count".

    Rates are given as ratios: 0.75 vs 0.83 gives -8.0 (points). Amounts and counts give a
    relative change: 85 vs 100 gives -0.15. The relative change divides by the absolute
    previous value, so a rise from a negative amount (e.g. a margin) stays positive. None when
    either value is missing, or the previous value is 0 for a relative change.
    """
    if kind not in CHANGE_KINDS:
        raise ValueError(f"unknown change kind {kind!r}; choose one of {', '.join(CHANGE_KINDS)}")
    if _is_missing(current) or _is_missing(previous):
        return None
    if kind == "rate":
        return (float(current) - float(previous)) * 100.0
    if previous == 0:
        return None
    return (float(current) - float(previous)) / abs(float(previous))
