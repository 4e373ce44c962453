"""The deals per created day by the set of stages they entered (migration 0036,
``store.cohort_rollup``), on both backends: the cohort funnel read from it equals the one
read from every deal's stage history, for every kind of viewer, filters by team, region and
product line, several periods, after writes by hand and after the stages are put in another
order (the sets, not a furthest stage, are kept)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event, select, update

from salesboard import demo
from salesboard.calendar.periods import parse_period
from salesboard.pipeline.funnel import _cohort_from_deals, _cohort_from_rollup, cohort_funnel
from salesboard.store import cohort_rollup, rollups
from salesboard.store.db import read_session, write_session
from salesboard.store.filters import NO_FILTER, OpportunityFilter
from salesboard.store.models import COHORT_MAX_STAGE_ID
from salesboard.store.tables import HISTORY, OPP, STAGE
from tests import builders as b
from tests.conftest import DEMO_TODAY

TODAY = date.fromisoformat(DEMO_TODAY)
PERIODS = ["2026-Q3", "2026-Q4", "2026-10", "2026"]


@pytest.fixture
def store(engine):
    demo.generate(engine, size="small", seed=42, today=TODAY)
    return engine


def _filters(s) -> list[OpportunityFilter]:
    row = s.execute(select(OPP.c.team_id, OPP.c.region_id, OPP.c.product_line_id)).first()
    return [
        NO_FILTER,
        OpportunityFilter(team_ids=(row.team_id,)),
        OpportunityFilter(region_ids=(row.region_id,)),
        OpportunityFilter(product_line_ids=(row.product_line_id,), region_ids=(row.region_id,)),
    ]


def _both_agree(engine) -> int:
    """Every period and filter: the rollup's cohort equals the stays'; returns the deals."""
    seen = 0
    with read_session(engine) as s:
        for label in PERIODS:
            period = parse_period(label)
            for filters in _filters(s):
                kept = _cohort_from_rollup(s, period, filters)
                assert kept is not None
                assert sorted(kept) == sorted(_cohort_from_deals(s, period, filters)), (
                    label,
                    filters,
                )
                seen += sum(n for _, n, _ in kept)
    return seen


def test_the_cohort_from_the_rollup_equals_the_one_from_the_stays(store):
    assert _both_agree(store) > 100
    sent: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        sent.append(statement)

    event.listen(store, "before_cursor_execute", record)
    try:
        with read_session(store) as s:
            for viewer in b.viewers_by_role(s):
                sent.clear()
                cohort_funnel(s, parse_period("2026-Q4"), viewer=viewer)
                from_rollup = any("cohort_rollup" in q for q in sent)
                assert from_rollup == (viewer.role != "rep"), viewer.role  # a rep's own deals
    finally:
        event.remove(store, "before_cursor_execute", record)


def test_it_follows_writes_by_hand_and_any_order_of_the_stages(store):
    with store.begin() as conn:
        deals = conn.execute(select(OPP.c.id).where(OPP.c.created_on >= date(2026, 10, 1))
                             .order_by(OPP.c.id).limit(3)).scalars().all()  # fmt: skip
        last = conn.execute(select(STAGE.c.id).order_by(STAGE.c.position.desc())).first()[0]
        stay = conn.execute(select(HISTORY.c.id).where(HISTORY.c.opportunity_id == deals[0])
                            .order_by(HISTORY.c.id)).first()[0]  # fmt: skip
        conn.execute(update(HISTORY).where(HISTORY.c.id == stay).values(stage_id=last))
        conn.execute(HISTORY.insert().values(opportunity_id=deals[1], stage_id=last,
                                             entered_on=TODAY - timedelta(days=1)))  # fmt: skip
        conn.execute(HISTORY.delete().where(HISTORY.c.opportunity_id == deals[2]))
        conn.execute(update(OPP).where(OPP.c.id == deals[1]).values(created_on=date(2026, 7, 3)))
    with store.connect() as conn:
        assert cohort_rollup.wrong(conn) == 0 and rollups.check(conn).ok
    _both_agree(store)
    with write_session(store) as s:  # the stages in reverse order: every furthest changes
        rows = s.execute(select(STAGE.c.id, STAGE.c.position)).all()
        for stage_id, position in rows:
            s.execute(update(STAGE).where(STAGE.c.id == stage_id).values(position=-position))
        for stage_id, position in rows:
            s.execute(update(STAGE).where(STAGE.c.id == stage_id).values(position=1000 - position))
    _both_agree(store)


def test_a_stage_id_beyond_the_sets_reads_the_stays(store):
    with write_session(store) as s:
        s.execute(STAGE.insert().values(
            id=COHORT_MAX_STAGE_ID + 1, code="extra", position=50, name_zh="额外", name_en="Extra",
            kind="open", standard_days=5, idle_days=5))  # fmt: skip
    with read_session(store) as s:
        assert _cohort_from_rollup(s, parse_period("2026-Q4"), NO_FILTER) is None
        assert cohort_funnel(s, parse_period("2026-Q4"))["reached"].iloc[0] > 0
