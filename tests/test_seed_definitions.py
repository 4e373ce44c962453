"""The definitions of issue 13 worked by hand from seed 003's month (DOMAIN.md §1, §2, §4),
on a real store (both backends): one rep's October 2026 is built so that the form's
figures are the seed's — sales 100 target / 85 actual = 85 %, collection rate 90 / 75 =
83.3 %, new customers 15 / 12 = 80 %, visits 120 / 100 = 83.3 %, lead conversion 25 / 18 =
72 %, proposals submitted 25 — and the weights are the seed's 30 / 25 / 20, shown as applied.

What alice's October holds (万 = 10,000 CNY; as of 2026-11-05):
- won (contract signed, in delivery): 12 first deals of 12 new customers, 5 万 each, and a
  repeat order of 25 万 from a customer first won in September: 85 万. A 40 万 deal that
  entered 合同签订 on 10-20 is not signed: open, in the pipeline, not won. Three customer
  rows created in October never bought: not new customers.
- collections due in October: 100 万; 75 万 collected by 10-31, 60 万 of it by the due date.
- 100 visits; 50 leads left the lead stage, 9 advanced (18 %), 41 were lost there.
- key actions planned in October: 25 "submit proposal" (done on time) and 25 "customer
  confirms proposal" (15 on time, 5 late, 5 not done): due 50, done 45 (90 %), on time 40
  (80 %); proposals submitted 25 (every proposal-stage action done: 45, the old count).
- one won deal in delivery has its collection follow-up planned 11-02 and not done: late,
  so overdue although won; another's delivery is complete: not under control.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from salesboard.accounts.access import load_viewer
from salesboard.calendar.periods import parse_period
from salesboard.feedback import prefill
from salesboard.feedback.form import applied_weights, completion, weighted_completion
from salesboard.figures import sales
from salesboard.figures.attainment import viewer_attainment
from salesboard.overview.figures import overview_kpis
from salesboard.pipeline.overdue import overdue_ranking
from salesboard.store.db import read_session, write_session
from salesboard.store.filters import NO_FILTER
from salesboard.store.models import (
    Collection,
    Customer,
    Goal,
    KeyAction,
    Opportunity,
    ProductLine,
    Role,
    Stage,
    StageHistory,
    Visit,
)
from tests.builders import add_team, add_user

WAN = 1_000_000  # minor units per 万元
OCT = parse_period("2026-10")
AS_OF = date(2026, 11, 5)
D = date.fromisoformat


@pytest.fixture
def october(engine):
    """Alice's October as the module docstring tells it; returns (engine, alice's id)."""
    add_team(engine)
    alice = add_user(engine, "alice", Role.REP, team_id=1)
    with write_session(engine) as s:
        stage = {st.code: st.id for st in s.execute(select(Stage)).scalars()}
        s.add(ProductLine(id=1, code="mfg", name_zh="智能制造", name_en="Manufacturing"))
        s.flush()
        number = iter(range(1, 1000))

        def customer(created: date) -> int:
            row = Customer(name=f"客户{next(number)}", region_id=1, owner_id=alice,
                           created_on=created)  # fmt: skip
            s.add(row)
            s.flush()
            return row.id

        def deal(customer_id, wan, stays, status="won", won_on=None, **extra) -> int:
            row = Opportunity(
                code=f"XS2026{next(number):05d}", customer_id=customer_id, owner_id=alice,
                team_id=1, region_id=1, product_line_id=1, amount_minor=int(wan * WAN),
                created_on=D(stays[0][1]), current_stage_id=stage[stays[-1][0]],
                stage_entered_on=D(stays[-1][1]), status=status, won_on=won_on, **extra,
            )  # fmt: skip
            s.add(row)
            s.flush()
            for code, entered, left in stays:
                s.add(StageHistory(opportunity_id=row.id, stage_id=stage[code],
                                   entered_on=D(entered), left_on=D(left) if left else None))  # fmt: skip
            return row.id

        def signed(customer_id, wan, day: str) -> int:
            """A deal signed on ``day``: contract signing ended, delivery began."""
            return deal(customer_id, wan, [("contract", "2026-09-01", day), ("delivery", day, None)],
                        won_on=D(day))  # fmt: skip

        firsts = [signed(customer(D("2026-05-01")), 5, f"2026-10-{d:02d}") for d in range(8, 20)]
        repeat = customer(D("2025-01-01"))
        signed(repeat, 30, "2026-09-15")  # September: the customer's first win
        late_collection = signed(repeat, 25, "2026-10-26")
        for created in ("2026-10-05", "2026-10-12", "2026-10-19"):
            customer(D(created))  # customer rows only: no deal, no sale
        deal(customer(D("2026-10-01")), 40, [("contract", "2026-10-20", None)], status="open")
        # Collections due in October: 100 万, 75 collected by 10-31, 60 by the due date.
        for wan, due, collected, day in ((60, "2026-10-15", 60, "2026-10-15"),
                                         (25, "2026-10-20", 15, "2026-10-29"),
                                         (15, "2026-10-25", 0, None)):  # fmt: skip
            s.add(Collection(opportunity_id=firsts[0], due_on=D(due), due_minor=wan * WAN,
                             collected_minor=collected * WAN,
                             collected_on=D(day) if day else None))  # fmt: skip
        # Delivery: one deal's collection follow-up is late; the first deal is delivered.
        s.add(KeyAction(opportunity_id=late_collection, stage_id=stage["delivery"],
                        owner_id=alice, action="回款跟进", planned_on=D("2026-11-02")))  # fmt: skip
        s.add(KeyAction(opportunity_id=firsts[0], stage_id=stage["delivery"], owner_id=alice,
                        action="交付实施", planned_on=D("2026-09-30"),
                        done_on=D("2026-09-30")))  # fmt: skip
        # Leads resolved in October: 9 advanced, 41 lost in the lead stage.
        for i in range(50):
            day = f"2026-10-{1 + i % 28:02d}"
            if i < 9:
                deal(repeat, 1, [("lead", "2026-09-20", day), ("needs_analysis", day, None)],
                     status="open")  # fmt: skip
            else:
                deal(repeat, 1, [("lead", "2026-09-20", day)], status="lost",
                     lost_stage_id=stage["lead"], lost_on=D(day))  # fmt: skip
        # Proposal-stage key actions planned in October.
        host = firsts[1]
        for i in range(25):
            planned = D("2026-10-05") + timedelta(days=i)
            s.add(KeyAction(opportunity_id=host, stage_id=stage["proposal"], owner_id=alice,
                            action="提交初步方案", planned_on=planned, done_on=planned))  # fmt: skip
            done = planned if i < 15 else planned + timedelta(days=3) if i < 20 else None
            s.add(KeyAction(opportunity_id=host, stage_id=stage["proposal"], owner_id=alice,
                            action="方案客户确认", planned_on=planned, done_on=done))  # fmt: skip
        for i in range(100):
            s.add(Visit(customer_id=repeat, rep_id=alice,
                        visited_on=D("2026-10-01") + timedelta(days=i % 31)))  # fmt: skip
        for metric, target in (("revenue", 100 * WAN), ("new_customers", 15), ("visits", 120)):
            s.add(Goal(period=OCT.label, period_start=OCT.start, period_end=OCT.end,
                       metric=metric, scope="rep", product_line_id=None, region_id=1, team_id=1,
                       user_id=alice, owner_id=alice, target=target))  # fmt: skip
    return engine, alice


def test_the_seed_month_on_the_form(october):
    """Seed 003's KPI table, row by row, from the store; weights 30/25/20 shown as applied."""
    engine, alice = october
    with read_session(engine) as s:
        rows = {r["code"]: r for r in prefill.prefill_kpis(s, alice, OCT, None, AS_OF)}
    # Won = contract signed: 12 × 5 + 25 = 85 万 (the 40 万 deal still in signing is not).
    assert (rows["sales"]["target"], rows["sales"]["actual"]) == (100 * WAN, 85 * WAN)
    assert completion(rows["sales"]) == pytest.approx(0.85)
    assert rows["collection_rate"]["actual"] == pytest.approx(0.75)
    assert completion(rows["collection_rate"]) == pytest.approx(0.75 / 0.9)  # 83.3 %
    # New customers: first won deal in October — 12 (not 3 + 13 customer rows created).
    assert (rows["new_customers"]["target"], rows["new_customers"]["actual"]) == (15, 12)
    assert completion(rows["new_customers"]) == pytest.approx(0.80)
    assert (rows["visits"]["target"], rows["visits"]["actual"]) == (120, 100)
    assert completion(rows["visits"]) == pytest.approx(100 / 120)  # 83.3 %
    assert rows["lead_conversion"]["actual"] == pytest.approx(0.18)
    assert completion(rows["lead_conversion"]) == pytest.approx(0.72)
    # Proposals: the 25 submissions, not the 45 proposal-stage actions done.
    assert rows["proposals"]["actual"] == 25
    # Key actions: done / due = 45 / 50; on time 40 / 50, shown beside it.
    assert rows["key_action_completion"]["actual"] == pytest.approx(0.90)
    assert rows["key_action_on_time"]["actual"] == pytest.approx(0.80)
    # Weights: the seed's 30 / 25 / 20, the rest on the process metrics that can be scored;
    # the weight shown is the weight applied, and they add up to 100.
    kpis = list(rows.values())
    weights = dict(zip(rows, applied_weights(kpis), strict=True))
    assert (weights["sales"], weights["new_customers"], weights["on_time_collection"]) == (
        30,
        25,
        20,
    )
    assert (weights["visits"], weights["lead_conversion"], weights["key_action_completion"]) == (
        10,
        5,
        10,
    )
    assert sum(weights.values()) == pytest.approx(100)
    # 30×85 % + 25×80 % + 20×(60 %/90 %) + 10×83.3 % + 5×72 % + 10×(90 %/90 %) = 80.77 %.
    expected = (30 * 0.85 + 25 * 0.8 + 20 * (0.6 / 0.9) + 10 * (100 / 120) + 5 * 0.72 + 10) / 100
    assert weighted_completion(kpis) == pytest.approx(expected)


