"""Support requests for the demo company (issue 17), so every support page shows real data:

- five support staff (role ``support``, the demo password), members of the four default
  departments: ``tech.wang`` (the sign-in page's support account) and ``tech.li`` in 技术部,
  ``finance.zhao``, ``legal.chen``, ``delivery.liu``;
- about forty requests on open deals over the last four weeks, of every type: answered and
  closed in time, in progress, waiting within the standard — and a few breaches (answered
  late, or still waiting past the standard), all on deals outside the teams of the first
  manager (the sign-in page's manager account), whose breach list therefore reads "no
  breaches" until one of their own requests goes late;
- a few raise the deal's risk flag while open.
Written through the domain functions (history, audit, the risk flag through the deal write
path) as the deals' reps and the departments' people; a fixed number of requests whatever
the demo's size, so the large demo stays as fast.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import numpy as np
from sqlalchemy import Engine, func, insert, select, update
from sqlmodel import Session

from salesboard.accounts.access import load_viewer
from salesboard.calendar.workdays import WorkCalendar, load_calendar
from salesboard.store.db import write_session
from salesboard.store.models import OpportunityStatus, Role, utcnow
from salesboard.store.tables import (
    AUDIT,
    DEPARTMENT,
    EVENT,
    MANAGER,
    MEMBER,
    OPP,
    SUPPORT,
    SUPPORT_HISTORY,
    SUPPORT_TYPE,
    USER,
)
from salesboard.support.requests import answer, close_request, raise_request

STAFF = (
    ("tech.wang", "王立新", "tech"),
    ("tech.li", "李思远", "tech"),
    ("finance.zhao", "赵敏", "finance"),
    ("legal.chen", "陈静", "legal"),
    ("delivery.liu", "刘强", "delivery"),
)
WHAT = {
    "tech_proposal": "客户要求补充技术方案：系统架构、接口清单和部署方式，附竞品对比。",
    "price_approval": "客户要求在标准价基础上再让 8%，请审批折扣及付款条件。",
    "legal_review": "客户提供了自己的合同模板，请审核违约责任和知识产权条款。",
    "delivery_plan": "合同即将签订，请给出实施计划和交付周期，客户关注上线时间。",
}
# (type, outcome) of the requests, in order; outcomes: in-time close, in progress in time,
# waiting within the standard, late answer, still waiting past the standard.
PLAN = ["closed", "closed", "progress", "waiting", "late", "overdue"] * 6 + [
    "closed",
    "progress",
    "waiting",
    "closed",
]
TYPES = ("tech_proposal", "price_approval", "legal_review", "delivery_plan")


def _staff(session: Session) -> dict[str, int]:
    """Insert the support staff with the admin's (demo) password; username → id."""
    admin_hash = session.execute(
        select(USER.c.password_hash).where(USER.c.username == "admin")
    ).scalar_one()
    departments = dict(session.execute(select(DEPARTMENT.c.code, DEPARTMENT.c.id)).all())
    ids = {}
    now = utcnow()  # restamped by _fix_stamps
    for username, name, department in STAFF:
        user_id = session.execute(
            insert(USER).values(
                username=username, display_name=name, email=f"{username}@example.com",
                language="", role=Role.SUPPORT, team_id=None, active=True, created_at=now,
                password_hash=admin_hash, password_changed_at=now, must_change_password=False,
                failed_logins=0,
            ).returning(USER.c.id)
        ).scalar_one()  # fmt: skip
        session.execute(
            insert(MEMBER).values(department_id=departments[department], user_id=user_id)
        )
        ids[username] = int(user_id)
    return ids


def _deals(session: Session, n: int, *, protected: bool, seed: int) -> list[tuple[str, int]]:
    """(code, owner id) of ``n`` open deals: in the first manager's teams or the first rep's
    (``protected``, the first rep's first) or none of those, picked reproducibly from
    ``seed``."""
    first_manager = session.execute(
        select(func.min(USER.c.id)).where(USER.c.role == Role.MANAGER)
    ).scalar()
    teams = select(MANAGER.c.team_id).where(MANAGER.c.user_id == first_manager)
    first_rep = session.execute(select(func.min(USER.c.id)).where(USER.c.role == Role.REP)).scalar()
    in_teams = OPP.c.team_id.in_(teams) | (OPP.c.owner_id == first_rep)
    rows = session.execute(
        select(OPP.c.code, OPP.c.owner_id)
        .where(OPP.c.status == OpportunityStatus.OPEN, in_teams if protected else ~in_teams)
        .order_by(OPP.c.owner_id != first_rep, OPP.c.id)
        .limit(400)
    ).all()
    if protected:  # the first rep's deals first: the sign-in page's rep sees requests too
        return [(code, int(owner)) for code, owner in rows[:n]]
    rng = np.random.default_rng(seed)
    picked = rng.choice(len(rows), size=min(n, len(rows)), replace=False) if rows else []
    return [(rows[int(i)][0], int(rows[int(i)][1])) for i in sorted(picked)]


def _working_day_before(day: date, calendar: WorkCalendar) -> date:
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


