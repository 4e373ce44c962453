"""A hand-made company for the goal tests, small enough to work every answer out by hand.

The revenue tree of 2026Q4 is the seed's example (万元):
  全公司 1,000 = 产品A 600 (60 %) + 产品B 400 (40 %)
    产品A 600 = 华南 350 + 华东 250;  华南 350 = 华南一组 350 = r1 200 + r2 150
                                      华东 250 = 华东一组 250 = r3 250
    产品B 400 = 华南 240 + 华东 160;  华南 240 = 华南一组 240 = r1 140 + r2 100
                                      华东 160 = 华东一组 160 = r3 160
Deals won in 2026Q4 up to AS_OF (2026-11-15, exactly half of the quarter's 92 days gone):
  A/华南: r1 120 (won 10-20), r2 90 (11-02)   → 210 = 60 % of 350
  A/华东: r3 100 (11-10)                      → 100 = 40 % of 250
  B/华南: r1 80 (10-12)                       →  80
  B/华东: r3 60 (11-13)                       →  60
  company 450 = 45 %; plus one deal won in Q3 and one won 11-20 (after AS_OF), not counted.
Working days lead → won (China's calendar; 10-10 is a make-up Saturday): 6, 10, 6, 3, 4.
For the forecast: one open deal (r1, 产品A, 300 万) sits in "proposal" since 11-09 with no
expected close date; four deals were lost in 2026 (two at lead, one at proposal, one at
negotiation). Month goals of the company: 2026-10 300 万, 2026-11 350 万.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Engine

from salesboard.store.db import write_session
from salesboard.store.models import Role
from tests import builders as b
from tests.builders import WAN

AS_OF = date(2026, 11, 15)
QUARTER = "2026Q4"
__all__ = ["AS_OF", "QUARTER", "WAN", "GoalStore", "build_goal_store"]


@dataclass
class GoalStore:
    """Ids of the hand-made company's rows by a readable name."""

    users: dict[str, int] = field(default_factory=dict)
    teams: dict[str, int] = field(default_factory=dict)
    regions: dict[str, int] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    goals: dict[str, int] = field(default_factory=dict)
    deals: dict[str, int] = field(default_factory=dict)
    stages: dict[str, int] = field(default_factory=dict)


