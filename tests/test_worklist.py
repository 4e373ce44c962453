"""My work's lists (salesboard.worklist) on a hand-built company, on both backends: which key
actions are due this week and which are overdue (working days of the company calendar),
deals over their standard vs idle, planned visits, feedback forms waiting, and scope — a
rep never sees a colleague's items, a manager sees exactly their teams'."""

from __future__ import annotations

from datetime import date

import pytest

from salesboard.store.db import read_session, write_session
from salesboard.store.models import FeedbackForm, KeyAction, VisitStatus
from salesboard.worklist.lists import (
    feedback_month,
    forms_waiting,
    key_actions,
    my_work,
    planned_visits,
    stalled_deals,
    work_week,
)
from tests import builders as b
from tests.companies.worklist import WEDNESDAY, worklist_company


@pytest.fixture
def company(engine):
    return worklist_company(engine)


def viewer(engine, company, name):
    return b.viewer(engine, company[name])


def test_the_week_is_monday_to_sunday():
    week = work_week(WEDNESDAY)
    assert (week.start, week.end) == (date(2026, 11, 23), date(2026, 11, 29))


def test_due_this_week_runs_from_today_to_sunday(engine, company):
    with read_session(engine) as s:
        due = key_actions(s, viewer(engine, company, "ann"), WEDNESDAY, overdue=False)
    assert due.rows["what"].tolist() == ["due today", "due sunday"]
    assert due.total == 2
    assert due.rows["code"].tolist() == ["XS202611001"] * 2
    assert due.rows["stage_en"].tolist() == ["Needs analysis"] * 2


def test_overdue_is_before_today_in_working_days_late(engine, company):
    with read_session(engine) as s:
        late = key_actions(s, viewer(engine, company, "ann"), WEDNESDAY, overdue=True)
    # Oldest first; Friday to Wednesday is 3 working days (the weekend does not count).
    assert late.rows["what"].tolist() == ["late friday", "late tuesday"]
    assert late.rows["days_late"].tolist() == [3, 1]
    assert late.per_rep[["owner", "count"]].values.tolist() == [["ann", 2]]


def test_the_lists_follow_each_deals_next_action(engine, company):
    """The lists pick deals by their next undone action (kept on the deal): a deal whose
    earliest one is on the week's last day is due; once it is done, the next (next week) is
    not; a late one planned afterwards makes the deal overdue."""
    with write_session(engine) as s:
        deal = b.opportunity(s, owner=company["bob"], code="XS202611008",
                             stays=[("needs_analysis", "2026-11-16", None)]).id  # fmt: skip
        sunday = b.key_action(s, deal, stage="needs_analysis", planned_on="2026-11-29",
                              action="bob sunday").id  # fmt: skip
        b.key_action(s, deal, stage="needs_analysis", planned_on="2026-12-01",
                     action="bob next week")  # fmt: skip
    bob = viewer(engine, company, "bob")

    def listed(overdue: bool) -> list[str]:
        with read_session(engine) as s:
            return key_actions(s, bob, WEDNESDAY, overdue=overdue).rows["what"].tolist()

    assert listed(False) == ["bob sunday"]
    with write_session(engine) as s:
        s.get(KeyAction, sunday).done_on = WEDNESDAY
    assert listed(False) == []
    with write_session(engine) as s:
        b.key_action(s, deal, stage="needs_analysis", planned_on="2026-11-24", action="bob late")
    assert "bob late" in listed(True)


def test_days_late_skip_public_holidays(engine, company):
    """National Day: planned 09-30, on Friday 10-09 it is 2 working days late (10-08, 10-09),
    not 9 calendar days; the make-up Saturday 10-10 is in that week."""
    with write_session(engine) as s:
        b.key_action(s, company["deal"], stage="needs_analysis", planned_on="2026-09-30",
                     action="before the holiday")  # fmt: skip
        b.key_action(s, company["deal"], stage="needs_analysis", planned_on="2026-10-10",
                     action="make-up saturday")  # fmt: skip
    ann = viewer(engine, company, "ann")
    with read_session(engine) as s:
        late = key_actions(s, ann, date(2026, 10, 9), overdue=True)
        due = key_actions(s, ann, date(2026, 10, 9), overdue=False)
    assert late.rows["what"].tolist() == ["before the holiday"]
    assert late.rows["days_late"].tolist() == [2]
    assert due.rows["what"].tolist() == ["make-up saturday"]


def test_a_rep_sees_only_their_own_key_actions(engine, company):
    with read_session(engine) as s:
        bob = key_actions(s, viewer(engine, company, "bob"), WEDNESDAY, overdue=True)
        # Asking for a colleague's items yields nothing, as if there were none.
        asked = key_actions(
            s, viewer(engine, company, "bob"), WEDNESDAY, overdue=True, rep_id=company["ann"]
        )
    assert bob.rows["what"].tolist() == ["bob late"]
    assert asked.total == 0 and asked.rows.empty


def test_a_manager_sees_exactly_their_teams_by_rep(engine, company):
    mia = viewer(engine, company, "mia")
    with read_session(engine) as s:
        late = key_actions(s, mia, WEDNESDAY, overdue=True)
        anns = key_actions(s, mia, WEDNESDAY, overdue=True, rep_id=company["ann"])
        cats = key_actions(s, mia, WEDNESDAY, overdue=True, rep_id=company["cat"])
        other = key_actions(s, viewer(engine, company, "max"), WEDNESDAY, overdue=True)
    assert sorted(late.rows["what"]) == ["bob late", "late friday", "late tuesday"]
    assert late.per_rep[["owner", "count"]].values.tolist() == [["ann", 2], ["bob", 1]]
    assert anns.total == 2 and set(anns.rows["owner"]) == {"ann"}
    assert cats.total == 0  # another team's rep: nothing
    assert other.rows["what"].tolist() == ["cat late"]


