"""Working-day calendar: weekends, public holidays, China's make-up working weekends (调休)
and company overrides. Stage time standards are counted in these working days.

The public calendar comes from the maintained ``holidays`` package. China publishes next
year's schedule late each year; for a year not published yet the package still knows the
rule-based holidays but no make-up weekends. We fall back to that and report it through
``WorkCalendar.provisional_years`` instead of crashing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays
import numpy as np
import pandas as pd
from sqlalchemy import Date, Integer, column, values

from salesboard.accounts import audit
from salesboard.accounts.access import require
from salesboard.calendar import store_days
from salesboard.store.db import write_session
from salesboard.store.models import CalendarOverride
from salesboard.store.settings import get_settings

CALENDAR_KINDS = ("CN", "plain")
# Years the calendar is prepared for; dates outside still work (plain weekends only).
_FIRST_YEAR, _LAST_YEAR = 2015, 2040


@lru_cache(maxsize=4)
def _public_days(kind: str) -> tuple[frozenset[date], frozenset[date], frozenset[int]]:
    """(holidays, make-up working weekends, years with an official schedule) for ``kind``."""
    if kind == "plain":
        return frozenset(), frozenset(), frozenset(range(_FIRST_YEAR, _LAST_YEAR + 1))
    if kind != "CN":
        raise ValueError(f"unknown calendar {kind!r}; choose one of {', '.join(CALENDAR_KINDS)}")
    cn = holidays.country_holidays("CN", years=range(_FIRST_YEAR, _LAST_YEAR + 1))
    # weekend_workdays carries a few old years whatever is asked for: keep only our range.
    makeup = frozenset(
        d for d in getattr(cn, "weekend_workdays", ()) if _FIRST_YEAR <= d.year <= _LAST_YEAR
    )
    # A year with no make-up weekend at all has not been published yet (every year so far
    # has had some), so its working days are provisional.
    official = frozenset(d.year for d in makeup)
    return frozenset(cn.keys()), makeup, official


@dataclass(frozen=True)
class WorkCalendar:
    """Decides which days are working days; overrides win over the public calendar."""

    kind: str = "CN"
    overrides: Mapping[date, bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        holidays_, makeup, _ = _public_days(self.kind)
        # ``off`` holds only weekdays and ``extra`` only weekend days, so the two never
        # double-count in ``working_days_between_many``.
        off = {d for d in holidays_ if d.weekday() < 5}
        extra = {d for d in makeup if d.weekday() >= 5}
        for day, working in self.overrides.items():
            weekday = day.weekday() < 5
            if weekday:
                (off.discard if working else off.add)(day)
            else:
                (extra.add if working else extra.discard)(day)
        # Sorted numpy arrays make the vectorised counts below O(log n) per date.
        object.__setattr__(self, "_off", np.array(sorted(off), dtype="datetime64[D]"))
        object.__setattr__(self, "_extra", np.array(sorted(extra), dtype="datetime64[D]"))

    def is_working_day(self, day: date) -> bool:
        """True if ``day`` is a working day."""
        if day in self.overrides:
            return self.overrides[day]
        d64 = np.datetime64(day, "D")
        if _contains(self._extra, d64):
            return True
        return day.weekday() < 5 and not _contains(self._off, d64)

    def provisional_years(self, years: Iterable[int]) -> list[int]:
        """Those of ``years`` whose official holiday schedule is not yet known."""
        official = _public_days(self.kind)[2]
        return sorted({y for y in years if y not in official})

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 if end <= start).

        Entering a stage on Friday and looking on Monday gives 1: only Monday has passed.
        """
        return int(self.working_days_between_many(np.array([start], dtype="datetime64[D]"), end)[0])

    def working_days_between_many(self, starts, end: date | np.ndarray) -> np.ndarray:
        """Vectorised ``working_days_between`` for an array of start dates (NaT gives 0)."""
        starts = _to_days(starts)
        ends = np.broadcast_to(_to_days(end), starts.shape)
        valid = ~(np.isnat(starts) | np.isnat(ends))
        s = np.where(valid, starts, np.datetime64("2000-01-01")) + 1
        e = np.where(valid, ends, np.datetime64("2000-01-01")) + 1
        e = np.maximum(s, e)
        # Mon–Fri minus weekday holidays over [s, e), plus make-up weekend days in it.
        counts = np.busday_count(s, e, holidays=self._off)
        counts += np.searchsorted(self._extra, e) - np.searchsorted(self._extra, s)
        return np.where(valid, counts, 0)

    def latest_start_over(self, days: int, end: date) -> date:
        """The latest start date with more than ``days`` working days up to ``end``
        (``working_days_between``): the count only grows as the start moves back, so
        "more than ``days``" is exactly "started on or before this date" — a clock rule a
        query can apply to a date column."""
        span = 2 * max(days, 0) + 16
        while True:  # widen until the window reaches far enough back (long holidays)
            starts = np.datetime64(end, "D") - np.arange(span)
            over = self.working_days_between_many(starts, end) > days
            if over.any():
                return starts[int(np.argmax(over))].astype(date)
            span *= 2

    def day_numbers(self, first: date, last: date, name: str = "workday"):
        """A SQL table (``VALUES``) of every day from ``first`` to ``last``: ``day`` and
        ``number``, the working days after ``first`` up to that day. The working days
        between two of its days are the difference of their numbers (as
        ``working_days_between`` counts them): a query sums working days itself."""
        days = np.arange(np.datetime64(first, "D"), np.datetime64(last, "D") + 1)
        numbers = self.working_days_between_many(np.full(days.shape, days[0]), days)
        table = values(column("day", Date), column("number", Integer), name=name)
        return table.data(list(zip(days.astype(object), numbers.tolist(), strict=True)))

    def add_working_days(self, start: date, days: int) -> date:
        """The date ``days`` working days after ``start`` (``days`` >= 0)."""
        day = start
        remaining = days
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day