# name, product line, region, rep, amount 万元, created, won (None = open), status
DEALS = [
    ("a_r1", "A", "south", "r1", 120, date(2026, 10, 12), date(2026, 10, 20), "won"),
    ("a_r2", "A", "south", "r2", 90, date(2026, 10, 19), date(2026, 11, 2), "won"),
    ("a_r3", "A", "east", "r3", 100, date(2026, 11, 2), date(2026, 11, 10), "won"),
    ("b_r1", "B", "south", "r1", 80, date(2026, 10, 8), date(2026, 10, 12), "won"),
    ("b_r3", "B", "east", "r3", 60, date(2026, 11, 9), date(2026, 11, 13), "won"),
    ("q3_r1", "A", "south", "r1", 500, date(2026, 8, 3), date(2026, 9, 28), "won"),
    ("late_r2", "B", "south", "r2", 70, date(2026, 11, 2), date(2026, 11, 20), "won"),
    ("open_r1", "A", "south", "r1", 300, date(2026, 10, 26), None, "open"),
]
# Lost deals (closed in the win-rate window): name, rep, stage lost in, lost on.
LOST = [
    ("lost_1", "r2", "lead", date(2026, 3, 2)),
    ("lost_2", "r3", "lead", date(2026, 6, 15)),
    ("lost_3", "r1", "proposal", date(2026, 9, 8)),
    ("lost_4", "r2", "negotiation", date(2026, 10, 21)),
]
# The open deal's stage stays (the last one still open).
OPEN_STAYS = [
    ("lead", date(2026, 10, 26), date(2026, 11, 2)),
    ("needs_analysis", date(2026, 11, 2), date(2026, 11, 9)),
    ("proposal", date(2026, 11, 9), None),
]
# Revenue goals of 2026Q4: name, parent, scope, dims, owner, target 万元.
REVENUE_GOALS = [
    ("company", None, "company", {}, "boss", 1000),
    ("A", "company", "product_line", {"pl": "A"}, "boss", 600),
    ("A_south", "A", "region", {"pl": "A", "region": "south"}, "m1", 350),
    ("A_south_t1", "A_south", "team", {"pl": "A", "region": "south", "team": "t1"}, "m1", 350),
    ("A_r1", "A_south_t1", "rep", {"pl": "A", "region": "south", "team": "t1", "user": "r1"}, "r1", 200),
    ("A_r2", "A_south_t1", "rep", {"pl": "A", "region": "south", "team": "t1", "user": "r2"}, "r2", 150),
    ("A_east", "A", "region", {"pl": "A", "region": "east"}, "m2", 250),
    ("A_east_t2", "A_east", "team", {"pl": "A", "region": "east", "team": "t2"}, "m2", 250),
    ("A_r3", "A_east_t2", "rep", {"pl": "A", "region": "east", "team": "t2", "user": "r3"}, "r3", 250),
    ("B", "company", "product_line", {"pl": "B"}, "boss", 400),
    ("B_south", "B", "region", {"pl": "B", "region": "south"}, "m1", 240),
    ("B_south_t1", "B_south", "team", {"pl": "B", "region": "south", "team": "t1"}, "m1", 240),
    ("B_r1", "B_south_t1", "rep", {"pl": "B", "region": "south", "team": "t1", "user": "r1"}, "r1", 140),
    ("B_r2", "B_south_t1", "rep", {"pl": "B", "region": "south", "team": "t1", "user": "r2"}, "r2", 100),
    ("B_east", "B", "region", {"pl": "B", "region": "east"}, "m2", 160),
    ("B_east_t2", "B_east", "team", {"pl": "B", "region": "east", "team": "t2"}, "m2", 160),
    ("B_r3", "B_east_t2", "rep", {"pl": "B", "region": "east", "team": "t2", "user": "r3"}, "r3", 160),
]  # fmt: skip
# New-customer goals of 2026Q4 (counts): company → region → team → rep.
CUSTOMER_GOALS = [
    ("nc_company", None, "company", {}, "boss", 10),
    ("nc_south", "nc_company", "region", {"region": "south"}, "m1", 6),
    ("nc_t1", "nc_south", "team", {"region": "south", "team": "t1"}, "m1", 6),
    ("nc_r1", "nc_t1", "rep", {"region": "south", "team": "t1", "user": "r1"}, "r1", 4),
    ("nc_r2", "nc_t1", "rep", {"region": "south", "team": "t1", "user": "r2"}, "r2", 2),
    ("nc_east", "nc_company", "region", {"region": "east"}, "m2", 4),
    ("nc_t2", "nc_east", "team", {"region": "east", "team": "t2"}, "m2", 4),
    ("nc_r3", "nc_t2", "rep", {"region": "east", "team": "t2", "user": "r3"}, "r3", 4),
]
# Average deal cycle goals (working days, lower is better).
CYCLE_GOALS = [
    ("cy_company", None, "company", {}, "boss", 6),
    ("cy_t1", "cy_company", "team", {"region": "south", "team": "t1"}, "m1", 6),
    ("cy_t2", "cy_company", "team", {"region": "east", "team": "t2"}, "m2", 5),
]
VISIT_GOALS = [("vi_company", None, "company", {}, "boss", 20)]
MONTH_GOALS = [("2026-10", 300), ("2026-11", 350)]
COLLECTION_GOALS = [("co_company", None, "company", {}, "boss", 300)]


PEOPLE = [  # username, display name, role, team
    ("admin", "管理员", Role.ADMIN, None),
    ("boss", "老板", Role.LEADER, None),
    ("m1", "经理一", Role.MANAGER, "t1"),
    ("m2", "经理二", Role.MANAGER, "t2"),
    ("r1", "销售一", Role.REP, "t1"),
    ("r2", "销售二", Role.REP, "t1"),
    ("r3", "销售三", Role.REP, "t2"),
]
# New in Q4: r1 three (10-05, 10-20, 11-03), r3 one (11-01), r1 one after AS_OF (11-18);
# older accounts: r2 (2025-06-01) and r3 (2025-03-01).
CUSTOMERS = [
    ("c1", "r1", "south", date(2026, 10, 5)),
    ("c2", "r1", "south", date(2026, 10, 20)),
    ("c3", "r1", "south", date(2026, 11, 3)),
    ("c4", "r3", "east", date(2026, 11, 1)),
    ("c5", "r2", "south", date(2025, 6, 1)),
    ("c6", "r3", "east", date(2025, 3, 1)),
    ("c7", "r1", "south", date(2026, 11, 18)),
]
ACCOUNT = {"r1": "c1", "r2": "c5", "r3": "c4"}  # the customer of each rep's deals
# Key actions planned in Q4: r1 three (two done on time, one late), r3 one not done.
ACTIONS = [
    ("a_r1", date(2026, 10, 14), date(2026, 10, 13)),
    ("a_r1", date(2026, 10, 16), date(2026, 10, 16)),
    ("b_r1", date(2026, 10, 9), date(2026, 10, 12)),
    ("a_r3", date(2026, 11, 5), None),
]
# Q4 visits: r1 three (two effective), r3 two (none effective); one r1 visit in Q3.
VISITS = [
    ("r1", date(2026, 10, 15), True),
    ("r1", date(2026, 10, 22), True),
    ("r1", date(2026, 11, 3), False),
    ("r3", date(2026, 11, 4), False),
    ("r3", date(2026, 11, 12), False),
    ("r1", date(2026, 9, 30), True),
]
# Collected in Q4 up to AS_OF: 60 万 (a_r1, 11-05) + 80 万 (b_r1, 11-10) = 140 万;
# a_r3's 100 万 comes in 11-20, after AS_OF.
COLLECTIONS = [
    ("a_r1", 60, date(2026, 11, 5)),
    ("b_r1", 80, date(2026, 11, 10)),
    ("a_r3", 100, date(2026, 11, 20)),
]