def test_a_row_without_a_target_weighs_nothing_and_the_rest_share_its_weight():
    rows = [
        {"code": "sales", "kind": "amount", "weight": 30, "target": 100, "actual": 85},
        {"code": "new_customers", "kind": "count", "weight": 25, "target": 15, "actual": 12},
        {"code": "visits", "kind": "count", "weight": 45, "target": None, "actual": 100},
    ]
    # Visits cannot be scored: sales and new customers carry 30/55 and 25/55 of the score.
    assert applied_weights(rows) == pytest.approx([30 / 55 * 100, 25 / 55 * 100, 0])
    assert weighted_completion(rows) == pytest.approx((30 * 0.85 + 25 * 0.8) / 55)


def test_won_means_signed_and_delivery_stays_controlled(october):
    engine, alice = october
    with read_session(engine) as s:
        viewer = load_viewer(s, alice)
        kpis = overview_kpis(s, viewer, OCT, AS_OF)
        closed = sales.closed_deals(s, viewer, OCT.start, OCT.end)
        ranking = overdue_ranking(s, viewer, NO_FILTER, AS_OF)
        late = s.execute(
            select(Opportunity.id, Opportunity.status).where(Opportunity.amount_minor == 25 * WAN)
        ).one()
        won = set(s.execute(select(Opportunity.id).where(Opportunity.status == "won")).scalars())
        goal = viewer_attainment(s, viewer, OCT, "revenue", AS_OF)
    assert (closed.won, closed.won_amount_minor) == (13, 85 * WAN)
    assert kpis.won_amount_minor == 85 * WAN and kpis.attainment == pytest.approx(0.85)
    assert goal.target == 100 * WAN and goal.actual == 85 * WAN
    # The deal in 合同签订 is open pipeline (40 万 + the 9 advanced leads of 1 万 each).
    assert (kpis.open_count, kpis.open_pipeline_minor) == (10, 49 * WAN)
    # Won, in delivery, collection follow-up planned 11-02 and not done: overdue; the other
    # won deals (delivery complete, or nothing left to do) are not under control.
    assert late.status == "won"
    overdue = ranking.set_index("opportunity_id")
    assert won & set(overdue.index) == {late.id}
    assert "action_late" in overdue.loc[late.id, "reasons"]
    assert kpis.overdue_count == len(ranking)


def test_proposals_and_key_action_rates_by_hand(october):
    engine, alice = october
    with read_session(engine) as s:
        viewer = load_viewer(s, alice)
        rates = sales.key_action_rates(s, viewer, OCT.start, OCT.end, AS_OF)
        proposals = sales.proposals_submitted(s, viewer, OCT.start, OCT.end, AS_OF)
    # Due in October: 25 submissions (on time) + 25 confirmations (15 on time, 5 late, 5 not
    # done); the collection follow-up is due in November.
    assert (rates.due, rates.done, rates.on_time) == (50, 45, 40)
    assert (rates.completion, rates.on_time_rate) == (0.9, 0.8)
    assert proposals == 25
