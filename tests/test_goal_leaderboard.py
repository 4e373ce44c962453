"""Leaderboard on the hand-made company (SQLite and PostgreSQL): ranks by attainment with
visits, key-action completion and win rate beside them; each role sees its part."""

from __future__ import annotations

import pytest

from salesboard.accounts.access import SYSTEM, load_viewer
from salesboard.goals.leaderboard import leaderboard
from salesboard.store.db import read_session
from tests.companies.goals import AS_OF, WAN, build_goal_store


@pytest.fixture
def store(engine):
    return engine, build_goal_store(engine)


def board(engine, viewer=SYSTEM, level="rep", metric="revenue"):
    with read_session(engine) as s:
        return leaderboard(s, viewer, "2026Q4", metric, AS_OF, level)


def test_reps_ranked_with_process_metrics(store):
    engine, ids = store
    table = board(engine).set_index("id")
    r1, r2, r3 = ids.users["r1"], ids.users["r2"], ids.users["r3"]
    # Targets over both product lines: r1 200 + 140, r2 150 + 100, r3 250 + 160 (万).
    # Won to 11-15: r1 120 + 80, r2 90 (its 11-20 deal is later), r3 100 + 60.
    assert table.loc[r1, "target"] == 340 * WAN and table.loc[r1, "actual"] == 200 * WAN
    assert table.loc[r1, "attainment"] == pytest.approx(200 / 340)
    assert table.loc[r2, "attainment"] == pytest.approx(90 / 250)
    assert table.loc[r3, "attainment"] == pytest.approx(160 / 410)
    assert [table.loc[r, "rank"] for r in (r1, r3, r2)] == [1, 2, 3]
    assert list(board(engine)["id"]) == [r1, r3, r2]  # best first
    # Beside the rank: r1 visited 3 times (2 effective), did all 3 key actions due, 2 of
    # them on time (completion = done / due, on time separate), and won both closed deals;
    # r2 won 1 and lost 1; r3's key action is not done.
    assert table.loc[r1, "visits"] == 3
    assert table.loc[r1, "effective_share"] == pytest.approx(2 / 3)
    assert table.loc[r1, "action_completion"] == 1.0
    assert table.loc[r1, "action_on_time"] == pytest.approx(2 / 3)
    assert table.loc[r1, "win_rate"] == 1.0
    assert table.loc[r2, "win_rate"] == 0.5
    assert table.loc[r3, "action_completion"] == 0.0 and table.loc[r3, "action_on_time"] == 0.0
    assert (
        table.loc[r2, "visits"] == 0
        and table.loc[r2, "effective_share"] != table.loc[r2, "effective_share"]
    )


def test_teams_ranked(store):
    engine, ids = store
    table = board(engine, level="team").set_index("id")
    t1, t2 = ids.teams["t1"], ids.teams["t2"]
    # 华南一组: 350 + 240 target, 120 + 90 + 80 won; 华东一组: 250 + 160, 100 + 60.
    assert table.loc[t1, "attainment"] == pytest.approx(290 / 590)
    assert table.loc[t2, "attainment"] == pytest.approx(160 / 410)
    assert table.loc[t1, "rank"] == 1 and table.loc[t1, "visits"] == 3
    assert table.loc[t1, "name"] == "华南一组"


def test_each_role_sees_its_part(store):
    engine, ids = store
    with read_session(engine) as s:
        manager = load_viewer(s, ids.users["m1"])
        rep = load_viewer(s, ids.users["r2"])
    assert set(board(engine, manager)["id"]) == {ids.users["r1"], ids.users["r2"]}
    assert set(board(engine, manager, level="team")["id"]) == {ids.teams["t1"]}
    mine = board(engine, rep)
    assert list(mine["id"]) == [ids.users["r2"]] and mine.iloc[0]["actual"] == 90 * WAN


def test_lower_is_better_ranks_the_fastest_first(store):
    engine, ids = store
    # Cycle goals exist for teams: 华南一组 6 days vs 19/3 actual; 华东一组 5 vs 5.
    table = board(engine, level="team", metric="cycle_days").set_index("id")
    assert table.loc[ids.teams["t2"], "rank"] == 1
    assert table.loc[ids.teams["t1"], "attainment"] == pytest.approx(6 / (19 / 3))