def _to_days(values) -> np.ndarray:
    """Any dates (python, numpy, pandas, with None/NaN/NaT) as a datetime64[D] array."""
    array = np.asarray(values)
    if array.dtype.kind == "M":  # fast path: already datetime64 (NaT included)
        return array.astype("datetime64[D]")
    flat = pd.to_datetime(
        pd.Series(np.atleast_1d(np.asarray(values, dtype=object))), errors="coerce"
    )
    days = flat.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    return days if np.ndim(values) else days.reshape(())


def _contains(sorted_days: np.ndarray, day: np.datetime64) -> bool:
    i = np.searchsorted(sorted_days, day)
    return bool(i < len(sorted_days) and sorted_days[i] == day)


def make_calendar(kind: str = "CN", overrides: Mapping[date, bool] | None = None) -> WorkCalendar:
    """Build a calendar of ``kind`` ("CN" or "plain") with company ``overrides``."""
    return WorkCalendar(kind=kind, overrides=dict(overrides or {}))


def load_calendar(session, kind: str | None = None) -> WorkCalendar:
    """The calendar configured for this company, with the overrides stored in the database."""
    from sqlmodel import select

    rows = session.exec(select(CalendarOverride)).all()
    return make_calendar(kind or get_settings().calendar, {r.day: r.is_working for r in rows})


def list_overrides(session) -> list:
    """Company days off / extra working days, oldest first."""
    from sqlmodel import select

    return list(session.exec(select(CalendarOverride).order_by(CalendarOverride.day)).all())


def set_override(session, day: date, is_working: bool, note: str = "", *, actor) -> None:
    """Make ``day`` a working day or a day off for this company (replaces an earlier entry).
    Admins only (``actor``); audited with the old and new values."""

    require(actor.is_admin, "admin_only", "only an admin may change the working calendar")
    if len(note) > 200:
        raise ValueError(f"note for {day.isoformat()} is {len(note)} characters; 200 at most")
    row = session.get(CalendarOverride, day)
    old = {} if row is None else {"is_working": row.is_working, "note": row.note}
    if row is None:
        session.add(CalendarOverride(day=day, is_working=is_working, note=note))
    else:
        row.is_working, row.note = is_working, note
    _write_into_store(session)
    before, after = audit.changed_fields(old, {"is_working": is_working, "note": note})
    if after:
        audit.record(
            session,
            actor,
            action="update" if old else "create",
            entity="calendar",
            entity_id=day.isoformat(),
            summary=f"{day.isoformat()} {'working day' if is_working else 'day off'} {note}",
            old=before,
            new=after,
        )


def remove_override(session, day: date, *, actor) -> bool:
    """Drop the company entry for ``day``; True if there was one. Admins only; audited."""

    require(actor.is_admin, "admin_only", "only an admin may change the working calendar")
    row = session.get(CalendarOverride, day)
    if row is not None:
        audit.record(
            session,
            actor,
            action="delete",
            entity="calendar",
            entity_id=day.isoformat(),
            summary=f"{day.isoformat()} {row.note}".strip(),
            old={"is_working": row.is_working, "note": row.note},
        )
        session.delete(row)
        _write_into_store(session)
    return row is not None


def _write_into_store(session) -> None:
    """The changed calendar into ``workday`` and the rollup's working days, in the same
    transaction as the change (``store_days``)."""
    session.flush()
    store_days.sync(session.connection(), load_calendar(session))


def sync_store_calendar(engine) -> date | None:
    """Write the store's configured calendar into it (``store_days.sync``) in a transaction
    of its own: after the schema was created or migrated, a restore, a changed calendar
    kind. The first day that changed, or None."""
    with write_session(engine) as session:
        return store_days.sync(session.connection(), load_calendar(session))


def provisional_years_in_store(session, years: tuple[int, ...]) -> list[int]:
    """Those of ``years`` whose official schedule the configured calendar does not have yet."""
    return load_calendar(session).provisional_years(years)


def is_working_day_in_store(session, day: date) -> bool:
    """Whether ``day`` is a working day under the company calendar (overrides included)."""
    return load_calendar(session).is_working_day(day)