def build_goal_store(engine: Engine) -> GoalStore:
    """Write the hand-made company into ``engine``'s (empty, migrated) store."""
    ids = GoalStore()
    with write_session(engine) as s:
        ids.stages = dict(b.stages(s))
        for code in ("south", "east"):
            ids.regions[code] = b.region(s, code).id
        for code in "AB":
            ids.lines[code] = b.product_line(s, code).id
        for name, zh, region in (("t1", "华南一组", "south"), ("t2", "华东一组", "east")):
            ids.teams[name] = b.team(s, zh, region=ids.regions[region]).id
        for username, display, role, team in PEOPLE:
            manages = [ids.teams[team]] if role == Role.MANAGER else []
            ids.users[username] = b.user(
                s, username, role, display_name=display, team=ids.teams.get(team),
                manages=manages,
            ).id  # fmt: skip
        customers = {
            name: b.customer(
                s, f"客户{name}", region=ids.regions[region], owner=ids.users[owner],
                created_on=created,
            ).id
            for name, owner, region, created in CUSTOMERS
        }  # fmt: skip
        _deals(s, ids, customers)
        for deal, planned, done in ACTIONS:
            b.key_action(s, ids.deals[deal], stage="needs_analysis", planned_on=planned,
                         done_on=done)  # fmt: skip
        for rep, day, effective in VISITS:
            b.visit(s, customer=customers["c1"], rep=ids.users[rep], visited_on=day,
                    effective=effective)  # fmt: skip
        for deal, wan, day in COLLECTIONS:
            b.collection(s, ids.deals[deal], due_on=day, due_minor=wan * WAN, collected_on=day,
                         collected_minor=wan * WAN)  # fmt: skip
        for rows, metric in (
            (REVENUE_GOALS, "revenue"),
            (CUSTOMER_GOALS, "new_customers"),
            (CYCLE_GOALS, "cycle_days"),
            (VISIT_GOALS, "visits"),
            (COLLECTION_GOALS, "collection"),
        ):
            _goals(s, ids, rows, metric)
        for label, wan in MONTH_GOALS:
            month = b.goal(s, label, wan * WAN, scope="company", owner=ids.users["boss"])
            ids.goals[f"month_{label}"] = month.id
    return ids


def _deals(s, ids: GoalStore, customers: dict[str, int]) -> None:
    for i, (name, line, region, rep, wan, created, won, status) in enumerate(DEALS, start=1):
        ids.deals[name] = b.opportunity(
            s, code=f"XS202610{i:03d}", owner=ids.users[rep], customer=customers[ACCOUNT[rep]],
            region=ids.regions[region], line=ids.lines[line], amount_minor=wan * WAN,
            created_on=created, status=status, won_on=won,
            stays=OPEN_STAYS if status == "open" else (),
        ).id  # fmt: skip
    for i, (name, rep, stage, lost_on) in enumerate(LOST, start=1):
        ids.deals[name] = b.opportunity(
            s, code=f"XS202601{i:03d}", owner=ids.users[rep], customer=customers[ACCOUNT[rep]],
            line=ids.lines["A"], amount_minor=50 * WAN, created_on=lost_on - timedelta(days=30),
            status="lost", lost_stage=stage, lost_on=lost_on,
        ).id  # fmt: skip


def _goals(s, ids: GoalStore, rows, metric: str) -> None:
    money = metric in ("revenue", "collection")
    for name, parent, scope, dims, owner, target in rows:
        ids.goals[name] = b.goal(
            s, QUARTER, target * WAN if money else target, metric=metric, scope=scope,
            parent=ids.goals.get(parent), owner=ids.users[owner],
            product_line=ids.lines.get(dims.get("pl")), region=ids.regions.get(dims.get("region")),
            team=ids.teams.get(dims.get("team")), user=ids.users.get(dims.get("user")),
        ).id  # fmt: skip
