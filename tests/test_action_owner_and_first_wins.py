"""Each key action's copy of its deal's owner and team, and each customer's first won deal
(migration 0029), on both backends: key-action rates per rep and team and new customers read
from them equal the rows added up here for every kind of viewer; both follow whatever writes
(a deal given to another rep, an action moved or overwritten by hand, a deal won earlier,
lost, moved to another customer, inserted won or deleted); a paused bulk write is caught
by ``check`` and corrected by the rebuild; and on PostgreSQL two deals of one customer won
at once leave the earlier one as its first win."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from alembic import command
from sqlalchemy import delete, event, insert, select, update
from sqlmodel import Session

from salesboard import demo
from salesboard.figures.facts import metric_facts
from salesboard.figures.sales import KeyActionRates, key_action_rates
from salesboard.store import deal_copies, rollups, schema
from salesboard.store.db import read_session, write_session
from salesboard.store.models import GoalMetric, OpportunityStatus, Region, Role
from salesboard.store.tables import ACTION, CUSTOMER, HISTORY, OPP, USER
from tests import builders as b
from tests.companies.importing import seed
from tests.concurrency import second_waits_for_first
from tests.conftest import DEMO_TODAY

TODAY = date.fromisoformat(DEMO_TODAY)
QUARTERS = [(date(2026, 4, 1), date(2026, 6, 30)), (date(2026, 7, 1), date(2026, 9, 30))]


@pytest.fixture
def store(engine):
    demo.generate(engine, size="small", seed=42, today=TODAY)
    return engine


def _sees(viewer, frame: pd.DataFrame) -> pd.Series:
    """The rows of deals ``viewer`` may read (by the deal's owner and team)."""
    if viewer.sees_everything:
        return pd.Series(True, index=frame.index)
    if viewer.role == Role.REP:
        return frame["deal_owner"] == viewer.user_id
    return frame["deal_team"].isin(viewer.team_ids)


def _in_step(engine) -> None:
    with engine.connect() as conn:
        assert deal_copies.wrong(conn) == (0, 0)
        assert rollups.check(conn).ok


def _rates_by_hand(seen: pd.DataFrame, column: str | None, as_of: date, periods) -> dict:
    """Key-action rates per (period number, ``column`` value) — or per period number alone
    — of the rows ``seen``, through ``as_of``."""
    expected = {}
    for i, (start, end) in enumerate(periods):
        due = seen[(seen["planned"] >= start) & (seen["planned"] <= min(end, as_of))]
        done = due["done"].notna() & (due["done"] <= as_of)
        on_time = done & (due["done"] <= due["planned"])
        parts = due.groupby(column) if column else [(None, due)]
        for key, part in parts:
            expected[(i, int(key)) if column else i] = KeyActionRates(
                len(part), int(done[part.index].sum()), int(on_time[part.index].sum())
            )
    return expected


def test_key_action_rates_per_rep_and_team_add_up_the_actions(store):
    """For every kind of viewer, grouped by action owner, deal team, stage or not at all,
    two quarters at once and one alone, through the last day and through a day with
    actions done after it: the rates equal the actions added up here. Everyone's (leader,
    system) through the last day are read from the key-action rollup (migration 0034),
    which counts what is done now; the others' from the actions."""
    _in_step(store)
    sent: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        sent.append(statement)

    event.listen(store, "before_cursor_execute", record)
    try:
        with read_session(store) as s:
            rows = s.execute(
                select(ACTION.c.planned_on, ACTION.c.done_on, ACTION.c.owner_id,
                       ACTION.c.stage_id, OPP.c.owner_id.label("deal_owner"),
                       OPP.c.team_id.label("deal_team"))
                .join(OPP, OPP.c.id == ACTION.c.opportunity_id)
            ).all()  # fmt: skip
            frame = pd.DataFrame(
                rows, columns=["planned", "done", "owner", "stage", "deal_owner", "deal_team"]
            )
            for column in ("planned", "done"):
                frame[column] = pd.to_datetime(frame[column]).dt.date
            midway = date(2026, 8, 15)
            assert (frame["done"].dropna() > midway).sum() > 50  # done after the day
            groups = (("owner", "owner"), ("team", "deal_team"), ("stage", "stage"), (None, None))
            checked = 0
            for viewer in b.viewers_by_role(s):
                seen = frame[_sees(viewer, frame)]
                for as_of in (TODAY, midway):
                    for by, column in groups:
                        sent.clear()
                        got = key_action_rates(s, viewer, QUARTERS[0][0], QUARTERS[-1][1], as_of,
                                               by=by, buckets=QUARTERS)  # fmt: skip
                        assert got == _rates_by_hand(seen, column, as_of, QUARTERS), (viewer, by)
                        from_rollup = any("key_action_rollup" in q for q in sent)
                        rollup = viewer.sees_everything and as_of == TODAY
                        assert from_rollup == rollup, (viewer.role, by, as_of)
                        checked += sum(r.due for r in got.values())
                        alone = key_action_rates(s, viewer, *QUARTERS[1], as_of, by=by)
                        by_hand = _rates_by_hand(seen, column, as_of, QUARTERS[1:])
                        expected = {k[1]: r for k, r in by_hand.items()} if by else by_hand[0]
                        assert alone == expected, (viewer.role, by, as_of)
            assert checked > 0  # actions fell due, not empty dicts
    finally:
        event.remove(store, "before_cursor_execute", record)


def test_new_customers_are_the_first_wins_counted_here(store):
    _in_step(store)
    with read_session(store) as s:
        rows = s.execute(
            select(OPP.c.id, OPP.c.customer_id, OPP.c.won_on, OPP.c.owner_id, OPP.c.team_id,
                   OPP.c.region_id)
            .where(OPP.c.status == OpportunityStatus.WON, OPP.c.won_on.is_not(None))
        ).all()  # fmt: skip
        wins = pd.DataFrame(rows, columns=["id", "customer", "won_on", "deal_owner", "deal_team",
                                           "region"])  # fmt: skip
        wins["won_on"] = pd.to_datetime(wins["won_on"]).dt.date
        first = wins.sort_values(["won_on", "id"]).drop_duplicates("customer")
        start, end = QUARTERS[0][0], QUARTERS[-1][1]
        for viewer in b.viewers_by_role(s):
            mine = first[_sees(viewer, first)]
            mine = mine[(mine["won_on"] >= start) & (mine["won_on"] <= end)]
            got = metric_facts(s, viewer, GoalMetric.NEW_CUSTOMERS, start, end, None)
            got = got.groupby("user_id")["value_count"].sum()
            expected = mine.groupby("deal_owner").size()
            assert {int(k): int(v) for k, v in got.items()} == {
                int(k): int(v) for k, v in expected.items()
            }, viewer.role
        assert len(first[(first["won_on"] >= start) & (first["won_on"] <= end)]) > 10


def _first_win(engine, customer_id: int) -> tuple:
    with engine.connect() as conn:
        return conn.execute(
            select(CUSTOMER.c.first_won_deal_id, CUSTOMER.c.first_won_on).where(
                CUSTOMER.c.id == customer_id
            )
        ).one()


def _two_open_deals(engine) -> tuple[int, int, int]:
    """A new customer with two open deals: (customer id, first deal id, second deal id)."""
    with write_session(engine) as s:
        owner = s.execute(select(USER.c.id).where(USER.c.username == "zhang.wei")).scalar_one()
        customer = b.customer(s, "并发客户", owner=owner)
        one = b.opportunity(s, owner=owner, customer=customer, created_on="2026-09-01")
        two = b.opportunity(s, owner=owner, customer=customer, created_on="2026-09-02")
        return customer.id, one.id, two.id


def _win(conn, deal_id: int, on: str) -> None:
    conn.execute(update(OPP).where(OPP.c.id == deal_id)
                 .values(status=OpportunityStatus.WON, won_on=date.fromisoformat(on)))  # fmt: skip


def test_the_first_win_follows_whatever_writes(engine):
    seed(engine)
    customer, one, two = _two_open_deals(engine)
    assert _first_win(engine, customer) == (None, None)
    with engine.begin() as conn:
        _win(conn, one, "2026-10-05")
    assert _first_win(engine, customer) == (one, date(2026, 10, 5))
    with engine.begin() as conn:  # won earlier: the first
        _win(conn, two, "2026-10-01")
    assert _first_win(engine, customer) == (two, date(2026, 10, 1))
    with engine.begin() as conn:  # the same day: the smaller id
        _win(conn, two, "2026-10-05")
    assert _first_win(engine, customer) == (min(one, two), date(2026, 10, 5))
    _in_step(engine)
    with engine.begin() as conn:  # the first lost: the other
        conn.execute(update(OPP).where(OPP.c.id == min(one, two))
                     .values(status=OpportunityStatus.LOST, won_on=None))  # fmt: skip
    assert _first_win(engine, customer) == (max(one, two), date(2026, 10, 5))
    with engine.begin() as conn:  # the first win given to another rep, team and region
        li_na = conn.execute(
            select(USER.c.id, USER.c.team_id).where(USER.c.username == "li.na")
        ).one()
        now = conn.execute(select(OPP.c.region_id).where(OPP.c.id == one)).scalar_one()
        region = (
            conn.execute(select(Region.__table__.c.id).where(Region.__table__.c.id != now))
            .scalars()
            .first()
        )
        conn.execute(update(OPP).where(OPP.c.id == max(one, two))
                     .values(owner_id=li_na.id, team_id=li_na.team_id, region_id=region))  # fmt: skip
        copied = conn.execute(
            select(CUSTOMER.c.first_won_owner_id, CUSTOMER.c.first_won_team_id,
                   CUSTOMER.c.first_won_region_id).where(CUSTOMER.c.id == customer)
        ).one()  # fmt: skip
    assert tuple(copied) == (li_na.id, li_na.team_id, region)
    _in_step(engine)
    with write_session(engine) as s:  # moved to another customer: both customers follow
        other = b.customer(s, "另一客户").id
    with engine.begin() as conn:
        conn.execute(update(OPP).where(OPP.c.id == max(one, two)).values(customer_id=other))
    assert _first_win(engine, customer) == (None, None)
    assert _first_win(engine, other) == (max(one, two), date(2026, 10, 5))
    _in_step(engine)
    with write_session(engine) as s:  # inserted won, then deleted
        owner = s.execute(select(USER.c.id).where(USER.c.username == "zhang.wei")).scalar_one()
        late = b.opportunity(s, owner=owner, customer=other, status=OpportunityStatus.WON,
                             created_on="2026-08-01", won_on="2026-09-30").id  # fmt: skip
    assert _first_win(engine, other) == (late, date(2026, 9, 30))
    with engine.begin() as conn:
        conn.execute(delete(HISTORY).where(HISTORY.c.opportunity_id == late))
        conn.execute(delete(OPP).where(OPP.c.id == late))
    assert _first_win(engine, other) == (max(one, two), date(2026, 10, 5))
    _in_step(engine)


def test_key_action_copies_follow_whatever_writes(engine):
    seed(engine)
    with write_session(engine) as s:
        deals = s.execute(select(OPP.c.id).order_by(OPP.c.id).limit(2)).scalars().all()
        action = b.key_action(s, deals[0], stage="lead", planned_on="2026-11-20").id
    _in_step(engine)
    with engine.begin() as conn:  # overwritten, then moved by hand
        conn.execute(update(ACTION).where(ACTION.c.id == action).values(deal_owner_id=999_999))
    _in_step(engine)
    with engine.begin() as conn:
        conn.execute(update(ACTION).where(ACTION.c.id == action).values(opportunity_id=deals[1]))
    _in_step(engine)
    with engine.begin() as conn:  # the deal given to another rep and team
        li_na = conn.execute(
            select(USER.c.id, USER.c.team_id).where(USER.c.username == "li.na")
        ).one()
        conn.execute(update(OPP).where(OPP.c.id == deals[1])
                     .values(owner_id=li_na.id, team_id=li_na.team_id))  # fmt: skip
        copy = conn.execute(select(ACTION.c.deal_owner_id, ACTION.c.deal_team_id)
                            .where(ACTION.c.id == action)).one()  # fmt: skip
    assert tuple(copy) == (li_na.id, li_na.team_id)
    _in_step(engine)


def test_a_paused_bulk_write_is_caught_by_check_and_corrected_by_rebuild(engine):
    seed(engine)
    with write_session(engine) as s:
        deal = s.execute(select(OPP.c.id).order_by(OPP.c.id)).scalars().first()
        b.key_action(s, deal, stage="lead", planned_on="2026-11-20")
    _customer, one, _two = _two_open_deals(engine)
    with engine.begin() as conn:
        _win(conn, one, "2026-10-01")
    with engine.begin() as conn, rollups.triggers_paused(conn):
        conn.execute(update(ACTION).values(deal_owner_id=None))
        conn.execute(update(CUSTOMER).values(first_won_deal_id=None, first_won_on=None))
        customers_won = conn.execute(
            select(OPP.c.customer_id).where(OPP.c.status == OpportunityStatus.WON).distinct()
        ).all()
        result = rollups.check(conn)
        actions = conn.execute(select(ACTION.c.id)).all()
        assert (result.copies_wrong, result.first_wins_wrong) == (len(actions), len(customers_won))
        assert result.first_wins_wrong > 0 and not result.ok
    _in_step(engine)  # the pause's rebuild wrote them back


def test_two_deals_of_one_customer_won_at_once_leave_the_earlier_first(engine):
    """PostgreSQL, READ COMMITTED: the later writer's recomputation waits on the customer's
    row lock and then sees the earlier win committed; without the lock it would have read
    its snapshot (no other win) and overwritten the earlier first win with its own."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    seed(engine)
    customer, one, two = _two_open_deals(engine)
    # The second waits for the customer's row.
    second_waits_for_first(
        engine,
        lambda conn: _win(conn, one, "2026-10-01"),
        lambda conn: _win(conn, two, "2026-11-01"),
    )
    assert _first_win(engine, customer) == (one, date(2026, 10, 1))
    _in_step(engine)


def test_the_migration_fills_both_from_the_rows(engine):
    """Downgraded to 0028 and upgraded again: the copies and first wins come back equal to
    the recomputation (the fill statements, not the triggers, wrote them)."""
    demo.generate(engine, size="small", seed=7, today=TODAY)
    command.downgrade(schema.alembic_config(engine), "0028")
    schema.upgrade(engine)
    _in_step(engine)
    with Session(engine) as s:
        filled = s.execute(
            select(CUSTOMER.c.id).where(CUSTOMER.c.first_won_deal_id.is_not(None))
        ).all()
        assert len(filled) > 10
    with engine.begin() as conn:
        conn.execute(insert(ACTION).from_select(
            ["opportunity_id", "stage_id", "owner_id", "action", "planned_on", "deliverable",
             "customer_feedback", "risk_flag"],
            select(ACTION.c.opportunity_id, ACTION.c.stage_id, ACTION.c.owner_id, ACTION.c.action,
                   ACTION.c.planned_on, ACTION.c.deliverable, ACTION.c.customer_feedback,
                   ACTION.c.risk_flag).limit(5),
        ))  # fmt: skip
    _in_step(engine)
