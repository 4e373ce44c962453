"""The Overview's open pipeline by stage is the board's column totals (``open_pipeline`` by
stage: one figure, one function) with the stage names, and equals the open deals counted
one by one — for every role on the small demo company, on SQLite and PostgreSQL; so do its
monthly won chart and the facts summed in SQL it reads."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import pandas as pd
import pytest
from sqlalchemy import Engine, select

from salesboard.accounts.access import SYSTEM, load_viewer, scoped_filter
from salesboard.calendar.workdays import load_calendar
from salesboard.figures import facts
from salesboard.goals.planning import seasonal_profile
from salesboard.overview.figures import monthly_won_vs_goal, pipeline_by_stage
from salesboard.pipeline.board import pipeline_board
from salesboard.store.db import read_session
from salesboard.store.filters import NO_FILTER, OpportunityFilter
from salesboard.store.models import GoalMetric, Role, User
from salesboard.store.tables import ACTION, OPP, PRODUCT_LINE, STAGE, USER
from tests.conftest import BACKENDS, demo_company

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module", params=BACKENDS)
def demo_engine(request, tmp_path_factory) -> Engine:
    with demo_company(request, tmp_path_factory, size="small", seed=3, today=TODAY) as engine:
        yield engine


@pytest.mark.parametrize("metric", list(GoalMetric))
def test_facts_totals_equal_the_facts_summed_over_the_dimensions(demo_engine, metric):
    """``totals`` (the Overview's monthly won chart) sums in SQL what the grouped facts hold:
    per month for every role and metric, and over the whole range without buckets."""
    months = [(date(2026, m, 1), date(2026, m + 1, 1) - timedelta(days=1)) for m in range(1, 12)]
    start, end = months[0][0], months[-1][1]
    with read_session(demo_engine) as s:
        calendar = load_calendar(s)
        for role in (Role.LEADER, Role.MANAGER, Role.REP):
            user = (
                s.execute(select(User).where(User.role == role).order_by(User.id)).scalars().first()
            )
            viewer = load_viewer(s, user.id)
            for buckets in (months, None):
                grouped = facts.metric_facts(s, viewer, metric, start, end, calendar,
                                             buckets=buckets)  # fmt: skip
                totals = facts.metric_facts(s, viewer, metric, start, end, calendar,
                                            buckets=buckets, totals=True)  # fmt: skip
                keys = ["bucket"] if buckets else []
                values = ["value_sum", "value_count"]
                assert grouped["value_count"].sum() > 0, (role, metric)
                expected = (
                    grouped.groupby(keys)[values].sum().reset_index()
                    if keys
                    else grouped[values].sum().to_frame().T
                )
                assert totals[list(facts.DIMENSIONS)].isna().all().all()
                pd.testing.assert_frame_equal(
                    totals[[*keys, *values]].sort_values(keys, ignore_index=True)
                    if keys
                    else totals[values].reset_index(drop=True),
                    expected.astype(dict.fromkeys(values, "float64")),
                    check_exact=False,
                )


def test_the_monthly_won_chart_is_the_won_deals_one_by_one(demo_engine):
    """The Overview's won-by-month chart (revenue facts summed per month in SQL) equals the
    won deals of each month added up one by one, for every role."""
    with read_session(demo_engine) as s:
        for role in (Role.LEADER, Role.MANAGER, Role.REP):
            viewer = load_viewer(s, s.scalars(select(USER.c.id).where(USER.c.role == role)).first())
            chart = monthly_won_vs_goal(s, viewer, TODAY)
            deals = s.execute(
                scoped_filter(viewer, NO_FILTER).apply(
                    select(OPP.c.won_on, OPP.c.amount_minor).where(OPP.c.status == "won")
                )
            ).all()
            by_month = defaultdict(int)
            for won_on, amount in deals:
                by_month[won_on.strftime("%Y-%m")] += amount
            assert sum(chart["won_minor"]) > 0, role
            assert list(chart["won_minor"]) == [by_month[m] for m in chart["month"]], role


def test_the_seasonal_profile_is_the_won_deals_of_last_year_one_by_one(demo_engine):
    """Goal settings' default seasonal weights for next year read the same monthly revenue
    totals: each calendar month's actual is that month's won deals added up by hand."""
    with read_session(demo_engine) as s:
        leader = load_viewer(
            s, s.scalars(select(USER.c.id).where(USER.c.role == Role.LEADER)).first()
        )
        profile = seasonal_profile(s, leader, GoalMetric.REVENUE, TODAY.year + 1, TODAY)
        deals = s.execute(
            select(OPP.c.won_on, OPP.c.amount_minor).where(OPP.c.status == "won")
        ).all()
    by_month = defaultdict(int)
    first, last = profile.attrs["first"], profile.attrs["last"]
    for won_on, amount in deals:
        if first <= won_on.strftime("%Y-%m") <= last:
            by_month[won_on.month] += amount
    assert sum(by_month.values()) > 0
    assert list(profile["actual"]) == [float(by_month[m]) for m in range(1, 13)]
    assert abs(profile["weight"].sum() - 100) < 0.1


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


def _delivery_by_hand(s, viewer, filters) -> list[tuple]:
    """The won deals ``viewer`` reads within ``filters`` with an undone key action of a won
    stage, as (stage_entered_on, id, amount), longest in the stage first."""
    won_stages = select(STAGE.c.id).where(STAGE.c.kind == "won")
    undone = {
        i for (i,) in s.execute(
            select(ACTION.c.opportunity_id)
            .where(ACTION.c.done_on.is_(None), ACTION.c.stage_id.in_(won_stages))
        )
    }  # fmt: skip
    won = s.execute(
        scoped_filter(viewer, filters).apply(
            select(OPP.c.id, OPP.c.stage_entered_on, OPP.c.amount_minor).where(
                OPP.c.status == "won"
            )
        )
    ).all()
    return sorted((entered, i, amount) for i, entered, amount in won if i in undone)


@pytest.mark.parametrize("limit", [3, 0])
def test_the_delivery_column_is_the_won_deals_still_in_delivery_one_by_one(demo_engine, limit):
    """Count, amount and the first cards (longest in the stage first, ``limit`` of them) of
    the won column, for every role and with a product-line filter, against the deals."""
    seen = []
    with read_session(demo_engine) as s:
        viewers = [SYSTEM] + [
            load_viewer(s, s.scalars(select(USER.c.id).where(USER.c.role == role)).first())
            for role in (Role.LEADER, Role.MANAGER, Role.REP)
        ]
        line = s.scalars(select(PRODUCT_LINE.c.id).order_by(PRODUCT_LINE.c.id)).first()
        for viewer in viewers:
            for filters in (NO_FILTER, OpportunityFilter(product_line_ids=(line,))):
                deals = _delivery_by_hand(s, viewer, filters)
                limits = (("delivery", limit),)
                (column,) = [c for c in pipeline_board(s, viewer, filters, TODAY, limits)
                             if c.kind == "won"]  # fmt: skip
                assert (column.count, column.amount_minor) == (
                    len(deals),
                    sum(a for _, _, a in deals),
                ), (viewer.role, filters)
                assert list(column.cards["id"]) == [i for _, i, _ in deals[:limit]]
                assert column.more == len(deals) - min(limit, len(deals))
                alone = pipeline_board(s, viewer, filters, TODAY, limits, only="delivery")
                assert [(c.count, list(c.cards["id"])) for c in alone] == [
                    (column.count, list(column.cards["id"]))
                ]
                seen.append(len(deals))
    assert max(seen) > 3 and 0 < min(n for n in seen if n) < max(seen)  # not vacuous
