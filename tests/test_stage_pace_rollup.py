"""Stage pace read from the rollup's summed working days (migration 0027) against the same
figure counted from the stays themselves, on both backends: for every kind of viewer, per
rep and per team, with and without buckets; after a company day off is set or removed (the
sums of the stays across it are recomputed in the same transaction); and when the calendar
in the store is not the one asked for (another calendar kind, a tampered table, a stay
outside the table's span) the stays are counted instead — never a wrong figure. Also the
scorecard's ratings per rep and team, read rating by rating with each deal's owner."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from sqlalchemy import delete, insert
from sqlmodel import Session, select

from salesboard import demo
from salesboard.accounts.access import SYSTEM, viewer_for
from salesboard.calendar import store_days
from salesboard.calendar.workdays import load_calendar, make_calendar, remove_override, set_override
from salesboard.cli.main import main
from salesboard.pipeline import durations
from salesboard.pipeline.durations import stage_pace
from salesboard.pipeline.ratings import rating_means
from salesboard.store import rollups
from salesboard.store.db import read_session, write_session
from salesboard.store.models import Role, User
from salesboard.store.tables import HISTORY, OPP, RATING, WORKDAY
from tests.builders import viewers_by_role
from tests.concurrency import second_waits_for_first
from tests.conftest import DEMO_TODAY

TODAY = date.fromisoformat(DEMO_TODAY)
QUARTER = (date(2026, 7, 1), date(2026, 9, 30))
MONTHS = [(date(2026, m, 1), date(2026, m + 1, 1) - timedelta(days=1)) for m in (7, 8, 9)]


@pytest.fixture
def store(engine):
    demo.generate(engine, size="small", seed=42, today=TODAY)
    return engine


def _counted(monkeypatch, *args, **kwargs) -> pd.DataFrame:
    """``stage_pace`` from the stays themselves (the rollup's sums not trusted)."""
    with monkeypatch.context() as patch:
        patch.setattr(durations.store_days, "in_step", lambda *a: False)
        return stage_pace(*args, **kwargs)


def _same(fast: pd.DataFrame, slow: pd.DataFrame) -> None:
    keys = [c for c in fast.columns if c.endswith("_id") or c == "bucket"]
    fast, slow = (f.sort_values(keys, ignore_index=True) for f in (fast, slow))
    pd.testing.assert_frame_equal(fast, slow, check_exact=False, rtol=1e-12)


def test_pace_from_the_rollup_equals_the_stays_counted(store, monkeypatch):
    with Session(store) as s:
        calendar = load_calendar(s)
        assert store_days.in_step(s.connection(), calendar, QUARTER[1])  # the fast path runs
        for viewer in viewers_by_role(s):
            for by in ("owner", "team"):
                for buckets in (None, MONTHS):
                    args = (s, viewer, *QUARTER, calendar)
                    fast = stage_pace(*args, by=by, buckets=buckets)
                    slow = _counted(monkeypatch, *args, by=by, buckets=buckets)
                    _same(fast, slow)
                    assert not fast.empty, (viewer, by)
        # A period no stay ended in.
        nothing = stage_pace(s, SYSTEM, date(2030, 1, 1), date(2030, 3, 31), calendar)
        assert nothing.empty


def test_a_day_off_recomputes_the_stays_across_it(store, monkeypatch):
    # A Wednesday in the quarter on which stays that ended in it were open.
    day = date(2026, 8, 12)
    with write_session(store) as s:
        admin = s.exec(select(User).where(User.role == Role.ADMIN)).first()
        before = stage_pace(s, SYSTEM, *QUARTER, load_calendar(s))
        set_override(s, day, False, "company day", actor=viewer_for(s, admin))
    with Session(store) as s:
        calendar = load_calendar(s)
        assert not calendar.is_working_day(day)
        assert store_days.in_step(s.connection(), calendar, QUARTER[1])
        after = stage_pace(s, SYSTEM, *QUARTER, calendar)
        _same(after, _counted(monkeypatch, s, SYSTEM, *QUARTER, calendar))
        assert rollups.check(s.connection()).ok
    # Fewer working days for the owners whose stays spanned it, the same counts.
    merged = before.merge(after, on="owner_id", suffixes=("_before", "_after"))
    assert (merged["stays_before"] == merged["stays_after"]).all()
    assert (merged["mean_days_after"] < merged["mean_days_before"]).any()
    assert (merged["mean_days_after"] <= merged["mean_days_before"]).all()
    with write_session(store) as s:
        admin = s.exec(select(User).where(User.role == Role.ADMIN)).first()
        assert remove_override(s, day, actor=viewer_for(s, admin))
    with Session(store) as s:
        _same(stage_pace(s, SYSTEM, *QUARTER, load_calendar(s)), before)


def test_a_calendar_not_in_the_store_is_not_trusted(store, monkeypatch, capsys):
    plain = make_calendar("plain")  # no Chinese public holidays: October's golden week works
    october = (date(2026, 10, 1), date(2026, 10, 31))
    with Session(store) as s:
        conn = s.connection()
        assert not store_days.in_step(conn, plain, october[1])
        plain_pace = stage_pace(s, SYSTEM, *october, plain)
        _same(plain_pace, _counted(monkeypatch, s, SYSTEM, *october, plain))
        cn_pace = stage_pace(s, SYSTEM, *october, load_calendar(s))
        assert (plain_pace["mean_days"].to_numpy() > cn_pace["mean_days"].to_numpy()).any()
    # A table changed by hand is caught by the reader and by `rollups --check`.
    url = store.url.render_as_string(hide_password=False)
    with store.begin() as conn:
        conn.execute(delete(WORKDAY).where(WORKDAY.c.day == date(2026, 9, 15)))
    with Session(store) as s:
        calendar = load_calendar(s)
        assert not store_days.in_step(s.connection(), calendar, QUARTER[1])
    assert main(["--database-url", url, "rollups", "--check"]) == 1
    assert "working-day calendar" in capsys.readouterr().out
    assert main(["--database-url", url, "rollups", "--rebuild"]) == 0
    assert main(["--database-url", url, "rollups", "--check"]) == 0
    with Session(store) as s:
        assert store_days.in_step(s.connection(), load_calendar(s), QUARTER[1])
    # A stay before the table's span: its working days cannot be summed, so none are.
    with store.begin() as conn:
        deal = conn.execute(select(OPP.c.id, OPP.c.current_stage_id).limit(1)).one()
        conn.execute(insert(HISTORY).values(opportunity_id=deal.id, stage_id=deal.current_stage_id,
                                            entered_on=date(1985, 3, 1), left_on=date(1985, 3, 9)))  # fmt: skip
    with read_session(store) as s:
        assert not store_days.in_step(s.connection(), load_calendar(s), QUARTER[1])


def test_a_stay_written_while_the_calendar_changes_is_counted_once(store):
    """PostgreSQL, READ COMMITTED: a stay written (not yet committed) while a day off is set
    — the calendar's recomputation waits for it and then counts it; the stay's own trigger
    row is not lost, nor doubled, nor a duplicate-key failure."""
    if store.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time")

    def stay(conn) -> None:
        deal = conn.execute(select(OPP.c.id, OPP.c.current_stage_id).limit(1)).one()
        # A stay that ended on a day no other stay did: its rollup row is new.
        conn.execute(insert(HISTORY).values(opportunity_id=deal.id, stage_id=deal.current_stage_id,
                                            entered_on=date(2026, 8, 3), left_on=date(2026, 9, 27)))  # fmt: skip

    def day_off(conn) -> None:
        with Session(bind=conn) as s:
            admin = s.exec(select(User).where(User.role == Role.ADMIN)).first()
            set_override(s, date(2026, 8, 12), False, "company day", actor=viewer_for(s, admin))
            s.commit()

    second_waits_for_first(store, stay, day_off)  # the calendar waits for the writer
    with Session(store) as s:
        assert rollups.check(s.connection()).ok
        assert store_days.in_step(s.connection(), load_calendar(s), QUARTER[1])


def test_rating_means_per_rep_and_team_add_up_the_ratings(store):
    """The scorecard's satisfaction per rep or team over everything (each rating's deal
    owner read by a seek) against the ratings and their deals added up here."""
    with Session(store) as s:
        ratings = pd.DataFrame(
            s.execute(select(RATING.c.rated_on, RATING.c.score, OPP.c.owner_id, OPP.c.team_id)
                      .join(OPP, OPP.c.id == RATING.c.opportunity_id)).all(),
            columns=["rated_on", "score", "owner_id", "team_id"],
        )  # fmt: skip
        ratings["rated_on"] = pd.to_datetime(ratings["rated_on"]).dt.date
        for by in ("owner", "team"):
            got = rating_means(s, SYSTEM, *QUARTER, by=by, buckets=MONTHS)
            expected = {}
            for b, (first, last) in enumerate(MONTHS):
                part = ratings[(ratings["rated_on"] >= first) & (ratings["rated_on"] <= last)]
                for key, rows in part.groupby(f"{by}_id"):
                    expected[(b, int(key))] = (int(rows["score"].sum()), len(rows))
            assert got == expected and len(got) > 3, by
