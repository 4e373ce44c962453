"""The response clock, worked by hand on the 2026 Chinese calendar (salesboard.calendar):
Spring Festival 2026-02-15 … 02-23 off, Saturday 02-14 and 02-28 are make-up working days
(调休), an ordinary weekend in March."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from salesboard.calendar.workdays import make_calendar
from salesboard.support.clock import (
    is_breach,
    late_against_expected,
    response_due,
    waited_days,
    with_clock,
)

CN = make_calendar("CN")
D = date


@pytest.mark.parametrize(
    ("requested", "responded", "as_of", "waited"),
    [
        # Fri → Tue after the festival: Sat 02-14 (调休) and Tue 02-24 count, 02-15…23 do not.
        (D(2026, 2, 13), D(2026, 2, 24), D(2026, 3, 1), 2),
        (D(2026, 2, 13), D(2026, 2, 25), D(2026, 3, 1), 3),
        # The 调休 Saturday itself is a working day: Fri → Sat is 1.
        (D(2026, 2, 13), D(2026, 2, 14), D(2026, 3, 1), 1),
        # An ordinary weekend: Fri 03-06 → Mon 03-09 is 1, → Tue 03-10 is 2.
        (D(2026, 3, 6), D(2026, 3, 9), D(2026, 3, 20), 1),
        (D(2026, 3, 6), D(2026, 3, 10), D(2026, 3, 20), 2),
        # Answered the same day: 0.
        (D(2026, 3, 6), D(2026, 3, 6), D(2026, 3, 20), 0),
        # Not answered: counted to the day looked at (Thu 02-12 → Sat 02-14 (调休) = 2).
        (D(2026, 2, 12), None, D(2026, 2, 14), 2),
        (D(2026, 2, 12), None, D(2026, 2, 23), 2),  # the festival does not count
        (D(2026, 2, 12), None, D(2026, 2, 24), 3),
        # Raised on a Sunday: the day off itself never counts, Monday is the first day.
        (D(2026, 3, 8), D(2026, 3, 9), D(2026, 3, 20), 1),
    ],
)
def test_waited_days_count_working_days_after_the_request(requested, responded, as_of, waited):
    assert waited_days(requested, responded, as_of, CN) == waited


def test_response_due_is_the_standard_th_working_day_after_the_request():
    assert response_due(D(2026, 2, 13), 2, CN) == D(2026, 2, 24)  # Sat 调休, then Tue
    assert response_due(D(2026, 2, 12), 2, CN) == D(2026, 2, 14)  # Fri, Sat (调休)
    assert response_due(D(2026, 3, 6), 1, CN) == D(2026, 3, 9)  # over the weekend
    assert response_due(D(2026, 3, 6), 0, CN) == D(2026, 3, 6)


@pytest.mark.parametrize(
    ("status", "requested", "responded", "standard", "as_of", "breach"),
    [
        # Technical proposal, 2 working days: Tue 02-24 is in time, Wed 02-25 is late.
        ("in_progress", D(2026, 2, 13), D(2026, 2, 24), 2, D(2026, 3, 2), False),
        ("closed", D(2026, 2, 13), D(2026, 2, 25), 2, D(2026, 3, 2), True),
        # Still waiting: in time through the festival, breaching on its first working day.
        ("open", D(2026, 2, 12), None, 2, D(2026, 2, 23), False),
        ("open", D(2026, 2, 12), None, 2, D(2026, 2, 24), True),
        # Price approval, 1 working day, over a weekend: Monday is in time.
        ("closed", D(2026, 3, 6), D(2026, 3, 9), 1, D(2026, 3, 20), False),
        ("closed", D(2026, 3, 6), D(2026, 3, 10), 1, D(2026, 3, 20), True),
        # Cancelled requests never breach, however long they waited.
        ("cancelled", D(2026, 2, 12), None, 2, D(2026, 3, 20), False),
    ],
)
def test_breach_is_more_working_days_than_the_standard(
    status, requested, responded, standard, as_of, breach
):
    assert is_breach(status, requested, responded, standard, as_of, CN) is breach


def test_a_company_day_off_does_not_count():
    calendar = make_calendar("CN", {D(2026, 3, 9): False})  # Monday off
    assert waited_days(D(2026, 3, 6), D(2026, 3, 10), D(2026, 3, 20), calendar) == 1
    assert not is_breach("closed", D(2026, 3, 6), D(2026, 3, 10), 1, D(2026, 3, 20), calendar)


def test_late_against_the_expected_date():
    assert late_against_expected("closed", D(2026, 3, 9), D(2026, 3, 10), D(2026, 3, 20))
    assert not late_against_expected("closed", D(2026, 3, 9), D(2026, 3, 9), D(2026, 3, 20))
    assert late_against_expected("open", D(2026, 3, 9), None, D(2026, 3, 10))
    assert not late_against_expected("open", None, None, D(2026, 3, 10))
    assert not late_against_expected("cancelled", D(2026, 3, 9), None, D(2026, 3, 10))


def test_the_frame_clock_applies_the_same_rule():
    rows = [
        ("in_progress", D(2026, 2, 13), D(2026, 2, 24), 2),
        ("closed", D(2026, 2, 13), D(2026, 2, 25), 2),
        ("open", D(2026, 2, 12), None, 2),
        ("open", D(2026, 3, 6), None, 1),
        ("cancelled", D(2026, 2, 12), None, 2),
    ]
    frame = pd.DataFrame(rows, columns=["status", "requested_on", "responded_on", "response_days"])
    as_of = D(2026, 2, 24)
    out = with_clock(frame, as_of, CN)
    assert list(out["waited_days"]) == [2, 3, 3, 0, 3]
    assert list(out["over_days"]) == [0, 1, 1, 0, 0]
    expected = [is_breach(s, r, a, n, as_of, CN) for s, r, a, n in rows]
    assert list(out["breached"]) == expected == [False, True, True, False, False]
    assert with_clock(frame.iloc[:0], as_of, CN)["breached"].dtype == bool
