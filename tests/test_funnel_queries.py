"""Funnel queries on a hand-made store of 10 opportunities whose answers are worked out here."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from salesboard.calendar.periods import parse_period
from salesboard.pipeline.funnel import cohort_funnel, lost_by_stage
from salesboard.store.db import read_session, write_session
from salesboard.store.filters import OpportunityFilter
from tests import builders as b

# (furthest stage, status, team, customer type, amount in 元). Furthest stages:
# 3 stop at lead, 2 at needs, 2 at proposal, 1 at negotiation, 2 reach contract (won)
# → reached: lead 10, needs 7, proposal 5, negotiation 3, contract 2, delivery 0.
DEALS = [
    ("lead", "lost", "A", "smb", 10_000),
    ("lead", "lost", "B", "smb", 20_000),
    ("lead", "open", "A", "enterprise", 30_000),
    ("needs_analysis", "lost", "A", "enterprise", 40_000),
    ("needs_analysis", "open", "B", "enterprise", 50_000),
    ("proposal", "lost", "B", "government", 60_000),
    ("proposal", "open", "A", "enterprise", 70_000),
    ("negotiation", "open", "B", "enterprise", 80_000),
    ("contract", "won", "A", "enterprise", 90_000),
    ("contract", "won", "B", "smb", 100_000),
]
ORDER = ["lead", "needs_analysis", "proposal", "negotiation", "contract"]


@pytest.fixture
def funnel_store(engine):
    created = date(2026, 10, 5)
    with write_session(engine) as s:
        region = b.region(s, "south")
        b.product_line(s, "A")
        teams = {name: b.team(s, f"团队{name}", region=region).id for name in "AB"}
        reps = {n: b.user(s, f"rep{n}", display_name=f"销售{n}", team=t) for n, t in teams.items()}
        for i, (furthest, status, team, ctype, yuan) in enumerate(DEALS, start=1):
            customer = b.customer(
                s, f"客户{i}", region=region, customer_type=ctype, created_on=created
            )
            path = ORDER[: ORDER.index(furthest) + 1]
            stays = [(code, created + timedelta(days=n), created + timedelta(days=n + 1))
                     for n, code in enumerate(path)]  # fmt: skip
            b.opportunity(
                s, code=f"XS202610{i:03d}", customer=customer, owner=reps[team],
                amount_minor=yuan * 100, created_on=created, status=status, stays=stays,
                stage="lost" if status == "lost" else furthest,
                stage_entered_on=created + timedelta(days=len(path)),
            )  # fmt: skip
        # An opportunity created outside the period must not count.
        b.opportunity(s, code="XS202609001", customer=1, owner=reps["A"], amount_minor=1,
                      created_on=date(2026, 9, 30))  # fmt: skip
    return engine, teams


def test_cohort_funnel_counts_amounts_and_conversions(funnel_store):
    engine, _ = funnel_store
    with read_session(engine) as s:
        funnel = cohort_funnel(s, parse_period("2026Q4")).set_index("stage")
    assert funnel["reached"].to_dict() == {
        "lead": 10, "needs_analysis": 7, "proposal": 5, "negotiation": 3, "contract": 2, "delivery": 0,
    }  # fmt: skip
    # Amounts in 元: needs = 40k+50k+60k+70k+80k+90k+100k = 490k.
    assert funnel.loc["needs_analysis", "amount_minor"] == 490_000 * 100
    assert funnel.loc["needs_analysis", "conversion"] == pytest.approx(7 / 10)
    assert funnel.loc["proposal", "conversion"] == pytest.approx(5 / 7)  # 0.714…
    assert funnel.loc["contract", "from_first"] == pytest.approx(2 / 10)  # lead → won 20 %


def test_lost_by_stage(funnel_store):
    engine, _ = funnel_store
    with read_session(engine) as s:
        lost = lost_by_stage(s, parse_period("2026Q4"))
    assert list(lost.itertuples(index=False, name=None)) == [
        ("lead", 2, 30_000 * 100), ("needs_analysis", 1, 40_000 * 100), ("proposal", 1, 60_000 * 100),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("filters", "expected_reached"),
    [
        # Team A: deals 1, 3, 4, 7, 9 → lead 5, needs 3 (4, 7, 9), proposal 2, negotiation 1, contract 1.
        (lambda teams: OpportunityFilter(team_ids=(teams["A"],)), [5, 3, 2, 1, 1, 0]),
        # smb customers: deals 1, 2, 10 → lead 3, then only deal 10 goes on to contract.
        (lambda teams: OpportunityFilter(customer_types=("smb",)), [3, 1, 1, 1, 1, 0]),
        # Team B and government: deal 6 alone, lost at proposal.
        (lambda teams: OpportunityFilter(team_ids=(teams["B"],), customer_types=("government",)),
         [1, 1, 1, 0, 0, 0]),
    ],
)  # fmt: skip
def test_filters_apply_inside_the_query(funnel_store, filters, expected_reached):
    engine, teams = funnel_store
    with read_session(engine) as s:
        funnel = cohort_funnel(s, parse_period("2026Q4"), filters(teams))
    assert funnel["reached"].tolist() == expected_reached


def test_empty_filter_is_empty():
    assert OpportunityFilter().is_empty()
    assert not OpportunityFilter(sources=("referral",)).is_empty()


def test_a_deal_that_never_entered_a_stage_is_not_in_the_cohort(funnel_store):
    """A deal created in the period without any stage history (imported that way) reaches no
    stage: the funnel's counts and amounts are as without it."""
    engine, _ = funnel_store
    period = parse_period("2026Q4")
    with read_session(engine) as s:
        before = cohort_funnel(s, period)
    with write_session(engine) as s:
        b.opportunity(s, code="XS202610999", customer=1, owner=1, amount_minor=123_456,
                      created_on=date(2026, 10, 6), stays=[])  # fmt: skip
    with read_session(engine) as s:
        after = cohort_funnel(s, period)
    assert after[["reached", "amount_minor"]].equals(before[["reached", "amount_minor"]])
    assert before["reached"].iloc[0] == 10
