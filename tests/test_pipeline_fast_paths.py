"""The pipeline review's shortcuts give the same answers as the plain rules, on the default
demo company in SQLite and PostgreSQL (8,000 deals, hundreds open) looking back and ahead from its business date:

- the SQL pre-filter of deals that may be overdue drops none that are;
- "newly overdue" reads past activity only for the deals it cannot decide without it;
- a limited week of changes counts every change and keeps each kind's biggest deals.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from sqlmodel import Session, select

from salesboard import metrics
from salesboard.accounts.access import SYSTEM
from salesboard.calendar.workdays import load_calendar
from salesboard.pipeline import changes, overdue
from salesboard.pipeline.deals import open_opportunities_for_overdue
from salesboard.store.filters import OpportunityFilter
from salesboard.store.models import Stage
from tests.conftest import BACKENDS, DEMO_TODAY, demo_company

ALL = OpportunityFilter()
TODAY = date.fromisoformat(DEMO_TODAY)
# Looking back a few days and ahead (the deals that fall due if nothing happens) over
# weekends, month ends and New Year's Day.
TIGHT_LIMITS = {
    "lead": (3, 2), "needs_analysis": (4, 9), "proposal": (12, 3),
    "negotiation": (2, 15), "contract": (1, 1), "delivery": (30, 4),
}  # fmt: skip
DAYS = [TODAY + timedelta(days=n) for n in (-3, -1, 0, 1, 5, 6, 12, 39, 45)]


@pytest.fixture(scope="module", params=BACKENDS)
def demo_session(request, tmp_path_factory):
    # Both backends: the pre-filter's SQL is shaped for PostgreSQL's planner as well.
    with demo_company(request, tmp_path_factory, size="default", seed=7, today=TODAY) as engine:
        with Session(engine) as session:
            # Short and uneven limits put many deals right at a boundary of each clock, and
            # make deals idle a week ago but busy (and late on another clock) now.
            for code, (standard, idle) in TIGHT_LIMITS.items():
                stage = session.exec(select(Stage).where(Stage.code == code)).one()
                stage.standard_days, stage.idle_days = standard, idle
                session.add(stage)
            session.commit()
            yield session, load_calendar(session)


def ranked(frame: pd.DataFrame) -> list[tuple]:
    return list(
        frame[["opportunity_id", "severity", "days_over", "idle_working_days"]].itertuples(
            index=False, name=None
        )
    )


@pytest.mark.parametrize("day", DAYS)
def test_prefilter_keeps_every_overdue_deal(demo_session, day):
    session, calendar = demo_session
    every_open = open_opportunities_for_overdue(session)
    may_be = open_opportunities_for_overdue(session, overdue_on=day)
    expected = metrics.overdue_opportunities(every_open, day, calendar)
    assert len(expected) > 0, "the demo should have overdue deals on every day checked"
    # It never drops a deal the rule flags, and the clocks of those it keeps are unchanged.
    assert ranked(metrics.overdue_opportunities(may_be, day, calendar)) == ranked(expected)
    if day == TODAY:
        # It really drops deals (else it would be pointless): those plainly on time.
        assert len(expected) <= len(may_be) < len(every_open)


@pytest.mark.parametrize("day", DAYS)
def test_newly_overdue_matches_reading_every_past_activity(demo_session, day):
    session, calendar = demo_session
    since = day - timedelta(days=7)
    frame = open_opportunities_for_overdue(session, since=since)
    now = metrics.overdue_opportunities(frame, day, calendar)
    # The plain way: rebuild every overdue deal as it stood a week ago, activity included.
    then_input = overdue.frame_as_of(
        session, frame[frame["opportunity_id"].isin(now["opportunity_id"])], since
    )
    then = metrics.overdue_opportunities(then_input, since, calendar)
    expected = sorted(set(now["opportunity_id"]) - set(then["opportunity_id"]))
    review = overdue.overdue_review(session, SYSTEM, ALL, day, (), 0, calendar)
    assert sorted(review.newly_overdue["opportunity_id"]) == expected
    assert review.total == len(now)


@pytest.mark.parametrize("day", DAYS[:4])
def test_limited_week_counts_everything_and_keeps_the_biggest(demo_session, day):
    session, calendar = demo_session
    every = changes.week_changes(session, SYSTEM, ALL, day, 7, calendar).rows
    limit = 5
    week = changes.week_changes(session, SYSTEM, ALL, day, 7, calendar, limit)
    pd.testing.assert_frame_equal(week.summary, changes.change_summary(every))
    assert (week.summary["count"] > limit).any(), "some kind should be cut by the limit"
    for kind, rows in every.groupby("kind"):
        kept = week.rows[week.rows["kind"] == kind]
        assert len(kept) == min(limit, len(rows))
        # The kept rows are those with the biggest amounts, with the same values.
        assert (
            sorted(kept["amount_minor"], reverse=True)
            == sorted(rows["amount_minor"], reverse=True)[:limit]
        )
        merged = kept.merge(rows, on=list(changes.CHANGE_COLUMNS), how="left", indicator=True)
        assert (merged["_merge"] == "both").all()
