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
from decimal import Decimal

from sqlmodel import select

from salesboard.calendar.periods import parse_period
from salesboard.store.db import write_session
from salesboard.store.models import (
    Collection,
    Customer,
    Goal,
    KeyAction,
    Opportunity,
    ProductLine,
    Region,
    Role,
    Stage,
    StageHistory,
    Team,
    TeamManager,
    User,
    Visit,
)
from salesboard.store.reference_data import ensure_reference_data

AS_OF = date(2026, 11, 15)
Q4 = ("2026Q4", date(2026, 10, 1), date(2026, 12, 31))
WAN = 1_000_000  # minor units per 万元


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


def build_goal_store(engine) -> GoalStore:
    """Write the hand-made company into ``engine``'s (empty, migrated) store."""
    ids = GoalStore()
    with write_session(engine) as s:
        ensure_reference_data(s)
        s.flush()
        ids.stages = {st.code: st.id for st in s.exec(select(Stage))}
        for code, zh, en in (("south", "华南", "South China"), ("east", "华东", "East China")):
            region = Region(code=code, name_zh=zh, name_en=en)
            s.add(region)
            s.flush()
            ids.regions[code] = region.id
        for code in "AB":
            line = ProductLine(code=code, name_zh=f"产品{code}", name_en=f"Product {code}")
            s.add(line)
            s.flush()
            ids.lines[code] = line.id
        for name, zh, region in (("t1", "华南一组", "south"), ("t2", "华东一组", "east")):
            team = Team(name=zh, region_id=ids.regions[region])
            s.add(team)
            s.flush()
            ids.teams[name] = team.id
        people = [
            ("admin", "管理员", Role.ADMIN, None),
            ("boss", "老板", Role.LEADER, None),
            ("m1", "经理一", Role.MANAGER, "t1"),
            ("m2", "经理二", Role.MANAGER, "t2"),
            ("r1", "销售一", Role.REP, "t1"),
            ("r2", "销售二", Role.REP, "t1"),
            ("r3", "销售三", Role.REP, "t2"),
        ]
        for username, display, role, team in people:
            user = User(
                username=username,
                display_name=display,
                role=role,
                team_id=ids.teams[team] if team else None,
            )
            s.add(user)
            s.flush()
            ids.users[username] = user.id
        s.add_all(
            [
                TeamManager(team_id=ids.teams["t1"], user_id=ids.users["m1"]),
                TeamManager(team_id=ids.teams["t2"], user_id=ids.users["m2"]),
            ]
        )
        customers = _customers(s, ids)
        _deals(s, ids, customers)
        _visits_and_collections(s, ids, customers)
        for rows, metric in (
            (REVENUE_GOALS, "revenue"),
            (CUSTOMER_GOALS, "new_customers"),
            (CYCLE_GOALS, "cycle_days"),
            (VISIT_GOALS, "visits"),
            (COLLECTION_GOALS, "collection"),
        ):
            _goals(s, ids, rows, metric)
        for label, wan in MONTH_GOALS:
            period = parse_period(label)
            goal = Goal(
                period=label, period_start=period.start, period_end=period.end,
                metric="revenue", scope="company", owner_id=ids.users["boss"],
                target=Decimal(wan * WAN),
            )  # fmt: skip
            s.add(goal)
            s.flush()
            ids.goals[f"month_{label}"] = goal.id
    return ids


def _customers(s, ids: GoalStore) -> dict[str, int]:
    # New in Q4: r1 three (10-05, 10-20, 11-03), r3 one (11-01), r1 one after AS_OF (11-18);
    # older accounts: r2 (2025-06-01) and r3 (2025-03-01).
    rows = [
        ("c1", "r1", "south", date(2026, 10, 5)),
        ("c2", "r1", "south", date(2026, 10, 20)),
        ("c3", "r1", "south", date(2026, 11, 3)),
        ("c4", "r3", "east", date(2026, 11, 1)),
        ("c5", "r2", "south", date(2025, 6, 1)),
        ("c6", "r3", "east", date(2025, 3, 1)),
        ("c7", "r1", "south", date(2026, 11, 18)),
    ]
    out = {}
    for name, owner, region, created in rows:
        customer = Customer(
            name=f"客户{name}",
            region_id=ids.regions[region],
            owner_id=ids.users[owner],
            created_on=created,
        )
        s.add(customer)
        s.flush()
        out[name] = customer.id
    return out


