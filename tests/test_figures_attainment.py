"""Whose attainment is it (issue 13 item 1), worked on the hand-made company of
tests/companies/goals.py (2026Q4 as of 11-15, 万元): the goal tree is the authority — a viewer's
attainment is over their own top goal nodes — and every page's number is this one.

- r1 has two goals, 产品A 200 and 产品B 140: 340 in all; won A 120 + B 80 = 200 → 58.8 %.
  The goal page opens on one branch (A: 120 / 200 = 60 %), which is not r1's attainment.
- m1 leads 华南一组: its goals A 350 + B 240 = 590; won 120 + 90 + 80 = 290 → 49.2 %.
- the boss sees the company goal, which every deal falls under: 450 + the two 产品C deals
  added here (70 + 30) = 550 / 1,000.
- A deal of r1 in a product line without a goal of theirs (产品C, 70 万, won 11-03) is in
  their won amount, not in their attainment; a rep without any goal has no attainment.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from salesboard.accounts.access import load_viewer
from salesboard.calendar.periods import parse_period
from salesboard.figures.attainment import owner_attainments, viewer_attainment
from salesboard.goals.leaderboard import leaderboard
from salesboard.goals.view import goal_tree
from salesboard.overview.figures import overview_kpis
from salesboard.store.db import read_session, write_session
from salesboard.store.models import Customer, Opportunity, ProductLine, Role, Stage, User
from tests.companies.goals import AS_OF, WAN, build_goal_store

Q4 = parse_period("2026Q4")


@pytest.fixture
def store(engine):
    ids = build_goal_store(engine)
    with write_session(engine) as s:
        line = ProductLine(code="C", name_zh="产品C", name_en="Product C")
        s.add(line)
        s.add(User(username="r4", display_name="销售四", role=Role.REP, team_id=ids.teams["t1"]))
        s.flush()
        r4 = s.exec(select(User.id).where(User.username == "r4")).one()
        delivery = s.exec(select(Stage.id).where(Stage.code == "delivery")).one()
        customer = s.exec(select(Customer.id)).first()
        for i, (owner, wan) in enumerate(((ids.users["r1"], 70), (r4, 30)), start=1):
            s.add(Opportunity(
                code=f"XS2026119{i:02d}", customer_id=customer, owner_id=owner,
                team_id=ids.teams["t1"], region_id=ids.regions["south"], product_line_id=line.id,
                amount_minor=wan * WAN, created_on=date(2026, 10, 1), current_stage_id=delivery,
                stage_entered_on=date(2026, 11, 3), status="won", won_on=date(2026, 11, 3),
            ))  # fmt: skip
        ids.users["r4"] = r4
    return engine, ids


def viewer(engine, user_id):
    with read_session(engine) as s:
        return load_viewer(s, user_id)


@pytest.mark.parametrize(
    ("who", "target", "actual"),
    [("r1", 340, 200), ("r2", 250, 90), ("m1", 590, 290), ("boss", 1000, 550)],
)
def test_a_viewers_attainment_is_over_their_own_goals(store, who, target, actual):
    engine, ids = store
    me = viewer(engine, ids.users[who])
    with read_session(engine) as s:
        mine = viewer_attainment(s, me, Q4, "revenue", AS_OF)
        kpis = overview_kpis(s, me, Q4, AS_OF)
    assert (mine.target, mine.actual) == (target * WAN, actual * WAN)
    assert mine.ratio == pytest.approx(actual / target)
    assert kpis.goal == mine  # the Overview shows exactly this


def test_the_goal_page_branch_is_not_the_total(store):
    engine, ids = store
    r1 = viewer(engine, ids.users["r1"])
    with read_session(engine) as s:
        view = goal_tree(s, r1, "2026Q4", "revenue", AS_OF)
        total = viewer_attainment(s, r1, Q4, "revenue", AS_OF)
    a = view.node(ids.goals["A_r1"])
    assert (a["target"], a["actual"]) == (200 * WAN, 120 * WAN)  # one branch: 60 %
    assert set(total.goal_ids) == {ids.goals["A_r1"], ids.goals["B_r1"]}
    # The total is the sum of the branches' own rows (no goal counted twice).
    branches = view.nodes[view.nodes["id"].isin(total.goal_ids)]
    assert branches["actual"].sum() == total.actual and branches["target"].sum() == total.target


def test_won_amount_counts_every_deal_attainment_only_those_under_a_goal(store):
    engine, ids = store
    r1, r4 = viewer(engine, ids.users["r1"]), viewer(engine, ids.users["r4"])
    with read_session(engine) as s:
        mine = overview_kpis(s, r1, Q4, AS_OF)
        none = overview_kpis(s, r4, Q4, AS_OF)
    assert mine.won_amount_minor == 270 * WAN  # 120 + 80 + 70 on 产品C
    assert mine.goal.actual == 200 * WAN  # 产品C is no goal of r1's
    # No goal: no target and no attainment; the actual is everything in sight.
    assert none.goal.goal_ids == () and none.revenue_goal_minor is None
    assert none.attainment is None and none.goal.actual == 30 * WAN


def test_leaderboard_rows_are_each_owners_own_attainment(store):
    engine, ids = store
    for who in ("m1", "boss"):
        board_viewer = viewer(engine, ids.users[who])
        with read_session(engine) as s:
            reps = leaderboard(s, board_viewer, "2026Q4", "revenue", AS_OF).set_index("id")
            teams = leaderboard(s, board_viewer, "2026Q4", "revenue", AS_OF, "team")
            own = {
                rep: viewer_attainment(s, viewer(engine, ids.users[rep]), Q4, "revenue", AS_OF)
                for rep in ("r1", "r2", "r4")
            }
            m1 = viewer_attainment(s, viewer(engine, ids.users["m1"]), Q4, "revenue", AS_OF)
        for rep, mine in own.items():
            row = reps.loc[ids.users[rep]]
            assert (row["target"], row["actual"]) == (
                pytest.approx(
                    mine.target if mine.target is not None else float("nan"), nan_ok=True
                ),
                mine.actual,
            )
        team = teams.set_index("id").loc[ids.teams["t1"]]
        assert (team["target"], team["actual"], team["attainment"]) == (
            m1.target,
            m1.actual,
            pytest.approx(m1.ratio),
        )


def test_owner_attainments_by_team_match_the_manager(store):
    engine, ids = store
    boss = viewer(engine, ids.users["boss"])
    with read_session(engine) as s:
        teams = owner_attainments(s, boss, Q4, "revenue", AS_OF, "team", [ids.teams["t2"]])
        m2 = viewer_attainment(s, viewer(engine, ids.users["m2"]), Q4, "revenue", AS_OF)
    assert teams[ids.teams["t2"]] == m2
    assert (m2.target, m2.actual) == (410 * WAN, 160 * WAN)  # 250 + 160; 100 + 60