def add_demo_support(engine: Engine, today: date, seed: int = 42) -> int:
    """The demo's support staff and requests (see the module); returns how many requests."""
    with write_session(engine) as session:
        calendar = load_calendar(session)
        staff = _staff(session)
        standards = dict(
            session.execute(select(SUPPORT_TYPE.c.code, SUPPORT_TYPE.c.response_days)).all()
        )
        safe = ["progress", "waiting", "closed", "closed"]  # the first rep's deal first: open
        protected = _deals(session, 4, protected=True, seed=seed)
        others = _deals(session, len(PLAN), protected=False, seed=seed + 1)
        jobs = [(deal, safe[i % len(safe)]) for i, deal in enumerate(protected)]
        jobs += [(deal, PLAN[i]) for i, deal in enumerate(others)]
        answerer = {"tech": staff["tech.wang"], "finance": staff["finance.zhao"],
                    "legal": staff["legal.chen"], "delivery": staff["delivery.liu"]}  # fmt: skip
        departments = {"tech_proposal": "tech", "price_approval": "finance",
                       "legal_review": "legal", "delivery_plan": "delivery"}  # fmt: skip
        viewers: dict[int, object] = {}

        def viewer(user_id: int):
            if user_id not in viewers:
                viewers[user_id] = load_viewer(session, user_id)
            return viewers[user_id]

        for n, ((code, owner), outcome) in enumerate(jobs):
            kind = TYPES[(n // 2) % len(TYPES)]
            standard = int(standards[kind])
            back = {"closed": 12 + n % 10, "progress": 6, "waiting": 0, "late": standard + 6 + n % 4,
                    "overdue": standard + 2 + n % 4}[outcome]  # fmt: skip
            raised = _working_day_before(today - timedelta(days=back), calendar)
            if outcome == "overdue":  # waiting past its standard as of today
                raised = today
                while calendar.working_days_between(raised, today) <= standard + n % 3:
                    raised -= timedelta(days=1)
            rep = viewer(owner)
            rid = raise_request(
                session, rep, code, type_code=kind, what=WHAT[kind],
                expected_on=calendar.add_working_days(raised, standard + 3),
                urgency=("normal", "high", "low")[n % 3], sets_risk=n % 7 == 0, today=raised,
            )  # fmt: skip
            staffer = viewer(answerer[departments[kind]])
            if outcome in ("waiting", "overdue"):
                continue
            delay = standard + 1 + n % 3 if outcome == "late" else min(standard, 1 + n % 2)
            answered = min(calendar.add_working_days(raised, delay), today)
            answer(session, staffer, rid, 1, note="已受理，安排专人跟进。", today=answered)
            if outcome in ("closed", "late"):
                done = min(calendar.add_working_days(answered, 2), today)
                close_request(session, staffer, rid, 2, resolution="已提交：见附件方案/审批单。",
                              today=done)  # fmt: skip
        _fix_stamps(session, today, list(staff.values()))
        return len(jobs)


def _at(day: date | None, hour: int) -> datetime | None:
    return None if day is None else datetime.combine(day, time(hour), tzinfo=UTC)


def _fix_stamps(session: Session, today: date, staff: list[int]) -> None:
    """Stamp what was written on the day it happened (raised 09:00, answered 10:00, closed
    11:00 UTC) and the rest at 09:00 UTC of ``today``, so reruns give identical rows."""
    stamp = _at(today, 9)
    session.execute(update(USER).where(USER.c.id.in_(staff))
                    .values(created_at=stamp, password_changed_at=stamp))  # fmt: skip
    steps = {"raised": ("requested_on", 9), "accepted": ("responded_on", 10),
             "progress": ("responded_on", 10), "closed": ("closed_on", 11),
             "cancelled": ("closed_on", 11)}  # fmt: skip
    rows = session.execute(
        select(SUPPORT.c.id, SUPPORT.c.opportunity_id, SUPPORT.c.requested_on,
               SUPPORT.c.responded_on, SUPPORT.c.closed_on)
    ).all()  # fmt: skip
    for row in rows:
        days = row._mapping
        session.execute(update(SUPPORT).where(SUPPORT.c.id == row.id).values(
            requested_at=_at(row.requested_on, 9), responded_at=_at(row.responded_on, 10),
            closed_at=_at(row.closed_on, 11),
            updated_at=_at(row.closed_on or row.responded_on or row.requested_on, 11),
        ))  # fmt: skip
        for kind, (column, hour) in steps.items():
            session.execute(
                update(SUPPORT_HISTORY)
                .where(SUPPORT_HISTORY.c.request_id == row.id, SUPPORT_HISTORY.c.kind == kind)
                .values(happened_at=_at(days[column], hour))
            )
    deals = [r.opportunity_id for r in rows]
    session.execute(
        update(OPP).where(OPP.c.id.in_(deals), OPP.c.version > 1).values(updated_at=stamp)
    )
    session.execute(update(EVENT).where(EVENT.c.note.like("support #%")).values(at=stamp))
    session.execute(
        update(AUDIT)
        .where(
            (AUDIT.c.entity == "support_request") | AUDIT.c.summary.like("risk flag by support%")
        )
        .values(at=stamp)
    )
