"""A team for the feedback-form tests and one rep's October by hand, with known results:
team 一组 has reps alice and bob and manager mia, carl is in team 二组; alice's October 2026
(with September and October 2025 as the bases of the month-on-month and year-on-year
changes) gives the figures ``test_prefill_equals_the_live_figures`` spells out."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from salesboard.store.db import write_session
from salesboard.store.models import Role
from tests import builders as b
from tests.builders import WAN

OCTOBER = "2026-10"


def feedback_team(engine: Engine) -> dict[str, int]:
    """Two teams; team 1 has reps alice and bob and manager mia; carl is in team 2. Returns
    the user ids by name (the leader is lena, under the key "leader")."""
    with write_session(engine) as s:
        b.stages(s)
        region = b.region(s, "east")
        b.product_line(s, "pl")
        one, two = b.team(s, "一组", region=region), b.team(s, "二组", region=region)
        people = [
            ("admin", "admin", Role.ADMIN, None),
            ("leader", "lena", Role.LEADER, None),
            ("mia", "mia", Role.MANAGER, one),
            ("alice", "alice", Role.REP, one),
            ("bob", "bob", Role.REP, one),
            ("carl", "carl", Role.REP, two),
        ]
        return {
            key: b.user(s, username, role, team=team, manages=[one] if username == "mia" else []).id
            for key, username, role, team in people
        }


def alice_october(engine: Engine, org: dict[str, int]) -> int:
    """Alice's October (and September, and October last year); returns her id."""
    alice, bob = org["alice"], org["bob"]
    with write_session(engine) as s:
        customers = [
            b.customer(s, "客户A", owner=alice, created_on=date(2026, 10, 3)),
            b.customer(s, "客户B", owner=alice, created_on=date(2026, 10, 9)),
            b.customer(s, "客户C", owner=alice, created_on=date(2026, 9, 9)),
            b.customer(s, "客户D", owner=bob, created_on=date(2026, 10, 9)),
        ]

        def deal(i, wan, status="won", won_on=None, owner=alice, stage="delivery", **kw):
            return b.opportunity(
                s, code=f"XS202610{i:03d}", name=f"项目{i}", customer=customers[i % 3],
                owner=owner, amount_minor=wan * WAN, status=status, stage=stage,
                stage_entered_on=b.DAY, won_on=won_on, **kw,
            )  # fmt: skip

        # Leads: 6 and 8 left the lead stage in October (advanced), 7 was lost there.
        lead = [("lead", date(2026, 10, 1), date(2026, 10, day)) for day in (8, 12, 20)]
        deals = [
            deal(1, 50, won_on=date(2026, 10, 15)),
            deal(2, 35, won_on=date(2026, 10, 31)),
            deal(3, 40, won_on=date(2026, 9, 30)),  # September: MoM base
            deal(4, 68, won_on=date(2025, 10, 2)),  # last October: YoY base
            deal(5, 99, won_on=date(2026, 10, 20), owner=bob),  # not Alice's
            deal(6, 10, status="open", stage="needs_analysis", stays=[lead[0]]),
            deal(7, 10, status="lost", stage="lost", stays=[lead[1]]),
            deal(8, 10, status="open", stage="needs_analysis", stays=[lead[2]]),
        ]
        # Collections due in October: 60 万 due, 45 collected by month end, 30 on time.
        for i, due, wan, collected, got in (
            (0, date(2026, 10, 10), 30, date(2026, 10, 8), 30),
            (1, date(2026, 10, 20), 30, date(2026, 10, 28), 15),
            (2, date(2026, 9, 20), 10, date(2026, 9, 20), 10),
        ):
            b.collection(s, deals[i], due_on=due, due_minor=wan * WAN, collected_on=collected,
                         collected_minor=got * WAN)  # fmt: skip
        # Visits: 3 in October, 2 effective; one in September.
        for day, effective in ((3, True), (9, True), (21, False)):
            b.visit(s, customer=customers[0], rep=alice, visited_on=date(2026, 10, day),
                    effective=effective, goal="方案演示", commitment="安排技术交流")  # fmt: skip
        b.visit(s, customer=customers[0], rep=alice, visited_on=date(2026, 9, 9))
        # Key actions planned in October: 4, of which 2 on time; 2 proposal actions done.
        for planned, done, stage in (
            (5, 5, "proposal"),
            (10, 9, "proposal"),
            (15, 20, "needs_analysis"),
            (25, None, "needs_analysis"),
        ):
            b.key_action(
                s, deals[5], stage=stage, owner=alice, action="提交初步方案",
                planned_on=date(2026, 10, planned),
                done_on=None if done is None else date(2026, 10, done),
            )  # fmt: skip
        # Goals: revenue split over two product-line rows (sum 100 万), 15 new customers.
        for wan in (60, 40):
            b.goal(s, OCTOBER, wan * WAN, scope="rep", user=alice)
        b.goal(s, OCTOBER, 15, metric="new_customers", scope="rep", user=alice)
    return alice
