"""What top performers do differently: the group comparison worked by hand, and the per-rep
behaviours it reads (the same figures the leaderboard and the review show) on both
backends."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from salesboard.calendar.workdays import make_calendar
from salesboard.evaluation.top_performers import (
    MIN_GROUP,
    better_in_top,
    compare_groups,
    compare_top_and_bottom,
    rep_behaviours,
    split_groups,
)
from salesboard.figures.sales import proposal_turnaround
from salesboard.pipeline.durations import stage_pace
from salesboard.store.db import read_session
from tests.companies.pipeline import AS_OF, build

CN = make_calendar("CN")


def test_the_seeds_finding_reads_as_a_clear_difference():
    # Top converters visit 4×/week (seed 000): 4, 5, 3, 4, 4 against 1, 2, 1, 1, 0.
    found = compare_groups(pd.Series([4, 5, 3, 4, 4]), pd.Series([1, 2, 1, 1, 0]),
                           "visits_per_week")  # fmt: skip
    # Means 4 and 1; each group's variance 2/4 = 0.5, so the pooled sd is √0.5 = 0.7071 and
    # d = (4 − 1) / 0.7071 = 4.243.
    assert (found.top_mean, found.bottom_mean, found.ratio) == (4.0, 1.0, 4.0)
    assert found.top_sd == pytest.approx(math.sqrt(0.5))
    assert found.effect == pytest.approx(3 / math.sqrt(0.5))
    assert found.verdict == "clear" and better_in_top(found)


def test_no_finding_from_three_people_or_from_overlapping_groups():
    thin = compare_groups(pd.Series([9, 9, 9]), pd.Series([1, 1, 1]), "visits_per_week")
    assert thin.verdict == "thin" and MIN_GROUP > 3
    # Means 4.0 and 3.9 with sds 1.0 and 0.742: d = 0.1 / 0.880 = 0.11, the groups overlap.
    overlap = compare_groups(pd.Series([3, 4, 5, 3, 5]), pd.Series([3, 5, 4, 4, 3.5]),
                             "visits_per_week")  # fmt: skip
    assert overlap.effect == pytest.approx(0.1 / math.sqrt((4 * 1.0 + 4 * 0.55) / 8), rel=1e-3)
    assert overlap.verdict == "none"


def test_less_stage_time_is_better_in_the_top_group():
    found = compare_groups(pd.Series([0.8, 0.9, 0.7, 0.8, 0.8]), pd.Series([1.5, 1.4, 1.6, 1.5, 1.5]),
                           "stage_pace")  # fmt: skip
    assert found.effect < 0 and better_in_top(found) and found.verdict == "clear"


def test_quartiles_rank_by_the_result_and_leave_out_the_unranked():
    frame = pd.DataFrame({"id": range(10), "attainment": [0.9, 0.2, None, 1.3, 0.5, 0.7, 0.1,
                                                          1.1, 0.8, 0.4]})  # fmt: skip
    top, bottom = split_groups(frame, "attainment")
    # 9 ranked reps: a quarter is 2 each — 1.3 and 1.1 at the top, 0.2 and 0.1 at the bottom.
    assert frame.loc[top, "attainment"].tolist() == [1.3, 1.1]
    assert frame.loc[bottom, "attainment"].tolist() == [0.2, 0.1]


@pytest.fixture
def store(engine):
    return build(engine)


def test_stage_pace_and_proposal_turnaround_per_rep(store):
    admin, ra, rb = store.viewers["admin"], store.viewers["ra"], store.viewers["rb"]
    march = (date(2026, 3, 1), AS_OF)
    with read_session(store.engine) as s:
        pace = stage_pace(s, admin, *march, CN).set_index("owner_id")
        own = stage_pace(s, ra, *march, CN)
        turnaround = proposal_turnaround(s, admin, date(2026, 2, 1), date(2026, 2, 28), AS_OF, CN)
    # ra: D2 left proposal (standard 10) on 03-02 after entering on 02-02.
    d2 = CN.working_days_between(date(2026, 2, 2), date(2026, 3, 2))
    assert pace.loc[ra.user_id, "stays"] == 1
    assert pace.loc[ra.user_id, "pace"] == pytest.approx(d2 / 10)
    # rb: D3 proposal 02-10→03-03 (10), D6 proposal 02-25→03-03 (10), D4 negotiation
    # 02-11→03-04 (7) and contract 03-04→03-05 (5): the mean of the four ratios.
    ratios = [CN.working_days_between(date(2026, 2, 10), date(2026, 3, 3)) / 10,
              CN.working_days_between(date(2026, 2, 25), date(2026, 3, 3)) / 10,
              CN.working_days_between(date(2026, 2, 11), date(2026, 3, 4)) / 7,
              CN.working_days_between(date(2026, 3, 4), date(2026, 3, 5)) / 5]  # fmt: skip
    assert pace.loc[rb.user_id, "stays"] == 4
    assert pace.loc[rb.user_id, "pace"] == pytest.approx(sum(ratios) / 4)
    assert own["owner_id"].tolist() == [ra.user_id]  # a rep sees their own stays only
    # D2's first proposal (提交初步方案) was done on Mon 02-09, a week after the deal entered
    # the proposal stage on Mon 02-02: 5 working days.
    assert turnaround == {ra.user_id: (1, 5.0)}


def test_behaviours_are_the_leaderboards_figures(demo_store):
    from sqlmodel import Session

    from salesboard.accounts.access import SYSTEM
    from salesboard.goals.leaderboard import leaderboard
    from salesboard.store.db import create_store_engine

    engine = create_store_engine(demo_store)
    with Session(engine) as s:
        frame = rep_behaviours(s, SYSTEM, "2026-10", "revenue", date(2026, 11, 23))
        board = leaderboard(s, SYSTEM, "2026-10", "revenue", date(2026, 11, 23), "rep")
    engine.dispose()
    merged = frame.merge(board, on="id", suffixes=("", "_board"))
    assert len(merged) == len(board) > 8
    assert (merged["attainment"].fillna(-1) == merged["attainment_board"].fillna(-1)).all()
    assert (
        merged["effective_share"].fillna(-1) == merged["effective_share_board"].fillna(-1)
    ).all()
    # October 2026 has 18 working days: 22 weekdays, 5 of them National Day holidays, and
    # Saturday 10-10 made up.
    assert CN.working_days_between(date(2026, 9, 30), date(2026, 10, 31)) == 18
    weeks = 18 / 5
    assert merged["visits_per_week"].to_numpy() == pytest.approx(merged["visits"] / weeks)
    found = compare_top_and_bottom(frame, "attainment")
    assert {c.behaviour for c in found} == {"visits_per_week", "effective_share",
                                            "action_on_time", "stage_pace", "proposal_days"}  # fmt: skip
