"""Visits (the effective rule, plans, logging from a deal) and how the figures the pages show
move after work done in the tool, both backends, on the pipeline company (as of 2026-03-05).

One test per page's figure: the funnel (Pipeline review), the overdue count (Overview and
Pipeline review), and the rep's visits on the monthly feedback form."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from salesboard.calendar.periods import custom_range, parse_period
from salesboard.deals.create import create_deal
from salesboard.deals.errors import DealError
from salesboard.deals.key_actions import complete_key_action
from salesboard.deals.moves import move_stage
from salesboard.deals.visits import VisitInput, is_effective, log_visit, plan_visit, visit_week
from salesboard.feedback.actuals import rep_actuals
from salesboard.pipeline.funnel import stage_funnel
from salesboard.pipeline.overdue import overdue_count
from salesboard.store.db import read_session, write_session
from salesboard.store.filters import OpportunityFilter
from salesboard.store.tables import ACTION, OPP, VISIT
from tests.companies.pipeline import AS_OF, build


@pytest.mark.parametrize(
    ("minutes", "decision_maker", "need", "effective"),
    [
        (10, True, "需要私有化部署", True),  # the threshold itself counts
        (9, True, "需要私有化部署", False),  # too short
        (60, False, "需要私有化部署", False),  # no decision maker
        (60, True, "  ", False),  # no clear need
        (60, True, "", False),
    ],
)
def test_an_effective_visit_is_computed_by_the_seeds_rule(minutes, decision_maker, need, effective):
    assert is_effective(minutes, decision_maker, need) is effective
    assert VisitInput(AS_OF, minutes, with_decision_maker=decision_maker,
                      need=need).values()["effective"] is effective  # fmt: skip


@pytest.fixture
def store(engine):
    return build(engine)


def _visit(**fields) -> VisitInput:
    base = {"minutes": 45, "contact_name": "王总", "contact_role": "CIO",
            "with_decision_maker": True, "need": "私有化部署", "commitment": "下周提交方案"}  # fmt: skip
    return VisitInput(**{**base, **fields})


def test_a_planned_visit_counts_in_the_weeks_plan_and_in_figures_only_once_done(store):
    ra = store.viewers["ra"]
    march = parse_period("2026-03")
    with read_session(store.engine) as s:
        before = rep_actuals(s, ra.user_id, march, AS_OF)
    with write_session(store.engine) as s:
        planned = plan_visit(s, ra, _visit(visited_on=AS_OF), code=store.codes["D1"], today=AS_OF)
        week = visit_week(s, ra, AS_OF)
        assert (week.planned, week.done) == (1, 0)
    with read_session(store.engine) as s:
        assert rep_actuals(s, ra.user_id, march, AS_OF)["effective_visits"] == before[
            "effective_visits"]  # a plan is not a visit  # fmt: skip
    with write_session(store.engine) as s:
        log_visit(s, ra, _visit(visited_on=AS_OF), code=store.codes["D1"], today=AS_OF,
                  planned_visit_id=planned)  # fmt: skip
        week = visit_week(s, ra, AS_OF)
        other = visit_week(s, store.viewers["rb"], AS_OF)
    assert (week.planned, week.done, week.effective) == (0, 1, 1)
    assert (other.planned, other.done) == (0, 0)  # another rep's plan is not theirs
    with read_session(store.engine) as s:
        after = rep_actuals(s, ra.user_id, march, AS_OF)
        deal = s.execute(
            select(OPP.c.last_activity_on).where(OPP.c.code == store.codes["D1"])
        ).one()
        stored = s.execute(select(VISIT.c.status, VISIT.c.effective, VISIT.c.need)).all()
    assert after["effective_visits"] == before["effective_visits"] + 1
    assert deal.last_activity_on == AS_OF
    assert stored == [("done", True, "私有化部署")]


def test_visits_are_refused_in_the_future_or_out_of_scope(store):
    with pytest.raises(DealError) as refused, write_session(store.engine) as s:
        log_visit(s, store.viewers["ra"], _visit(visited_on=date(2026, 3, 6)),
                  code=store.codes["D1"], today=AS_OF)  # fmt: skip
    assert refused.value.code == "future_date"
    with pytest.raises(DealError) as refused, write_session(store.engine) as s:
        log_visit(s, store.viewers["rb"], _visit(visited_on=AS_OF), code=store.codes["D1"],
                  today=AS_OF)  # fmt: skip
    assert refused.value.code == "not_found"
    with pytest.raises(DealError) as refused, write_session(store.engine) as s:
        log_visit(s, store.viewers["ra"], _visit(visited_on=AS_OF, minutes=0),
                  code=store.codes["D1"], today=AS_OF)  # fmt: skip
    assert refused.value.code == "minutes_invalid"


def test_the_funnel_moves_with_deals_created_and_moved(store):
    period, admin = custom_range(date(2026, 3, 1), AS_OF), store.viewers["admin"]

    def reached():
        with read_session(store.engine) as s:
            frame = stage_funnel(s, admin, period, OpportunityFilter(), "flow")
        return dict(zip(frame["stage"], frame["reached"], strict=True))

    before = reached()
    with write_session(store.engine) as s:
        code = create_deal(s, store.viewers["ra"], customer="D1客户", product_line="cloud",
                           amount="10万", on=AS_OF, today=AS_OF)  # fmt: skip
        move_stage(s, store.viewers["ra"], code, "needs_analysis", reason="客户已有明确需求",
                   on=AS_OF, today=AS_OF)  # fmt: skip
    after = reached()
    assert after["lead"] == before["lead"] + 1
    assert after["needs_analysis"] == before["needs_analysis"] + 1
    assert after["proposal"] == before["proposal"]


def test_the_overdue_count_drops_when_the_rep_works_the_deal(store):
    admin, ra, code = store.viewers["admin"], store.viewers["ra"], store.codes["D1"]
    with read_session(store.engine) as s:
        before = overdue_count(s, admin, AS_OF)
        action = s.execute(select(ACTION.c.id).join(OPP, OPP.c.id == ACTION.c.opportunity_id)
                           .where(OPP.c.code == code)).scalar_one()  # fmt: skip
    # D1: in lead 10 working days against 7, its key action late since 02-27.
    with write_session(store.engine) as s:
        complete_key_action(s, ra, code, action, done_on=AS_OF, today=AS_OF,
                            deliverable="线索记录表")  # fmt: skip
        move_stage(s, ra, code, "needs_analysis", reason="线索评分待补", on=AS_OF, today=AS_OF)
    with read_session(store.engine) as s:
        after = overdue_count(s, admin, AS_OF)
    assert after == before - 1
