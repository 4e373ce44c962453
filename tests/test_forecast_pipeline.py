"""The forecast's open pipeline as of past days (``goals.forecast.open_pipeline_as_of``)
against the rows counted one by one, on the default demo company (8,000 deals), on SQLite
and PostgreSQL: for the company (the stays drive, by either index range) and for a rep and
a team (their deals drive), with periods ending soon enough that deals expected to close
later are left out."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, select, update

from salesboard.accounts.access import SYSTEM, load_viewer, scoped_filter
from salesboard.goals import forecast as fc
from salesboard.store.db import read_session
from salesboard.store.filters import NO_FILTER
from salesboard.store.models import Role
from salesboard.store.tables import HISTORY, OPP, STAGE, USER
from tests.conftest import BACKENDS, demo_company

TODAY = date(2026, 11, 23)
DIMS = dict.fromkeys(("product_line_id", "region_id", "team_id", "user_id"))


@pytest.fixture(scope="module", params=BACKENDS)
def demo_engine(request, tmp_path_factory) -> Engine:
    with demo_company(request, tmp_path_factory, size="default", seed=5, today=TODAY) as engine:
        yield engine


def _by_hand(rows, t: date, end: date, keep=lambda row: True) -> dict[int, float]:
    """Open amount by stage position on ``t``: a stay of an open stage covering ``t`` begun
    at most ``MAX_STAY_DAYS`` before it, of a deal expected to close by ``end`` or undated."""
    out: dict[int, float] = {}
    for row in rows:
        position, kind, entered, left, amount, expected = row[:6]
        covers = t - timedelta(days=fc.MAX_STAY_DAYS) <= entered <= t and (left is None or left > t)
        if kind == "open" and covers and (expected is None or expected <= end) and keep(row):
            out[position] = out.get(position, 0.0) + amount
    return out


def test_open_pipeline_as_of_past_days_by_hand(demo_engine):
    days = [TODAY - timedelta(days=d) for d in range(0, 366, 3)]  # boundaries get hit
    with read_session(demo_engine) as s:
        rows = s.execute(
            select(STAGE.c.position, STAGE.c.kind, HISTORY.c.entered_on, HISTORY.c.left_on,
                   OPP.c.amount_minor, OPP.c.expected_close_on, OPP.c.owner_id, OPP.c.team_id)
            .join(HISTORY, HISTORY.c.stage_id == STAGE.c.id)
            .join(OPP, OPP.c.id == HISTORY.c.opportunity_id)
        ).all()  # fmt: skip
        rep_id = s.scalars(select(USER.c.id).where(USER.c.role == Role.REP)).first()
        rep = load_viewer(s, rep_id)
        team = rep.team_ids[0] if rep.team_ids else None
        points = [(t, t + timedelta(days=45)) for t in days]
        company = fc.open_pipeline_as_of(s, SYSTEM, DIMS, points, TODAY)
        mine = fc.open_pipeline_as_of(s, rep, DIMS, points, TODAY)
        theirs = fc.open_pipeline_as_of(s, SYSTEM, {**DIMS, "team_id": team}, points, TODAY)
    late = [r for r in rows if r.expected_close_on and r.expected_close_on > TODAY + timedelta(45)]
    assert late  # some deals are expected to close after a period's end: the rule is tried
    for i, (t, end) in enumerate(points):
        assert company[i] == pytest.approx(_by_hand(rows, t, end)), t
        assert mine[i] == pytest.approx(_by_hand(rows, t, end, lambda r: r.owner_id == rep_id)), t
        assert theirs[i] == pytest.approx(_by_hand(rows, t, end, lambda r: r.team_id == team)), t
    assert all(company) and any(mine) and any(theirs)


def _month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def test_the_open_pipeline_table_answers_as_the_stays_do(demo_engine):
    """Periods ending on a month's last day: the company, a product line, a region, a team
    and a manager's teams read ``open_pipeline`` (a month of rows a point), a rep their
    own deals; every point equals the stays counted by hand (boundaries of the 180-day
    reach, the expected close month and undated deals included)."""
    days = [TODAY - timedelta(days=d) for d in range(0, 366, 4)]
    days += [date(2026, m, 1) for m in range(1, 12)]  # a month's first day: no change since
    with demo_engine.begin() as conn:  # undated deals (the demo dates every deal): the
        # triggers move them to month 0001-01 of the open pipeline
        conn.execute(update(OPP).where(OPP.c.id % 7 == 0).values(expected_close_on=None))
    with read_session(demo_engine) as s:
        rows = s.execute(
            select(STAGE.c.position, STAGE.c.kind, HISTORY.c.entered_on, HISTORY.c.left_on,
                   OPP.c.amount_minor, OPP.c.expected_close_on, OPP.c.owner_id, OPP.c.team_id,
                   OPP.c.product_line_id, OPP.c.region_id)
            .join(HISTORY, HISTORY.c.stage_id == STAGE.c.id)
            .join(OPP, OPP.c.id == HISTORY.c.opportunity_id)
        ).all()  # fmt: skip
        manager_id = s.scalars(select(USER.c.id).where(USER.c.role == Role.MANAGER)).first()
        manager = load_viewer(s, manager_id)
        rep_id = s.scalars(select(USER.c.id).where(USER.c.role == Role.REP)).first()
        rep = load_viewer(s, rep_id)
        line, region = rows[0].product_line_id, rows[0].region_id
        points = [(t, _month_end(t + timedelta(days=20 * (i % 4)))) for i, t in enumerate(days)]
        cases = {
            "company": (SYSTEM, DIMS, lambda r: True),
            "product line": (SYSTEM, {**DIMS, "product_line_id": line},
                             lambda r: r.product_line_id == line),
            "region": (SYSTEM, {**DIMS, "region_id": region}, lambda r: r.region_id == region),
            "manager": (manager, DIMS, lambda r: r.team_id in manager.team_ids),
            "rep": (rep, DIMS, lambda r: r.owner_id == rep_id),
        }  # fmt: skip
        found = {name: fc.open_pipeline_as_of(s, viewer, dims, points, TODAY)
                 for name, (viewer, dims, _) in cases.items()}  # fmt: skip
        by_table = {name: fc._table_can_answer(scoped_filter(viewer, NO_FILTER), dims, points)
                   for name, (viewer, dims, _) in cases.items()}  # fmt: skip
    assert by_table == {"company": True, "product line": True, "region": True, "manager": True,
                       "rep": False}  # fmt: skip
    undated = [r for r in rows if r.expected_close_on is None]
    late = [r for r in rows if r.expected_close_on and r.expected_close_on > _month_end(TODAY)]
    assert undated and late  # both sides of the close-month rule are tried
    for name, (_, _, keep) in cases.items():
        for i, (t, end) in enumerate(points):
            assert found[name][i] == pytest.approx(_by_hand(rows, t, end, keep)), (name, t)
        assert any(found[name]), name
