"""Each instalment's (and rating's) copy of its deal's owner and team (migration 0028), on
both backends:
collections per rep and team read from it equal the instalments joined to their deals and
added up here; the copy follows the deal whatever writes (the deal given to another rep and
team, SQL by hand inserting, moving or overwriting an instalment); a bulk load with
the triggers paused is corrected by the rebuild and caught by ``check`` before; and on
PostgreSQL an instalment written while its deal changes hands waits and takes the new owner."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import pytest
from sqlalchemy import insert, select, update

from salesboard import demo
from salesboard.calendar.periods import month
from salesboard.feedback.actuals import collections_by
from salesboard.store import rollups
from salesboard.store.db import read_session
from salesboard.store.tables import COLLECTION, OPP, RATING, USER
from tests.companies.importing import seed
from tests.concurrency import second_waits_for_first
from tests.conftest import DEMO_TODAY

MONTHS = [month(2026, m) for m in (7, 8, 9, 10)]


def _copies(engine) -> pd.DataFrame:
    """Every instalment's copy beside its deal's owner and team."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(COLLECTION.c.id, COLLECTION.c.owner_id, COLLECTION.c.team_id,
                   OPP.c.owner_id.label("deal_owner"), OPP.c.team_id.label("deal_team"))
            .join(OPP, OPP.c.id == COLLECTION.c.opportunity_id)
        ).all()  # fmt: skip
    return pd.DataFrame(rows, columns=["id", "owner_id", "team_id", "deal_owner", "deal_team"])


def _in_step(engine) -> None:
    frame = _copies(engine)
    assert (frame["owner_id"] == frame["deal_owner"]).all(), frame.head()
    assert (frame["team_id"] == frame["deal_team"]).all(), frame.head()
    with engine.connect() as conn:
        assert rollups.check(conn).ok


def test_collections_per_rep_and_team_add_up_the_instalments(engine):
    demo.generate(engine, size="small", seed=42, today=date.fromisoformat(DEMO_TODAY))
    _in_step(engine)
    with read_session(engine) as s:
        rows = s.execute(
            select(COLLECTION.c.due_on, COLLECTION.c.due_minor, COLLECTION.c.collected_on,
                   COLLECTION.c.collected_minor, OPP.c.owner_id, OPP.c.team_id)
            .join(OPP, OPP.c.id == COLLECTION.c.opportunity_id)
        ).all()  # fmt: skip
        frame = pd.DataFrame(rows, columns=["due", "due_minor", "collected", "collected_minor",
                                            "owner_id", "team_id"])  # fmt: skip
        for column in ("due", "collected"):
            frame[column] = pd.to_datetime(frame[column]).dt.date
        for by in ("owner", "team"):
            ids = sorted(int(i) for i in frame[f"{by}_id"].unique())
            got = collections_by(s, ids, MONTHS, by=by)
            for i in ids:
                mine = frame[frame[f"{by}_id"] == i]
                expected = []
                for p in MONTHS:
                    due = mine[(mine["due"] >= p.start) & (mine["due"] <= p.end)]
                    paid = due["collected"].notna()
                    by_end = due[paid & (due["collected"] <= p.end)]["collected_minor"].sum()
                    on_time = due[paid & (due["collected"] <= due["due"])]["collected_minor"].sum()
                    expected.append((int(due["due_minor"].sum()), int(by_end), int(on_time)))
                assert got[i] == expected, (by, i)
            assert sum(v[0][0] for v in got.values()) > 0  # instalments fell due, not zeros


def _instalment(conn, deal_id: int, due: date = date(2026, 12, 1)) -> int:
    return conn.execute(
        insert(COLLECTION).values(opportunity_id=deal_id, due_on=due, due_minor=100_000,
                                  collected_minor=0).returning(COLLECTION.c.id)
    ).scalar_one()  # fmt: skip


def _deal(conn, code: str):
    return conn.execute(select(OPP.c.id, OPP.c.owner_id).where(OPP.c.code == code)).one()


def test_the_copy_follows_the_deal_whatever_writes(engine):
    seed(engine)
    with engine.begin() as conn:
        first, second = _deal(conn, "XS202405001"), _deal(conn, "XS202405002")
        moved = _instalment(conn, first.id)
        _instalment(conn, second.id)
        # Overwritten by hand: the deal's values win again.
        conn.execute(update(COLLECTION).where(COLLECTION.c.id == moved).values(owner_id=999_999))
    _in_step(engine)
    with engine.begin() as conn:  # moved to the other deal by hand
        conn.execute(
            update(COLLECTION).where(COLLECTION.c.id == moved).values(opportunity_id=second.id)
        )
    _in_step(engine)
    # The first deal given to another rep and team (by hand): its instalments and ratings
    # follow.
    with engine.begin() as conn:
        _instalment(conn, first.id)
        stage = conn.execute(
            select(OPP.c.current_stage_id).where(OPP.c.id == first.id)
        ).scalar_one()
        conn.execute(insert(RATING).values(opportunity_id=first.id, stage_id=stage, kind="communication",
                                           score=4, rated_on=date(2026, 11, 20), note="",
                                           created_at=datetime(2026, 11, 20, tzinfo=UTC)))  # fmt: skip
        li_na = conn.execute(
            select(USER.c.id, USER.c.team_id).where(USER.c.username == "li.na")
        ).one()
        conn.execute(update(OPP).where(OPP.c.id == first.id)
                     .values(owner_id=li_na.id, team_id=li_na.team_id))  # fmt: skip
    with engine.connect() as conn:
        assert li_na.id != first.owner_id
        owners = conn.execute(select(COLLECTION.c.owner_id)
                              .where(COLLECTION.c.opportunity_id == first.id)).scalars().all()  # fmt: skip
    assert owners == [li_na.id]
    with engine.connect() as conn:
        rated = conn.execute(select(RATING.c.owner_id, RATING.c.team_id)
                             .where(RATING.c.opportunity_id == first.id)).all()  # fmt: skip
    assert rated == [(li_na.id, li_na.team_id)]
    _in_step(engine)


def test_a_paused_bulk_write_is_caught_by_check_and_corrected_by_rebuild(engine):
    seed(engine)
    with engine.begin() as conn:
        _instalment(conn, _deal(conn, "XS202405001").id)
        _instalment(conn, _deal(conn, "XS202405002").id)
    with engine.begin() as conn, rollups.triggers_paused(conn):
        conn.execute(update(COLLECTION).values(owner_id=None, team_id=None))
        result = rollups.check(conn)
        assert result.copies_wrong == 2 and not result.ok
    _in_step(engine)  # the pause's rebuild wrote them back


def test_an_instalment_written_while_its_deal_changes_hands_takes_the_new_owner(engine):
    """PostgreSQL, READ COMMITTED: the instalment's insert waits for the deal's new owner to
    commit (its trigger reads the deal FOR SHARE) instead of copying the old one while the
    owner change, blind to the uncommitted instalment, passes the new one on to the others."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    seed(engine)
    with engine.connect() as conn:
        deal_id = _deal(conn, "XS202405001").id
        other = conn.execute(select(USER.c.id).where(USER.c.username == "li.na")).scalar_one()
    # The instalment waits for the deal's change.
    second_waits_for_first(
        engine,
        lambda conn: conn.execute(update(OPP).where(OPP.c.id == deal_id).values(owner_id=other)),
        lambda conn: _instalment(conn, deal_id),
    )
    _in_step(engine)
