"""The company calendar as the store's rollup triggers read it (``workday``, migration 0027):
the rollups sum the working days of the stays that ended, so stage pace per rep or team is
read from them instead of from every stay and its deal.

The calendar lives in Python (the ``holidays`` package, the settings' calendar kind, the
overrides in the store), so the application writes it into ``workday`` (``sync``) where the
calendar can change: a store created or migrated (``migrate``, the demo, the tests'
stores), a restore, a company day off or working day set or removed (in the same
transaction), and ``rollups --rebuild``. A reader never trusts the sums blindly:
``in_step`` compares the table with the calendar over the days that matter (a changed
calendar kind or a new ``holidays`` release not yet written, a table never written); when
they differ the reader counts the stays itself, slower and the same figures.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

import numpy as np
from sqlalchemy import Connection

from salesboard.store import rollups


class WorkCalendar(Protocol):
    """What is read of ``salesboard.calendar.workdays.WorkCalendar`` (which imports this
    module to write a changed calendar into the store)."""

    def working_days_between_many(self, starts, end) -> np.ndarray: ...


def working_flags(calendar: WorkCalendar, first: date, last: date) -> np.ndarray:
    """Whether each day from ``first`` to ``last`` is a working day (booleans, in order)."""
    days = np.arange(np.datetime64(first, "D"), np.datetime64(last, "D") + 1)
    return calendar.working_days_between_many(days - 1, days) == 1


def sync(conn: Connection, calendar: WorkCalendar) -> date | None:
    """Write ``calendar`` into ``workday`` and recompute the rollup's working days of the
    stays it changes, in the caller's transaction; the first day that changed, or None."""
    start, end = rollups.WORKDAY_SPAN
    return rollups.write_workdays(conn, working_flags(calendar, start, end).tolist())


def in_step(conn: Connection, calendar: WorkCalendar, last: date) -> bool:
    """Whether the rollup's working days of the stays that ended up to ``last`` are those
    ``calendar`` counts: every stay's days within the table's span, and the table's days
    from the earliest stay through ``last`` marked as ``calendar`` marks them."""
    within, low = rollups.stays_within_span(conn)
    if not within:
        return False
    if low is None or low > last:
        return True
    # One row per day (the day is the key): as many rows as days means none is missing.
    stored = rollups.stored_working_days(conn, low, last)
    wanted = working_flags(calendar, low, last)
    return len(stored) == len(wanted) and bool((stored["working"].to_numpy() == wanted).all())


__all__ = ["in_step", "sync", "working_flags"]
