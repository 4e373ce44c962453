"""Each customer's open pipeline and wins since the kept day (migration 0035,
``store.customer_totals``), on both backends: the triggers follow whatever writes (a deal
won, lost, re-amounted, moved to another customer, deleted, inserted won; SQL by hand);
moving the kept day forward and back corrects the figures; and the whole company's matrix
and customer rows read from them equal those summed from the deals, for days around the
kept day, days with wins after them, and days too far (read from the deals then)."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from sqlalchemy import delete, event, select, update

from salesboard.accounts.access import SYSTEM
from salesboard.customers.directory import CustomerQuery, list_customers
from salesboard.customers.matrix import MAX_KEPT_GAP_DAYS, customer_rows, region_matrix
from salesboard.customers.settings import MatrixSettings, keep_window, save_settings
from salesboard.store import customer_totals, rollups
from salesboard.store.db import read_session, write_session
from salesboard.store.models import OpportunityStatus, Role
from salesboard.store.queries import frame_of
from salesboard.store.tables import CUSTOMER, OPP, VALUE_WINDOW
from tests import builders as b

TODAY = date(2026, 11, 23)
WAN = 10_000 * 100
WON, OPEN, LOST = OpportunityStatus.WON, OpportunityStatus.OPEN, OpportunityStatus.LOST
SETTINGS = MatrixSettings(value_threshold_minor=100 * WAN, pipeline_threshold_minor=50 * WAN)


@pytest.fixture
def company(engine):
    """Two customers per region of two regions, wins spread over two years (one after
    TODAY), open and lost deals."""
    with write_session(engine) as s:
        b.stages(s)
        team = b.team(s, "一组")
        rep = b.user(s, "r1", team=team)
        b.user(s, "boss", Role.LEADER)
        names = ["甲", "乙", "丙", "丁", "戊"]
        customers = [b.customer(s, f"{n}公司", owner=rep) for n in names]
        day = date(2024, 12, 3)
        for i in range(40):
            customer = customers[i % len(customers)]
            won_on = day + timedelta(days=19 * i)
            status = WON if i % 4 else (OPEN if i % 8 else LOST)
            b.opportunity(s, owner=rep, customer=customer, status=status,
                          amount_minor=(5 + 7 * (i % 6)) * WAN + i,
                          created_on=won_on - timedelta(days=30),
                          won_on=won_on if status == WON else None,
                          lost_on=won_on if status == LOST else None)  # fmt: skip
        b.opportunity(s, owner=rep, customer=customers[0], status=WON, amount_minor=90 * WAN,
                      created_on=TODAY - timedelta(days=5), won_on=TODAY + timedelta(days=3))  # fmt: skip
    return engine


def _in_step(engine) -> None:
    with engine.connect() as conn:
        assert customer_totals.wrong(conn) == 0
        assert rollups.check(conn).ok


def _matrices_agree(engine, day: date, settings: MatrixSettings = SETTINGS) -> bool:
    """The company's customer rows and matrix through the kept figures equal those summed
    from the deals; returns whether the kept figures were read."""
    sent: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        with read_session(engine) as s:
            kept_day = customer_totals.kept_since(s)
            kept = frame_of(s, customer_rows(SYSTEM, settings, day, kept_since=kept_day))
            summed = frame_of(s, customer_rows(SYSTEM, settings, day))
            sent.clear()
            matrix = region_matrix(s, SYSTEM, settings, day)
            read_kept = any("won_since_minor" in q for q in sent)
            region = int(summed["region_id"].iloc[0])
            in_region = region_matrix(s, SYSTEM, settings, day, region)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    columns = ["id", "value_minor", "pipeline_minor", "potential", "quadrant"]
    by_id = [f.sort_values("id")[columns].reset_index(drop=True) for f in (kept, summed)]
    for frame in by_id:
        frame[["value_minor", "pipeline_minor"]] = frame[["value_minor", "pipeline_minor"]].astype(
            "int64"
        )
    pd.testing.assert_frame_equal(*by_id)
    for got, rows in ((matrix, summed), (in_region, summed[summed["region_id"] == region])):
        expected = rows.groupby("quadrant").agg(
            customers=("id", "size"), value_minor=("value_minor", "sum"),
            pipeline_minor=("pipeline_minor", "sum"),
        )  # fmt: skip
        expected = expected.reindex(got["quadrant"], fill_value=0)
        assert got.set_index("quadrant").astype("int64").equals(expected.astype("int64")), day
    return read_kept


def test_the_kept_figures_follow_writes_and_answer_the_matrix(company):
    engine = company
    with engine.connect() as conn:
        assert customer_totals.kept_since(conn) is None  # nothing kept yet: the deals are read
    assert not _matrices_agree(engine, TODAY)
    with write_session(engine) as s:
        since = keep_window(s, TODAY, SETTINGS)
    assert since == date(2025, 11, 24)
    _in_step(engine)
    with read_session(engine) as s:
        values = dict(s.execute(CUSTOMER.select().with_only_columns(
            CUSTOMER.c.name, CUSTOMER.c.won_since_minor)).all())  # fmt: skip
    assert values["甲公司"] > 90 * WAN  # the win after today is kept too (taken off on reading)
    for shift in (0, 1, 20, -20, MAX_KEPT_GAP_DAYS, -MAX_KEPT_GAP_DAYS):
        assert _matrices_agree(engine, TODAY + timedelta(days=shift)), shift
    for shift in (MAX_KEPT_GAP_DAYS + 5, -200):  # too far: summed from the deals
        assert not _matrices_agree(engine, TODAY + timedelta(days=shift)), shift
    with engine.begin() as conn:  # SQL by hand: won, lost, re-amounted, moved, deleted
        first = conn.execute(OPP.select().where(OPP.c.status == OPEN).order_by(OPP.c.id)).first()
        conn.execute(update(OPP).where(OPP.c.id == first.id)
                     .values(status=WON, won_on=TODAY - timedelta(days=2)))  # fmt: skip
        won = conn.execute(OPP.select().where(OPP.c.status == WON, OPP.c.won_on > since)
                           .order_by(OPP.c.id)).all()  # fmt: skip
        conn.execute(update(OPP).where(OPP.c.id == won[0].id).values(amount_minor=3 * WAN))
        conn.execute(update(OPP).where(OPP.c.id == won[1].id)
                     .values(customer_id=won[2].customer_id if won[2].customer_id != won[1].customer_id
                             else won[3].customer_id))  # fmt: skip
        conn.execute(update(OPP).where(OPP.c.id == won[2].id).values(status=LOST, won_on=None,
                                                                     lost_on=TODAY))  # fmt: skip
        conn.execute(update(OPP).where(OPP.c.id == won[3].id)
                     .values(won_on=since - timedelta(days=1)))  # fmt: skip
        conn.execute(delete(OPP).where(OPP.c.id == won[4].id))
    _in_step(engine)
    assert _matrices_agree(engine, TODAY)
    with write_session(engine) as s:
        rep, customer = s.execute(select(OPP.c.owner_id, OPP.c.customer_id).limit(1)).one()
        b.opportunity(s, owner=rep, customer=customer, status=WON, amount_minor=70 * WAN,
                      created_on=TODAY - timedelta(days=9), won_on=TODAY - timedelta(days=1))  # fmt: skip
    _in_step(engine)
    assert _matrices_agree(engine, TODAY)


def test_moving_the_kept_day_corrects_every_customer(company):
    engine = company
    for day in (TODAY, TODAY + timedelta(days=40), TODAY - timedelta(days=300), TODAY):
        with write_session(engine) as s:
            keep_window(s, day, SETTINGS)
        _in_step(engine)
        assert _matrices_agree(engine, day)
    with engine.begin() as conn:  # the row deleted by hand: moving the day writes it again
        conn.execute(delete(VALUE_WINDOW))
    with engine.connect() as conn:
        assert customer_totals.kept_since(conn) is None
        assert customer_totals.wrong(conn) > 0  # the kept wins no longer count: found
    with engine.begin() as conn:
        rollups.rebuild(conn)
    _in_step(engine)
    with write_session(engine) as s:
        keep_window(s, TODAY, SETTINGS)
    _in_step(engine)
    assert _matrices_agree(engine, TODAY)


def test_a_changed_window_moves_the_kept_day(company):
    engine = company
    with write_session(engine) as s:
        admin_id = b.user(s, "admin", Role.ADMIN).id
    admin = b.viewer(engine, admin_id)
    with write_session(engine) as s:
        keep_window(s, TODAY)
        save_settings(s, admin, {"window_months": 6}, today=TODAY)
    with engine.connect() as conn:
        assert customer_totals.kept_since(conn) == date(2026, 5, 24)
    _in_step(engine)
    six = MatrixSettings(window_months=6, value_threshold_minor=100 * WAN,
                         pipeline_threshold_minor=50 * WAN)  # fmt: skip
    assert _matrices_agree(engine, TODAY, six)
    with read_session(engine) as s:  # the list of a quadrant reads them too
        listed, total = list_customers(s, SYSTEM, six, TODAY, CustomerQuery(quadrant="develop"))
    assert total == len(listed)


def test_the_daily_command_moves_the_kept_day(company, capsys):
    from salesboard.calendar import clock
    from salesboard.cli.main import main
    from salesboard.figures.customers import months_back

    url = company.url.render_as_string(hide_password=False)
    assert main(["--database-url", url, "rollups", "--advance"]) == 0
    since = months_back(clock.today(), 12)
    assert f"customers' wins kept from {since.isoformat()}" in capsys.readouterr().out
    with company.connect() as conn:
        assert customer_totals.kept_since(conn) == since
    _in_step(company)
    assert main(["--database-url", url, "rollups", "--check"]) == 0


def test_a_deal_written_while_the_day_moves_is_counted_once(company):
    """On PostgreSQL moving the kept day locks the deals against writes: a deal won in the
    days leaving the window while the day moves is either counted by the old day's rule and
    then taken off, or written after the move and not counted — never half."""
    engine = company
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    from sqlalchemy.orm import Session

    from tests.concurrency import second_waits_for_first

    with write_session(engine) as s:
        keep_window(s, TODAY - timedelta(days=30), SETTINGS)
    old = customer_totals.kept_since(engine.connect())
    target = old + timedelta(days=10)
    deal = OPP.select().where(OPP.c.status == OPEN).order_by(OPP.c.id).limit(1)

    def win(conn) -> None:  # a deal won in the days the move takes out of the window
        found = conn.execute(deal).first()
        conn.execute(update(OPP).where(OPP.c.id == found.id)
                     .values(status=WON, won_on=old + timedelta(days=3)))  # fmt: skip

    def move(conn) -> None:
        with Session(bind=conn) as s:
            keep_window(s, TODAY - timedelta(days=20), SETTINGS)

    second_waits_for_first(engine, win, move)
    with engine.connect() as conn:
        assert customer_totals.kept_since(conn) == target
    _in_step(engine)
