"""The response clock of a support request, in working days of the company calendar
(``salesboard.calendar.workdays``: weekends, public holidays, 调休 make-up days, company
overrides). Pure functions.

The clock (pinned by tests/support/test_clock.py):
- it starts on the company-calendar day the request was raised (``requested_on``) and
  counts the working days *after* it, up to and including the day of the first response
  (``working_days_between``: raised on Friday, answered on Monday → 1 working day);
- the first response is the first step a department person takes: accepting it, a progress
  note, or closing it;
- **breach**: the response took more working days than the type's standard; a request still
  waiting (open, not answered) breaches as soon as the working days since it was raised, up
  to the day looked at (``as_of``), exceed the standard. Cancelled requests never breach;
- the response is due by the end of ``response_due`` (the standard-th working day after the
  request day); a request raised on a day off starts counting on the next working day all
  the same (the day off itself is never counted);
- separately, a request is *late against its expected date* when it is closed after the
  date the rep asked for (or still open past it).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from salesboard.calendar.workdays import WorkCalendar

WAITING = ("open",)  # not answered yet: the clock runs
ANSWERED = ("in_progress", "closed")
CANCELLED = "cancelled"


def waited_days(
    requested_on: date, responded_on: date | None, as_of: date, calendar: WorkCalendar
) -> int:
    """Working days from the request to its first response (to ``as_of`` while unanswered)."""
    return calendar.working_days_between(requested_on, responded_on or as_of)


def response_due(requested_on: date, standard_days: int, calendar: WorkCalendar) -> date:
    """The last day a response is in time: the ``standard_days``-th working day after the
    request day (the request day itself when the standard is 0)."""
    return calendar.add_working_days(requested_on, max(int(standard_days), 0))


def is_breach(
    status: str,
    requested_on: date,
    responded_on: date | None,
    standard_days: int,
    as_of: date,
    calendar: WorkCalendar,
) -> bool:
    """Whether the request breached its response standard as seen on ``as_of``."""
    if status == CANCELLED:
        return False
    if responded_on is None and status not in WAITING:
        return False  # closed without a stamp cannot happen through the writes
    return waited_days(requested_on, responded_on, as_of, calendar) > standard_days


def late_against_expected(
    status: str, expected_on: date | None, closed_on: date | None, as_of: date
) -> bool:
    """Closed after the expected date, or not closed and the expected date has passed."""
    if expected_on is None or status == CANCELLED:
        return False
    return (closed_on or as_of) > expected_on


def with_clock(frame: pd.DataFrame, as_of: date, calendar: WorkCalendar) -> pd.DataFrame:
    """``frame`` (columns ``status, requested_on, responded_on, response_days``) with
    ``waited_days`` (working days to the first response, to ``as_of`` while unanswered),
    ``over_days`` (working days past the standard, 0 when in time) and ``breached`` —
    the rule of ``is_breach``, vectorised."""
    out = frame.copy()
    if out.empty:
        for column, dtype in (("waited_days", "int64"), ("over_days", "int64"),
                              ("breached", "bool")):  # fmt: skip
            out[column] = pd.Series(dtype=dtype)
        return out
    answered = pd.to_datetime(out["responded_on"]).to_numpy(dtype="datetime64[D]")
    ends = np.where(np.isnat(answered), np.datetime64(as_of, "D"), answered)
    waited = calendar.working_days_between_many(
        pd.to_datetime(out["requested_on"]).to_numpy(dtype="datetime64[D]"), ends
    )
    standard = out["response_days"].fillna(0).astype("int64").to_numpy()
    counted = (out["status"] != CANCELLED).to_numpy() & (
        ~np.isnat(answered) | out["status"].isin(WAITING).to_numpy()
    )
    out["waited_days"] = waited.astype("int64")
    out["over_days"] = np.where(counted, np.maximum(waited - standard, 0), 0).astype("int64")
    out["breached"] = counted & (waited > standard)
    return out
