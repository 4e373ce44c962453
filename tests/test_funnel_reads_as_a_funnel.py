"""The review's default funnel reads as a funnel (issue 13 item 3): on the demo company, for
the whole company, every team and every rep, in the week, month and quarter around the demo
day, no stage holds more deals (or more money) than the one before it and no conversion is
above 100 %; the flow's conversions, computed on the same deals, stay at or below 100 % too.
(Until issue 13 the default was the flow with conversions between different deals: delivery
35 > contract 27 shown as 129.6 %.)"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from sqlalchemy import select

from salesboard.accounts.access import SYSTEM
from salesboard.calendar.periods import period_containing, previous_period
from salesboard.pipeline import funnel
from salesboard.store.db import create_store_engine, read_session
from salesboard.store.filters import OpportunityFilter
from salesboard.store.models import Role, Team, User
from tests.conftest import DEMO_TODAY

TODAY = date.fromisoformat(DEMO_TODAY)
PERIODS = [
    p
    for kind in ("week", "month", "quarter")
    for p in (period_containing(kind, TODAY), previous_period(period_containing(kind, TODAY)))
]


@pytest.fixture(scope="module")
def scopes(demo_store) -> list[tuple[str, OpportunityFilter]]:
    engine = create_store_engine(demo_store)
    with read_session(engine) as s:
        teams = s.execute(select(Team.id).order_by(Team.id)).scalars().all()
        reps = (
            s.execute(select(User.id).where(User.role == Role.REP).order_by(User.id))
            .scalars()
            .all()
        )
    engine.dispose()
    return (
        [("company", OpportunityFilter())]
        + [(f"team {t}", OpportunityFilter(team_ids=(t,))) for t in teams]
        + [(f"rep {r}", OpportunityFilter(owner_ids=(r,))) for r in reps]
    )


def assert_reads_as_a_funnel(frame, where) -> None:
    reached = frame["reached"].to_numpy()
    amount = frame["amount_minor"].to_numpy()
    assert (np.diff(reached) <= 0).all(), (where, reached.tolist())
    assert (np.diff(amount) <= 0).all(), (where, amount.tolist())
    assert_conversions_at_most_one(frame, where)


def assert_conversions_at_most_one(frame, where) -> None:
    for column in ("conversion", "from_first"):
        values = frame[column].dropna().to_numpy()
        assert (values <= 1 + 1e-12).all(), (where, column, values.tolist())


def test_the_default_funnel_never_widens_for_any_team_or_rep(demo_store, scopes):
    assert funnel.DEFAULT_MODE == "cohort"
    engine = create_store_engine(demo_store)
    checked = 0
    with read_session(engine) as s:
        for name, filters in scopes:
            for period in PERIODS:
                frame = funnel.stage_funnel(s, SYSTEM, period, filters)  # the default mode
                assert_reads_as_a_funnel(frame, (name, period.label))
                flow = funnel.stage_funnel(s, SYSTEM, period, filters, "flow")
                assert_conversions_at_most_one(flow, (name, period.label, "flow"))
                checked += int(frame["reached"].iloc[0] > 0)
    engine.dispose()
    assert checked > len(scopes)  # most of the funnels have deals in them