def test_the_limit_keeps_the_total(engine, company):
    with read_session(engine) as s:
        late = key_actions(s, viewer(engine, company, "mia"), WEDNESDAY, overdue=True, limit=1)
    assert len(late.rows) == 1 and late.total == 3
    assert late.rows["what"].tolist() == ["late friday"]


def test_stalled_deals_over_standard_or_idle(engine, company):
    with read_session(engine) as s:
        stalled = stalled_deals(s, viewer(engine, company, "ann"), WEDNESDAY)
    by_code = dict(zip(stalled.rows["code"], stalled.rows["why"], strict=True))
    # Lead since 11-02: 17 working days against 7 (worked on, so not idle). Proposal since
    # 11-12 without activity: 9 working days, within its standard of 10, idle over 7.
    assert by_code["XS202611005"] == "over_standard"
    assert by_code["XS202611006"] == "idle"
    assert "XS202611007" not in by_code  # within standard and worked on yesterday
    days = dict(zip(stalled.rows["code"], stalled.rows["days_late"], strict=True))
    assert days["XS202611005"] == 10 and days["XS202611006"] == 2
    assert stalled.rows["code"].tolist()[0] == "XS202611005"  # worst first


def test_stalled_deals_are_scoped(engine, company):
    with read_session(engine) as s:
        bob = stalled_deals(s, viewer(engine, company, "bob"), WEDNESDAY)
        team_b = stalled_deals(s, viewer(engine, company, "max"), WEDNESDAY)
        team_a = stalled_deals(s, viewer(engine, company, "mia"), WEDNESDAY)
    assert "XS202611005" not in set(bob.rows["code"])
    assert not set(team_b.rows["code"]) & {"XS202611005", "XS202611006"}
    assert {"XS202611005", "XS202611006"} <= set(team_a.rows["code"])


def test_planned_visits_today_this_week_and_counts(engine, company):
    with write_session(engine) as s:
        customer = b.customer(s, "拜访客户")
        for rep, day, status, goal in (
            ("ann", "2026-11-25", VisitStatus.PLANNED, "today's goal"),
            ("ann", "2026-11-27", VisitStatus.PLANNED, "friday's goal"),
            ("ann", "2026-12-01", VisitStatus.PLANNED, "next week"),
            ("ann", "2026-11-23", VisitStatus.DONE, "monday, done"),
            ("cat", "2026-11-25", VisitStatus.PLANNED, "cat's visit"),
        ):
            b.visit(s, customer=customer, rep=company[rep], visited_on=day, status=status,
                    goal=goal, opportunity_id=company["deal"] if rep == "ann" else None)  # fmt: skip
    with read_session(engine) as s:
        ann = planned_visits(s, viewer(engine, company, "ann"), WEDNESDAY)
        mia = planned_visits(s, viewer(engine, company, "mia"), WEDNESDAY)
        max_ = planned_visits(s, viewer(engine, company, "max"), WEDNESDAY)
    assert ann.today.rows["what"].tolist() == ["today's goal"]
    assert ann.today.rows["code"].tolist() == ["XS202611001"]
    assert ann.week.rows["what"].tolist() == ["friday's goal"]
    assert (ann.planned, ann.done) == (2, 1)
    assert mia.today.rows["what"].tolist() == ["today's goal"]  # not cat's
    assert max_.today.rows["what"].tolist() == ["cat's visit"]
    assert max_.today.rows["code"].isna().all()  # a visit without a deal
    assert (max_.planned, max_.done) == (1, 0)


def test_feedback_forms_waiting(engine, company):
    month = feedback_month(WEDNESDAY)
    assert month == "2026-10"
    with write_session(engine) as s:
        submitted = b.feedback_form(s, company["ann"], month)
        returned = b.feedback_form(s, company["bob"], "2026-09")
        s.get(FeedbackForm, submitted.id).status = "submitted"
        s.get(FeedbackForm, returned.id).status = "returned"
    with read_session(engine) as s:
        mia = forms_waiting(s, viewer(engine, company, "mia"), WEDNESDAY)
        ann = forms_waiting(s, viewer(engine, company, "ann"), WEDNESDAY)
        bob = forms_waiting(s, viewer(engine, company, "bob"), WEDNESDAY)
        max_ = forms_waiting(s, viewer(engine, company, "max"), WEDNESDAY)
    assert mia[["username", "period", "action"]].values.tolist() == [["ann", month, "review"]]
    assert ann.empty  # submitted: waiting on the manager, not on ann
    # bob: his returned September form, and October not started yet.
    assert bob[["period", "action"]].values.tolist() == [[month, "start"], ["2026-09", "revise"]]
    assert max_.empty


def test_my_work_for_a_rep_with_nothing_due(engine, company):
    with read_session(engine) as s:
        work = my_work(s, viewer(engine, company, "cat"), date(2026, 11, 20))
    # cat's one action is planned next Monday: not this week, not late; no stalled deal yet.
    assert work.overdue_actions.empty and work.due_actions.empty
    assert not work.nothing_due  # the October form is still to start
    assert work.forms["action"].tolist() == ["start"]
