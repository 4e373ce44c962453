"""The Overview's open pipeline by stage is the board's column totals (``open_pipeline`` by
stage: one figure, one function) with the stage names, and equals the open deals counted
one by one — for every role on the small demo company, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest
from sqlalchemy import Engine, select

from salesboard.accounts.access import SYSTEM, load_viewer, scoped_filter
from salesboard.overview.figures import pipeline_by_stage
from salesboard.pipeline.board import pipeline_board
from salesboard.store.db import read_session
from salesboard.store.filters import NO_FILTER
from salesboard.store.models import Role
from salesboard.store.tables import OPP, STAGE, USER
from tests.conftest import BACKENDS, demo_company

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module", params=BACKENDS)
def demo_engine(request, tmp_path_factory) -> Engine:
    with demo_company(request, tmp_path_factory, size="small", seed=3, today=TODAY) as engine:
        yield engine


def test_pipeline_by_stage_is_the_boards_totals_and_the_deals_one_by_one(demo_engine):
    with read_session(demo_engine) as s:
        viewers = [SYSTEM] + [
            load_viewer(s, s.scalars(select(USER.c.id).where(USER.c.role == role)).first())
            for role in (Role.LEADER, Role.MANAGER, Role.REP)
        ]
        for viewer in viewers:
            frame = pipeline_by_stage(s, viewer)
            deals = s.execute(
                scoped_filter(viewer, NO_FILTER).apply(
                    select(STAGE.c.code, OPP.c.amount_minor)
                    .join(STAGE, STAGE.c.id == OPP.c.current_stage_id)
                    .where(OPP.c.status == "open")
                )
            ).all()
            by_hand: dict[str, list[int]] = defaultdict(lambda: [0, 0])
            for code, amount in deals:
                by_hand[code][0] += 1
                by_hand[code][1] += amount
            shown = {r.code: [r.count, r.amount_minor] for r in frame.itertuples()}
            assert shown == dict(by_hand), viewer.role
            assert list(frame["position"]) == sorted(frame["position"])
            board = {c.stage: [c.count, c.amount_minor] for c in
                     pipeline_board(s, viewer, NO_FILTER, TODAY) if c.kind == "open" and c.count}  # fmt: skip
            assert board == shown, viewer.role
            assert set(frame.columns) >= {"name_zh", "name_en"}
