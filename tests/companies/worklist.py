"""The company My work's tests and the digest's tests share (``worklist_company``)."""

from __future__ import annotations

from datetime import date

from salesboard.store.db import write_session
from salesboard.store.models import OpportunityStatus, Role
from tests import builders as b

WEDNESDAY = date(2026, 11, 25)  # week: Monday 11-23 to Sunday 11-29


def worklist_company(engine) -> dict[str, int]:
    """Team A (reps ann, bob; manager mia), team B (rep cat; manager max): ann's deal has
    key actions on both sides of the week's edges; bob's and cat's one overdue action each;
    two stalled deals of ann (one over standard, one idle) and a fresh one."""
    with write_session(engine) as s:
        b.stages(s)
        east = b.region(s, "east")
        team_a, team_b = b.team(s, "一组", region=east), b.team(s, "二组", region=east)
        ann = b.user(s, "ann", team=team_a)
        bob = b.user(s, "bob", team=team_a)
        cat = b.user(s, "cat", team=team_b)
        mia = b.user(s, "mia", Role.MANAGER, team=team_a, manages=[team_a])
        max_ = b.user(s, "max", Role.MANAGER, team=team_b, manages=[team_b])
        needs = ("needs_analysis", "2026-11-16", None)
        deal = b.opportunity(
            s, owner=ann, code="XS202611001", stays=[("lead", "2026-11-02", "2026-11-16"), needs],
            last_activity_on=date(2026, 11, 24),
        )  # fmt: skip
        for planned, done, action in (
            ("2026-11-20", None, "late friday"),  # 3 working days late on Wednesday
            ("2026-11-24", None, "late tuesday"),
            ("2026-11-25", None, "due today"),
            ("2026-11-29", None, "due sunday"),
            ("2026-11-30", None, "next monday"),  # next week: not listed
            ("2026-11-18", "2026-11-18", "done"),  # done: not listed
        ):
            b.key_action(s, deal, stage="needs_analysis", planned_on=planned, done_on=done,
                         action=action)  # fmt: skip
        # An undone action of the stage it already left is not the current work.
        b.key_action(s, deal, stage="lead", planned_on="2026-11-05", action="old stage")
        lost = b.opportunity(
            s, owner=ann, code="XS202611002", status=OpportunityStatus.LOST,
            stays=[("needs_analysis", "2026-11-02", "2026-11-10")],
        )  # fmt: skip
        b.key_action(s, lost, stage="needs_analysis", planned_on="2026-11-09", action="lost deal")
        for owner, code in ((bob, "XS202611003"), (cat, "XS202611004")):
            other = b.opportunity(s, owner=owner, code=code, stays=[needs],
                                  last_activity_on=date(2026, 11, 24))  # fmt: skip
            b.key_action(s, other, stage="needs_analysis", planned_on="2026-11-23",
                         action=f"{owner.username} late")  # fmt: skip
        # Stalled: lead since 11-02 (17 working days, standard 7) but worked on yesterday;
        # proposal since 11-12 (9 working days, standard 10) with no activity (idle limit 7).
        b.opportunity(s, owner=ann, code="XS202611005", stays=[("lead", "2026-11-02", None)],
                      last_activity_on=date(2026, 11, 24))  # fmt: skip
        b.opportunity(s, owner=ann, code="XS202611006", stays=[("proposal", "2026-11-12", None)])
        b.opportunity(s, owner=ann, code="XS202611007", stays=[("proposal", "2026-11-12", None)],
                      last_activity_on=date(2026, 11, 24))  # fmt: skip
        return {u.username: u.id for u in (ann, bob, cat, mia, max_)} | {"deal": deal.id}
