"""Forecast and back-test: the pure formulas with answers worked out by hand, then the
hand-made company (tests/companies/goals.py) on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from salesboard.accounts.access import SYSTEM, load_viewer
from salesboard.calendar.periods import parse_period
from salesboard.calendar.workdays import make_calendar
from salesboard.goals import forecast as fc
from salesboard.goals.backtest import mape, same_point
from salesboard.goals.trend import monthly_trend
from salesboard.store.db import read_session
from tests.companies.goals import AS_OF, WAN, build_goal_store

COMPANY = dict.fromkeys(("product_line_id", "region_id", "team_id", "user_id"))


def test_run_rate():
    # 450 in 20 of 40 working days → 900 at the end; nothing to say before day one.
    assert fc.run_rate_forecast(450, 20, 40) == 900
    assert fc.run_rate_forecast(450, 0, 40) is None


def test_stage_win_rates_count_lost_deals_up_to_their_stage():
    closed = pd.DataFrame(
        {
            "status": ["won", "lost", "lost", "lost", "lost"],
            "lost_position": [-1, 1, 2, 3, 4],
            "deals": [6, 4, 2, 1, 3],
        }
    )
    rates = fc.stage_win_rates(closed, [1, 2, 3, 4])
    # Reached stage 1: all 10 lost + 6 won → 6/16; stage 2: lost at 2, 3, 4 (6) → 6/12;
    # stage 3: lost at 3, 4 (4) → 6/10; stage 4: lost at 4 (3) → 6/9.
    assert rates == pytest.approx({1: 0.375, 2: 0.5, 3: 0.6, 4: 6 / 9})
    assert fc.stage_win_rates(closed.iloc[0:0], [1]) == {1: None}


def test_pipeline_forecast_weights_open_amounts():
    rates = {1: 0.375, 2: 0.5, 3: 0.6, 4: None}
    # 450 + 100 × 0.375 + 200 × 0.5 + 300 × 0 (no rate) = 587.5
    assert fc.pipeline_forecast(450, {1: 100, 2: 200, 4: 300}, rates) == pytest.approx(587.5)


def test_mape():
    # |110 − 100| / 100 and |90 − 100| / 100 → 10 %; pairs without a forecast or with a zero
    # actual are left out.
    assert mape([110, 90, None, 5], [100, 100, 50, 0]) == pytest.approx(0.1)
    assert mape([None], [100]) is None


def test_same_point_of_an_earlier_period():
    plain = make_calendar("plain")
    # July 2026 (plain calendar) has 23 working days; 50 % → the 12th (rounded 11.5 → 12):
    # Jul 1–3 (3), 6–10 (8), 13–15 (11), 16th is the 12th working day.
    assert same_point(plain, parse_period("2026-07"), 0.5) == date(2026, 7, 16)
    assert same_point(plain, parse_period("2026-07"), 1.0) == date(2026, 7, 31)


@pytest.fixture
def store(engine):
    return engine, build_goal_store(engine)


def test_forecast_of_the_company(store):
    engine, ids = store
    with read_session(engine) as s:
        result = fc.forecast(s, SYSTEM, "2026Q4", "revenue", AS_OF, COMPANY, backtest_count=1)
    # Q4 2026 in China's calendar: 62 working days (National Day off, 10-10 worked); up to
    # Sunday 11-15: Oct 8, 9, 10 + 15 weekdays + Nov 2–13 (10) = 28.
    assert (result.elapsed_days, result.total_days) == (28, 62)
    assert result.actual == 450 * WAN
    assert result.run_rate == pytest.approx(450 * WAN / 28 * 62)
    # Win rates over the year to 11-15: 6 won (5 in Q4 + 1 in Q3); lost at lead 2, proposal
    # 1, negotiation 1 → proposal: 6 / (6 + 2) = 0.75. The open deal (300 万, proposal, no
    # expected close) adds 225 万.
    by_stage = result.pipeline_by_stage.set_index("position")
    assert by_stage.loc[3, "win_rate"] == pytest.approx(0.75)
    assert by_stage.loc[1, "win_rate"] == pytest.approx(0.6)  # 6 / (6 + 4)
    assert by_stage.loc[3, "open_amount"] == 300 * WAN
    assert result.pipeline == pytest.approx(675 * WAN)
    # Back-test on Q3: the same point (28 of 62 → 30 of Q3's 67 working days) is 08-11,
    # before Q3's only deal (500 万, won 09-28): both methods said 0, so both were 100 % off.
    row = result.backtest.iloc[0]
    assert (row["period"], row["as_of"]) == ("2026Q3", date(2026, 8, 11))
    assert (row["actual_then"], row["final"]) == (0, 500 * WAN)
    assert result.run_rate_mape == pytest.approx(1.0)
    assert result.pipeline_mape == pytest.approx(1.0)


def test_open_pipeline_is_the_same_whichever_index_reads_a_point(store):
    """A point near the latest one reads the stays still open and those ended after it; one
    further back, the stays begun before it: both give the same open amounts."""
    engine, _ = store
    days = [date(2026, m, d) for m in range(6, 12) for d in (1, 15)]
    with read_session(engine) as s:
        near = [fc.open_pipeline_as_of(s, SYSTEM, COMPANY, [(t, AS_OF)])[0] for t in days]
        far = fc.open_pipeline_as_of(s, SYSTEM, COMPANY, [(t, AS_OF) for t in days]
                                     + [(date(2028, 1, 1), AS_OF)])[:-1]  # fmt: skip
    assert near == far
    assert any(near)  # the company has open deals at some of these days


def test_forecast_of_a_rep_only_sees_their_deals(store):
    engine, ids = store
    with read_session(engine) as s:
        rep = load_viewer(s, ids.users["r1"])
        mine = {**COMPANY, "user_id": ids.users["r1"], "product_line_id": ids.lines["A"]}
        result = fc.forecast(s, rep, "2026Q4", "revenue", AS_OF, mine, backtest_count=0)
        other = {**COMPANY, "user_id": ids.users["r3"]}
        theirs = fc.forecast(s, rep, "2026Q4", "revenue", AS_OF, other, backtest_count=0)
    assert result.actual == 120 * WAN
    assert result.pipeline == pytest.approx((120 + 225) * WAN)
    assert theirs.actual == 0 and theirs.pipeline == 0  # a colleague's deals stay hidden


def test_monthly_trend_with_cumulative_attainment(store):
    engine, _ = store
    with read_session(engine) as s:
        trend = monthly_trend(s, SYSTEM, "revenue", 2026, AS_OF, "company", COMPANY)
    by_month = trend.set_index("month")
    # Oct: 120 + 80 = 200 of 300; Nov to the 15th: 90 + 100 + 60 = 250 of 350.
    assert by_month.loc["2026-10", "attainment"] == pytest.approx(200 / 300)
    assert by_month.loc["2026-11", "attainment"] == pytest.approx(250 / 350)
    assert by_month.loc["2026-11", "cumulative_attainment"] == pytest.approx(450 / 650)
    assert by_month.loc["2026-09", "actual"] == 500 * WAN  # no target: no attainment
    assert pd.isna(by_month.loc["2026-09", "attainment"])
    assert pd.isna(by_month.loc["2026-12", "actual"])  # after AS_OF


def test_cycle_days_have_no_run_rate(store):
    engine, _ = store
    with read_session(engine) as s:
        result = fc.forecast(s, SYSTEM, "2026Q4", "cycle_days", AS_OF, COMPANY, backtest_count=0)
    assert result.actual == pytest.approx(5.8)
    assert result.run_rate is None and result.pipeline is None
    assert not result.supports_forecast and not result.supports_pipeline


def test_the_page_halves_give_what_one_forecast_gives(store):
    """The page's two cached halves — the goal's forecast with its trend, and the back-test
    alone — equal one forecast with both, for a node taken from the tree."""
    from salesboard.goals.view import goal_tree

    engine, _ = store
    with read_session(engine) as s:
        tree = goal_tree(s, SYSTEM, "2026Q4", "revenue", AS_OF)
        node = fc.forecast_node(tree, None)  # none chosen: the first forecastable goal
        assert node is not None and node.node_id == fc.forecastable(tree)[0]
        assert fc.forecast_node(tree, 10**9) == node  # an unknown goal reads as none chosen
        whole = fc.forecast(s, SYSTEM, "2026Q4", "revenue", AS_OF, dict(node.dims), node.target)
        upper = fc.node_forecast(s, SYSTEM, "2026Q4", "revenue", AS_OF, node)
        past = fc.node_backtest(s, SYSTEM, "2026Q4", "revenue", AS_OF, node)
        trend = monthly_trend(s, SYSTEM, "revenue", 2026, AS_OF, node.scope, dict(node.dims))
    now = upper.forecast
    assert (now.actual, now.run_rate, now.pipeline) == (
        whole.actual,
        whole.run_rate,
        whole.pipeline,
    )
    pd.testing.assert_frame_equal(now.pipeline_by_stage, whole.pipeline_by_stage)
    assert now.backtest.empty
    pd.testing.assert_frame_equal(past.backtest, whole.backtest)
    assert not past.backtest.empty
    assert (past.run_rate_mape, past.pipeline_mape) == (whole.run_rate_mape, whole.pipeline_mape)
    assert past.actual is None and past.pipeline is None and past.pipeline_by_stage.empty
    pd.testing.assert_frame_equal(upper.trend, trend)
