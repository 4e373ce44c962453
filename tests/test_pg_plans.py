"""The dashboards' indexes, justified by PostgreSQL's plans for the app's own queries.

Each case calls an app function on the default demo store (8,000 deals), captures every
statement it sends (with its parameters) and asks PostgreSQL for the plan (``EXPLAIN
(FORMAT JSON)``): one index of each expected group must be in the plans. Sequential scans
are switched off (a store this small fits a few pages, and a scan would win there); the
planner still chooses between the indexes by their cost. The same functions were checked on
the 10M-deal xl demo with sequential scans on (README, Benchmarks): where the small store's
choice differs, the group names both. A query rewritten so that no expected index serves it
(a function around the column, a dropped equality column) fails here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, event, select

from salesboard import demo
from salesboard.accounts.access import SYSTEM, viewer_for
from salesboard.calendar.periods import month
from salesboard.customers.directory import customer_deals
from salesboard.customers.matrix import region_matrix
from salesboard.customers.settings import load_settings
from salesboard.feedback.actuals import collections_by
from salesboard.figures.facts import DIMENSIONS, metric_facts
from salesboard.figures.sales import closed_deals, key_action_rates, open_pipeline
from salesboard.goals.forecast import open_pipeline_as_of, win_rates_as_of
from salesboard.pipeline.board import pipeline_board
from salesboard.pipeline.durations import stage_duration_summary, stage_pace
from salesboard.pipeline.funnel import flow_funnel
from salesboard.pipeline.opportunity import opportunity_card, opportunity_stays
from salesboard.pipeline.overdue import overdue_count
from salesboard.pipeline.ratings import rating_means
from salesboard.store.db import create_store_engine, read_session
from salesboard.store.filters import NO_FILTER, OpportunityFilter
from salesboard.store.models import GoalMetric, Role, User
from salesboard.store.tables import OPP

TODAY = date(2026, 11, 23)
SIZE = "default"
QUARTER = (date(2026, 7, 1), date(2026, 9, 30))
POINTS = [(TODAY, date(2026, 12, 31)), (date(2026, 8, 20), date(2026, 9, 30))]


@pytest.fixture(scope="module")
def planned_store(pg_factory) -> Iterator[Engine]:
    """A PostgreSQL store with the default demo company, vacuumed and analysed as
    autovacuum leaves a store that settled (index-only scans need the visibility map)."""
    url = pg_factory.create()
    engine = create_store_engine(url)
    demo.generate(engine, size=SIZE, seed=42, today=TODAY)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
    yield engine
    engine.dispose()
    pg_factory.drop(url)


def statements_of(engine: Engine, run: Callable[[Any], object]) -> list[tuple[str, Any]]:
    """Every SELECT ``run(session)`` sends, with its parameters, as the driver got them."""
    sent: list[tuple[str, Any]] = []

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        with read_session(engine) as session:
            run(session)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    return sent


def indexes_used(engine: Engine, run: Callable[[Any], object], *, seqscan: bool = False) -> set:
    """The names of the indexes in the plans of the statements ``run(session)`` sends
    (sequential scans off unless ``seqscan``)."""
    statements = statements_of(engine, run)
    used: set[str] = set()
    with engine.connect() as conn:
        if not seqscan:
            conn.exec_driver_sql("SET enable_seqscan = off")
        for statement, parameters in statements:
            plan = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters)
            used |= set(_index_names(plan.scalar_one()))
        conn.rollback()
    return used


def _index_names(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if "Index Name" in node:
            yield node["Index Name"]
        for value in node.values():
            yield from _index_names(value)
    elif isinstance(node, list):
        for value in node:
            yield from _index_names(value)


def _manager(session):
    user = session.scalars(select(User).where(User.role == Role.MANAGER).order_by(User.id)).first()
    return viewer_for(session, user)


def _rep(session):
    user = session.scalars(select(User).where(User.role == Role.REP).order_by(User.id)).first()
    return viewer_for(session, user)


def _all(session, by: str) -> list[int]:
    """Every rep's id (``by`` "owner") or every team's."""
    column = OPP.c.owner_id if by == "owner" else OPP.c.team_id
    return list(session.execute(select(column).distinct()).scalars())


def _first_customer(session) -> int:
    return session.execute(select(OPP.c.customer_id).order_by(OPP.c.id).limit(1)).scalar_one()


def _first_deal_stays(session):
    code = session.execute(select(OPP.c.code).order_by(OPP.c.id).limit(1)).scalar_one()
    return opportunity_stays(session, opportunity_card(session, SYSTEM, code), TODAY)


# Per case: the app function, then groups of indexes; the plans must use one index of each
# group. A group of two names an index and the wider one sharing its leading columns that
# the planner takes instead on this small store (the first is the one taken at 10M deals).
CASES: dict[str, tuple[Callable[[Any], object], tuple[set[str], ...]]] = {
    # Won and lost in a period: one (kind, day) range of the rollups' key (or of the narrower
    # index sharing its first columns, which PostgreSQL also takes at 10M) each; with a
    # source filter (which the rollups do not keep), one (status, day) range of the deals.
    "won and lost in a period": (
        lambda s: closed_deals(s, SYSTEM, *QUARTER),
        ({"pk_deal_rollup", "ix_deal_rollup_kind_day_stage_deals"},),
    ),
    "won and lost of a source in a period": (
        lambda s: closed_deals(
            s, SYSTEM, *QUARTER, filters=OpportunityFilter(sources=("website",))
        ),
        (
            {"ix_opportunity_status_won_on", "ix_opportunity_won_dims"},
            {"ix_opportunity_status_lost_on", "ix_opportunity_lost_stage"},
        ),
    ),
    # The board's columns: the open range of (status, stage, amount), index only.
    "open pipeline by stage": (
        lambda s: open_pipeline(s, SYSTEM, by="stage"),
        ({"ix_opportunity_status_stage"},),
    ),
    # A manager's open pipeline: the open range of the stage clocks index carries the team
    # and the amount (index only); ix_opportunity_team_status is not taken.
    "a team's open pipeline": (
        lambda s: open_pipeline(s, _manager(s), by="stage"),
        ({"ix_opportunity_open_clocks"},),
    ),
    # Durations: per stage, the stays that ended in the period.
    "stays ended in a period": (
        lambda s: stage_duration_summary(s, SYSTEM, month(2026, 10), NO_FILTER),
        ({"ix_stage_history_stage_left"},),
    ),
    # The funnel's furthest stage of each deal that entered a stage in the period (the
    # entries themselves are a parallel sequential scan at 10M: a month is 5 % of them).
    "entered a stage in a period": (
        lambda s: flow_funnel(s, month(2026, 10)),
        ({"ix_stage_history_opportunity_stage"},),
    ),
    # A customer's page: its deals.
    "a customer's deals": (
        lambda s: customer_deals(s, SYSTEM, _first_customer(s)),
        ({"ix_opportunity_customer_id", "ix_opportunity_customer_won"},),
    ),
    # A manager's customer matrix: the customers their teams' deals are with, and those
    # deals' won value and open pipeline per customer, from the team index alone.
    "a manager's customer matrix": (
        lambda s: region_matrix(s, _manager(s), load_settings(s), TODAY),
        ({"ix_opportunity_team_won_customer"},),
    ),
    # New customers: the customers whose first won deal (kept on the customer with its
    # owner, team and region, migrations 0029 and 0031) fell in the period, one range by
    # that day, for everyone and for a manager's teams.
    "new customers": (
        lambda s: [
            metric_facts(s, v, GoalMetric.NEW_CUSTOMERS, *QUARTER, None)
            for v in (SYSTEM, _manager(s))
        ],  # fmt: skip
        ({"ix_customer_first_won"},),
    ),
    # The forecast's stage win rates: a year of won and lost rollups per day and stage, from
    # the (kind, day, stage, deals) index alone.
    "stage win rates over a year": (
        lambda s: win_rates_as_of(s, [TODAY]),
        ({"ix_deal_rollup_kind_day_stage_deals"},),
    ),
    # The forecast's open pipeline at past days (its back-test), for everyone and for a
    # manager's teams: each as-of point is its month's first day and the changes since in
    # the open pipeline (migration 0032), not half a year of stays and a seek of each one's
    # deal.
    "the open pipeline at past days": (
        lambda s: [
            open_pipeline_as_of(s, v, dict.fromkeys(DIMENSIONS), POINTS, TODAY)
            for v in (SYSTEM, _manager(s))
        ],  # fmt: skip
        ({"pk_open_pipeline"},),
    ),
    # A manager's and a rep's key actions: the actions' copy of their deal's team or owner
    # (migration 0029), one range of the team- or owner-first index each, no deal read.
    "a manager's and a rep's key actions": (
        lambda s: [
            key_action_rates(s, v, *QUARTER, QUARTER[1], by=by)
            for v in (_manager(s), _rep(s))
            for by in ("owner", "team")
        ],  # fmt: skip
        ({"ix_key_action_deal_team_planned"}, {"ix_key_action_deal_owner_planned"}),
    ),
    # Everyone's key actions per rep: the period's rows of the key-action rollup (migration
    # 0034), after finding nothing done after the day in one range per stage of the (stage,
    # done day) index, not every action of the period.
    "everyone's key actions": (
        lambda s: key_action_rates(s, SYSTEM, *QUARTER, TODAY, by="owner"),
        ({"pk_key_action_rollup"}, {"ix_key_action_stage_done"}),
    ),
    # The overdue count: the open deals' clocks and next key action from the open-clocks
    # index, and the won deals in delivery from the partial index of deals with a next
    # action (no seek into the key actions per deal; migration 0025).
    "the overdue count": (
        lambda s: overdue_count(s, SYSTEM, TODAY),
        ({"ix_opportunity_open_clocks"}, {"ix_opportunity_next_action"}),
    ),
    # The board's delivery column: the won deals with a next action, their amount and id
    # from the partial index alone (migration 0026), for a leader and a manager.
    "the board's delivery column": (
        lambda s: [pipeline_board(s, v, NO_FILTER, TODAY) for v in (SYSTEM, _manager(s))],
        ({"ix_opportunity_next_action"},),
    ),
    # Stage pace per rep and per team (scorecards, top performers): the stays that ended and
    # their working days from the partial index of the rollup's stays left, index only
    # (migration 0027), for a leader and a manager.
    "stage pace per rep and team": (
        lambda s: [
            stage_pace(s, v, *QUARTER, by=by)
            for v in (SYSTEM, _manager(s))
            for by in ("owner", "team")
        ],  # fmt: skip
        ({"ix_deal_rollup_stays_left"},),
    ),
    # Collections and ratings per rep and per team (scorecards): the instalments due and the
    # ratings given in the period with their copy of the deal's owner and team, from their
    # covering indexes alone (migration 0028).
    "collections and ratings per rep and team": (
        lambda s: [
            (
                collections_by(s, _all(s, by), [month(2026, 10)], by=by),
                rating_means(s, SYSTEM, *QUARTER, by=by),
            )
            for by in ("owner", "team")
        ],  # fmt: skip
        # Every rep's instalments of a month: 8,000 deals' few are read by day here, at
        # 10M the owner index answers (600 ranges, index only, 0.35 s for a quarter).
        (
            {"ix_collection_owner_due", "ix_collection_due_on"},
            {"ix_collection_team_due"},
            {"ix_deal_rating_rated_owner"},
        ),
    ),
    # A deal's card: its stays.
    "a deal's stage history": (
        _first_deal_stays,
        ({"ix_stage_history_opportunity_id", "ix_stage_history_opportunity_stage"},),
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_query_uses_its_index(planned_store, case):
    run, groups = CASES[case]
    used = indexes_used(planned_store, run)
    missing = [sorted(group) for group in groups if not group & used]
    assert not missing, f"{case}: none of {missing} in the plans, which use {sorted(used)}"


def _subplans(node: dict) -> list[str]:
    """The node types of ``node``'s plan tree that run as a SubPlan (once per outer row
    unless hashed)."""
    found = [node["Node Type"]] if node.get("Parent Relationship") == "SubPlan" else []
    for child in node.get("Plans", []):
        found += _subplans(child)
    return found


@pytest.mark.parametrize("role", [Role.MANAGER, Role.REP])
def test_the_customers_in_sight_join_once(planned_store, role):
    """Who sees which customers is one semi-join against the ids in sight, with sequential
    scans allowed as at 10M: an OR of two IN-subqueries planned a SubPlan that PostgreSQL
    re-ran per customer once the ids outgrew its working memory (minutes at 10M deals)."""
    from sqlalchemy import func

    from salesboard.customers.scope import visible
    from salesboard.store.tables import CUSTOMER

    with read_session(planned_store) as s:
        user = s.scalars(select(User).where(User.role == role).order_by(User.id)).first()
        viewer = viewer_for(s, user)
    statements = statements_of(
        planned_store,
        lambda s: s.execute(select(func.count()).select_from(CUSTOMER).where(visible(viewer))),
    )
    with planned_store.connect() as conn:
        conn.exec_driver_sql("SET work_mem = '64kB'")  # the ids outgrow it, as at 10M
        for statement, parameters in statements:
            plan = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters)
            root = plan.scalar_one()[0]["Plan"]
            assert not _subplans(root), f"{role}: {statement}"
