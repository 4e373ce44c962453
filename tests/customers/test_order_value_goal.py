"""客单价 as a goal metric (issue 17: the customer value figures usable as goal metrics): the
goal facts of ``order_value`` average the won amounts over the won deals, so a rep's actual
is the average order value the customer pages read (``figures.customers``) for the same
deals and days — and a goal of that metric is attained against it like any average."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from salesboard.accounts.access import viewer_for
from salesboard.calendar.periods import parse_period
from salesboard.figures.attainment import viewer_attainment
from salesboard.figures.customers import customer_values
from salesboard.figures.facts import actual_value, metric_facts
from salesboard.goals.validation import GoalDraft
from salesboard.goals.writes import create_goal
from salesboard.store.db import create_store_engine, read_session, write_session
from salesboard.store.models import MONEY_METRICS, GoalMetric, GoalScope, Role, Team, User
from tests.conftest import DEMO_TODAY

TODAY = date.fromisoformat(DEMO_TODAY)


def test_order_value_goal_facts_are_the_customer_pages_average_order_value(demo_store):
    period = parse_period("2026Q3")
    engine = create_store_engine(demo_store)
    compared = 0
    with read_session(engine) as s:
        reps = s.execute(select(User).where(User.role == Role.REP).order_by(User.id)).scalars()
        for user in list(reps)[:6]:
            viewer = viewer_for(s, user)
            facts = metric_facts(s, viewer, GoalMetric.ORDER_VALUE, period.start, period.end,
                                 None, dims={"user_id": user.id}, by_day=True)  # fmt: skip
            actual = actual_value(facts["value_sum"].sum(), facts["value_count"].sum(),
                                  GoalMetric.ORDER_VALUE)  # fmt: skip
            value = customer_values(s, viewer, period.start, period.end)
            if value.average_order_minor is None:
                assert actual is None
                continue
            assert abs(actual - value.average_order_minor) <= 0.5, user.username  # rounding
            compared += 1
    engine.dispose()
    assert compared >= 3
    assert GoalMetric.ORDER_VALUE in MONEY_METRICS


def test_an_order_value_goal_is_attained_as_an_average(private_demo_env):
    engine = create_store_engine(private_demo_env)
    with read_session(engine) as s:
        rep = (
            s.execute(select(User).where(User.role == Role.REP).order_by(User.id)).scalars().first()
        )
        viewer = viewer_for(s, rep)
        value = customer_values(s, viewer, date(2026, 10, 1), TODAY)
    target_minor = 50_000_000  # 50万 a deal
    with write_session(engine) as s:
        admin = s.execute(select(User).where(User.role == Role.ADMIN)).scalars().first()
        region = s.get(Team, rep.team_id).region_id
        draft = GoalDraft(period="2026Q4", metric=GoalMetric.ORDER_VALUE, scope=GoalScope.REP,
                          target=Decimal(target_minor), region_id=region, team_id=rep.team_id,
                          user_id=rep.id, owner_id=rep.id)  # fmt: skip
        create_goal(s, viewer_for(s, admin), draft)
    with read_session(engine) as s:
        result = viewer_attainment(s, viewer_for(s, rep), "2026Q4", GoalMetric.ORDER_VALUE, TODAY)
    engine.dispose()
    assert result.target == target_minor
    assert abs(result.actual - value.average_order_minor) <= 0.5
    assert abs(result.ratio - result.actual / target_minor) < 1e-9