def _deals(s, ids: GoalStore, customers: dict[str, int]) -> None:
    account = {"r1": "c1", "r2": "c5", "r3": "c4"}
    team = {"r1": "t1", "r2": "t1", "r3": "t2"}
    for i, (name, line, region, rep, wan, created, won, status) in enumerate(DEALS, start=1):
        stage = "delivery" if status == "won" else "proposal"  # won = signed, in delivery
        deal = Opportunity(
            code=f"XS202610{i:03d}",
            customer_id=customers[account[rep]],
            owner_id=ids.users[rep],
            team_id=ids.teams[team[rep]],
            region_id=ids.regions[region],
            product_line_id=ids.lines[line],
            amount_minor=wan * WAN,
            created_on=created,
            current_stage_id=ids.stages[stage],
            stage_entered_on=won or created,
            status=status,
            won_on=won,
        )
        s.add(deal)
        s.flush()
        ids.deals[name] = deal.id
    for i, (name, rep, stage, lost_on) in enumerate(LOST, start=1):
        deal = Opportunity(
            code=f"XS202601{i:03d}",
            customer_id=customers[account[rep]],
            owner_id=ids.users[rep],
            team_id=ids.teams[team[rep]],
            region_id=ids.regions["east" if rep == "r3" else "south"],
            product_line_id=ids.lines["A"],
            amount_minor=50 * WAN,
            created_on=lost_on - timedelta(days=30),
            current_stage_id=ids.stages["lost"],
            stage_entered_on=lost_on,
            status="lost",
            lost_stage_id=ids.stages[stage],
            lost_on=lost_on,
        )
        s.add(deal)
        s.flush()
        ids.deals[name] = deal.id
    # Key actions planned in Q4: r1 three (two done on time, one late), r3 one not done.
    for rep, deal, planned, done in (
        ("r1", "a_r1", date(2026, 10, 14), date(2026, 10, 13)),
        ("r1", "a_r1", date(2026, 10, 16), date(2026, 10, 16)),
        ("r1", "b_r1", date(2026, 10, 9), date(2026, 10, 12)),
        ("r3", "a_r3", date(2026, 11, 5), None),
    ):
        s.add(
            KeyAction(
                opportunity_id=ids.deals[deal], stage_id=ids.stages["needs_analysis"],
                owner_id=ids.users[rep], action="客户痛点访谈", planned_on=planned, done_on=done,
            )
        )  # fmt: skip
    for stage, entered, left in OPEN_STAYS:
        s.add(
            StageHistory(
                opportunity_id=ids.deals["open_r1"],
                stage_id=ids.stages[stage],
                entered_on=entered,
                left_on=left,
            )
        )


def _visits_and_collections(s, ids: GoalStore, customers: dict[str, int]) -> None:
    # Q4 visits: r1 three (two effective), r3 two (none effective); one r1 visit in Q3.
    visits = [
        ("r1", date(2026, 10, 15), True),
        ("r1", date(2026, 10, 22), True),
        ("r1", date(2026, 11, 3), False),
        ("r3", date(2026, 11, 4), False),
        ("r3", date(2026, 11, 12), False),
        ("r1", date(2026, 9, 30), True),
    ]
    for rep, day, effective in visits:
        s.add(
            Visit(
                customer_id=customers["c1"],
                rep_id=ids.users[rep],
                visited_on=day,
                effective=effective,
                with_decision_maker=effective,
                need_obtained=effective,
                minutes=40,
            )
        )
    # Collected in Q4 up to AS_OF: 60 万 (a_r1, 11-05) + 80 万 (b_r1, 11-10) = 140 万;
    # a_r3's 100 万 comes in 11-20, after AS_OF.
    for deal, wan, collected in (
        ("a_r1", 60, date(2026, 11, 5)),
        ("b_r1", 80, date(2026, 11, 10)),
        ("a_r3", 100, date(2026, 11, 20)),
    ):
        s.add(
            Collection(
                opportunity_id=ids.deals[deal],
                due_on=collected,
                due_minor=wan * WAN,
                collected_on=collected,
                collected_minor=wan * WAN,
            )
        )


def _goals(s, ids: GoalStore, rows, metric: str) -> None:
    label, start, end = Q4
    money = metric in ("revenue", "collection")
    for name, parent, scope, dims, owner, target in rows:
        goal = Goal(
            period=label,
            period_start=start,
            period_end=end,
            metric=metric,
            scope=scope,
            parent_id=ids.goals[parent] if parent else None,
            product_line_id=ids.lines[dims["pl"]] if "pl" in dims else None,
            region_id=ids.regions[dims["region"]] if "region" in dims else None,
            team_id=ids.teams[dims["team"]] if "team" in dims else None,
            user_id=ids.users[dims["user"]] if "user" in dims else None,
            owner_id=ids.users[owner],
            target=Decimal(target * WAN if money else target),
        )
        s.add(goal)
        s.flush()
        ids.goals[name] = goal.id
