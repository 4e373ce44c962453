"""The overdue count the Overview tile shows is counted in the database
(``overdue.overdue_count``, the rule's SQL form with working-day limits as dates); the
pipeline review ranks the rows the same condition reads by ``metrics.overdue_opportunities``.
Both must name the deals the rule names over every deal under control: checked on the default demo company (8,000 deals) (open deals and won deals in delivery) for every
role, past and present days, with and without filters, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, select

from salesboard import metrics
from salesboard.accounts.access import SYSTEM, load_viewer
from salesboard.calendar.workdays import load_calendar
from salesboard.pipeline.deals import in_delivery, open_opportunities_for_overdue
from salesboard.pipeline.overdue import overdue_count, overdue_ranking
from salesboard.store.db import read_session
from salesboard.store.filters import NO_FILTER, OpportunityFilter
from salesboard.store.models import Role
from salesboard.store.tables import OPP, USER
from tests.builders import viewers_by_role
from tests.conftest import BACKENDS, demo_company

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module", params=BACKENDS)
def demo_engine(request, tmp_path_factory) -> Engine:
    with demo_company(request, tmp_path_factory, size="default", seed=11, today=TODAY) as engine:
        yield engine


def test_the_count_names_the_deals_the_ranking_ranks(demo_engine):
    days = [TODAY - timedelta(days=d) for d in (0, 1, 2, 6, 13, 40, 95, 200)]
    with read_session(demo_engine) as s:
        calendar = load_calendar(s)
        line = s.execute(select(OPP.c.product_line_id).limit(1)).scalar_one()
        filters = (NO_FILTER, OpportunityFilter(product_line_ids=(line,)))
        seen = 0
        for viewer in viewers_by_role(s, 2):
            for day in days:
                for chosen in filters:
                    # The rule over every deal under control, no SQL condition first.
                    every = open_opportunities_for_overdue(s, viewer, chosen)
                    rule = set(
                        metrics.overdue_opportunities(every, day, calendar)["opportunity_id"]
                    )
                    ranked = overdue_ranking(s, viewer, chosen, day, calendar)
                    counted = overdue_count(s, viewer, day, calendar, chosen)
                    assert set(ranked["opportunity_id"]) == rule, (viewer.role, day, chosen)
                    assert counted == len(rule), (viewer.role, day, chosen)
                    seen += counted
    assert seen > 0  # the demo has overdue deals on these days


def test_won_deals_in_delivery_are_found_alike_by_everyone_who_sees_them(demo_engine):
    """The delivery rule in each role's form (the undone actions driving for everyone who
    sees all, free to drive from a team's won deals for a manager, a rep's own won deals)
    selects the same deals (the scope is applied apart)."""
    with read_session(demo_engine) as s:
        rep, manager = (
            load_viewer(s, s.scalars(select(USER.c.id).where(USER.c.role == role)).first())
            for role in (Role.REP, Role.MANAGER)
        )
        found = {
            who.role: set(s.scalars(select(OPP.c.id).where(*in_delivery(s, who))))
            for who in (SYSTEM, manager, rep)
        }
    broad = found[SYSTEM.role]
    assert broad and all(ids == broad for ids in found.values())


def test_every_day_of_four_months_for_the_whole_company(demo_engine):
    """Day by day, so that stage entries and last activities fall on each limit's date."""
    with read_session(demo_engine) as s:
        calendar = load_calendar(s)
        every = open_opportunities_for_overdue(s, SYSTEM, NO_FILTER)
        for back in range(120):
            day = TODAY - timedelta(days=back)
            rule = set(metrics.overdue_opportunities(every, day, calendar)["opportunity_id"])
            ranked = overdue_ranking(s, SYSTEM, NO_FILTER, day, calendar)
            assert set(ranked["opportunity_id"]) == rule, day
            assert overdue_count(s, SYSTEM, day, calendar) == len(rule), day


def test_each_clock_at_its_limit(demo_engine):
    """Deals put on each clock's limit and the day after it (the other clocks and the key
    actions kept quiet), in a transaction rolled back: the count and the ranking follow the
    rule to the day for the stage standard, the idle limit by stage entry and by the last
    activity."""
    from sqlalchemy import update
    from sqlmodel import Session

    from salesboard.store.tables import ACTION, STAGE

    day = TODAY
    with demo_engine.connect() as conn, conn.begin() as tx:
        s = Session(bind=conn)
        calendar = load_calendar(s)
        stage_id, standard, idle = s.execute(
            select(STAGE.c.id, STAGE.c.standard_days, STAGE.c.idle_days)
            .where(STAGE.c.standard_days > STAGE.c.idle_days).order_by(STAGE.c.position)
        ).first()  # fmt: skip
        deals = list(s.scalars(select(OPP.c.id).where(OPP.c.status == "open").limit(6)))
        late = calendar.latest_start_over(standard, day)  # over the standard from here back
        quiet = calendar.latest_start_over(idle, day)  # idle from here back
        one = timedelta(days=1)
        clocks = [  # (stage entered, last activity) for each deal
            (late, day), (late + one, day),  # the standard: only the first is over
            (quiet, None), (quiet + one, None),  # idle since entering: only the first
            (late + one, quiet), (late + one, quiet + one),  # idle since the activity
        ]  # fmt: skip
        for deal, (entered, active) in zip(deals, clocks, strict=True):
            s.execute(
                update(OPP)
                .where(OPP.c.id == deal)
                .values(
                    current_stage_id=stage_id, stage_entered_on=entered, last_activity_on=active
                )
            )
        s.execute(update(ACTION).where(ACTION.c.opportunity_id.in_(deals))
                  .values(planned_on=day + timedelta(days=30)))  # fmt: skip
        every = open_opportunities_for_overdue(s, SYSTEM, NO_FILTER)
        rule = set(metrics.overdue_opportunities(every, day, calendar)["opportunity_id"])
        ranked = set(overdue_ranking(s, SYSTEM, NO_FILTER, day, calendar)["opportunity_id"])
        assert [d in rule for d in deals] == [True, False, True, False, True, False]
        assert ranked == rule
        assert overdue_count(s, SYSTEM, day, calendar) == len(rule)
        tx.rollback()


def test_a_calendar_passed_in_is_the_one_the_database_counts_by(demo_engine):
    """Given a calendar other than the company's (plain Mon–Fri instead of China's with its
    make-up days), the SQL condition and the count follow it, as the rule does."""
    from salesboard.calendar.workdays import make_calendar

    plain = make_calendar("plain")
    with read_session(demo_engine) as s:
        every = open_opportunities_for_overdue(s, SYSTEM, NO_FILTER)
        for day in (date(2026, 10, 9), date(2026, 10, 12), date(2026, 2, 24), TODAY):
            rule = set(metrics.overdue_opportunities(every, day, plain)["opportunity_id"])
            ranked = overdue_ranking(s, SYSTEM, NO_FILTER, day, plain)
            assert set(ranked["opportunity_id"]) == rule, day
            assert overdue_count(s, SYSTEM, day, plain) == len(rule), day
