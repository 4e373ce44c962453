"""The forecast's open pipeline as of past days (``goals.forecast.open_pipeline_as_of``)
against the rows counted one by one, on the default demo company (8,000 deals), on SQLite
and PostgreSQL: for the company (the stays drive, by either index range) and for a rep and
a team (their deals drive), with periods ending soon enough that deals expected to close
later are left out."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, select

from salesboard.accounts.access import SYSTEM, load_viewer
from salesboard.goals import forecast as fc
from salesboard.store.db import read_session
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
