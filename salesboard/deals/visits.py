"""Customer visits (拜访): logged from a deal or a customer, planned ahead (a visit plan) and
then logged as done. Whether a visit is effective (有效拜访) is computed, never ticked: a
decision maker was met, for at least ten minutes, and a clear need was obtained (DOMAIN.md
§2) — ``is_effective`` is the one rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, func, insert, select, update
from sqlmodel import Session

from salesboard.accounts import audit
from salesboard.accounts.access import Viewer, can_read_owned_by
from salesboard.deals.errors import DealError
from salesboard.deals.writing import bump, check_day, clean_text, deal_for_write, event, touch
from salesboard.store.models import OpportunityEventKind, Role, VisitStatus
from salesboard.store.tables import CUSTOMER, TEAM, USER, VISIT

EFFECTIVE_MINUTES = 10
MAX_MINUTES = 24 * 60


def is_effective(minutes: int, with_decision_maker: bool, need: str | bool) -> bool:
    """有效拜访: met a decision maker, at least ten minutes, a clear need obtained."""
    has_need = bool(need.strip()) if isinstance(need, str) else bool(need)
    return bool(with_decision_maker) and minutes >= EFFECTIVE_MINUTES and has_need


@dataclass(frozen=True)
class VisitInput:
    """What a rep records about a visit (``need`` in their words; empty: none obtained)."""

    visited_on: date
    minutes: int = 30
    contact_name: str = ""
    contact_role: str = ""
    with_decision_maker: bool = False
    need: str = ""
    goal: str = ""
    commitment: str = ""  # 晋级承诺
    next_step: str = ""

    def values(self) -> dict:
        """The visit's columns, checked (``minutes_invalid``, ``too_long``)."""
        if not 0 < int(self.minutes) <= MAX_MINUTES:
            raise DealError("minutes_invalid", f"minutes {self.minutes}", "minutes")
        need = clean_text(self.need, "need", 500)
        return {
            "visited_on": self.visited_on,
            "minutes": int(self.minutes),
            "contact_name": clean_text(self.contact_name, "contact_name", 64),
            "contact_role": clean_text(self.contact_role, "contact_role", 64),
            "with_decision_maker": bool(self.with_decision_maker),
            "need_obtained": bool(need),
            "need": need,
            "goal": clean_text(self.goal, "goal", 200),
            "commitment": clean_text(self.commitment, "commitment", 200),
            "next_step": clean_text(self.next_step, "next_step", 200),
            "effective": is_effective(int(self.minutes), self.with_decision_maker, need),
        }


def _customer_in_scope(session: Session, actor: Viewer, customer_id: int) -> None:
    """Refuse a customer outside the actor's regions exactly like a missing one."""
    row = session.execute(
        select(CUSTOMER.c.region_id).where(CUSTOMER.c.id == customer_id)
    ).one_or_none()
    allowed = row is not None and (
        actor.sees_everything
        or row.region_id
        in set(
            session.execute(select(TEAM.c.region_id).where(TEAM.c.id.in_(actor.team_ids))).scalars()
        )
    )
    if not allowed or not actor.can_edit_opportunities:
        raise DealError("unknown_customer", f"no customer {customer_id}", "customer",
                        customer=str(customer_id))  # fmt: skip


def log_visit(
    session: Session,
    actor: Viewer,
    visit: VisitInput,
    *,
    today: date,
    code: str | None = None,
    customer_id: int | None = None,
    planned_visit_id: int | None = None,
) -> int:
    """Log a visit done (on or before ``today``) on deal ``code`` or to ``customer_id``; with
    ``planned_visit_id`` the plan becomes the visit. Returns the visit's id."""
    values = visit.values()
    check_day(visit.visited_on, today, "visited_on")
    return _write(session, actor, values, VisitStatus.DONE, today, code, customer_id,
                  planned_visit_id)  # fmt: skip


def plan_visit(
    session: Session,
    actor: Viewer,
    visit: VisitInput,
    *,
    today: date,
    code: str | None = None,
    customer_id: int | None = None,
) -> int:
    """Plan a visit on ``visit.visited_on`` (today or later); it counts in the week's plan
    and is logged as done later (``log_visit(planned_visit_id=…)``)."""
    values = visit.values()
    if visit.visited_on < today:
        raise DealError("planned_in_past", "plan a visit for today or later", "visited_on")
    values.update(effective=False)  # nothing happened yet
    return _write(session, actor, values, VisitStatus.PLANNED, today, code, customer_id, None)


def _write(session, actor, values, status, today, code, customer_id, planned_visit_id) -> int:
    deal = None
    if code:
        deal = deal_for_write(session, actor, code)
        customer_id = deal.customer_id
    elif customer_id is not None:
        _customer_in_scope(session, actor, customer_id)
    else:
        raise DealError("visit_needs_target", "a visit is to a deal or a customer", "customer")
    rep_id = deal.owner_id if deal and actor.role != Role.REP else actor.user_id
    if rep_id is None:
        raise DealError("read_only", "the system account does not visit customers")
    row = {**values, "status": status, "customer_id": customer_id, "rep_id": rep_id,
           "opportunity_id": deal.id if deal else None}  # fmt: skip
    if planned_visit_id is not None:
        visit_id = _complete_plan(session, actor, planned_visit_id, row)
    else:
        visit_id = int(session.execute(insert(VISIT).values(**row)).inserted_primary_key[0])
    if deal is not None and status == VisitStatus.DONE:
        bump(session, deal, **touch(deal, values["visited_on"]))
        event(session, actor, deal, OpportunityEventKind.VISIT, values["visited_on"],
              new="effective" if values["effective"] else "visit",
              note=" · ".join(v for v in (values["contact_name"], values["need"],
                                          values["commitment"]) if v))  # fmt: skip
    audit.record(session, actor, action="create" if planned_visit_id is None else "update",
                 entity="visit", entity_id=visit_id, summary=status,
                 new={k: str(v) for k, v in row.items()})  # fmt: skip
    return visit_id


def _complete_plan(session: Session, actor: Viewer, visit_id: int, row: dict) -> int:
    """Turn planned visit ``visit_id`` (the actor's, or their team's) into the done visit."""
    plan = session.execute(
        select(VISIT.c.id, VISIT.c.rep_id, VISIT.c.status, VISIT.c.version, USER.c.team_id)
        .join(USER, USER.c.id == VISIT.c.rep_id)
        .where(VISIT.c.id == visit_id)
    ).one_or_none()
    if plan is None or not can_read_owned_by(actor, plan.rep_id, plan.team_id):
        raise DealError("unknown_visit", f"no visit {visit_id}", "visit")
    if plan.status != VisitStatus.PLANNED:
        raise DealError("visit_done", f"visit {visit_id} is already logged", "visit")
    changed = session.execute(
        update(VISIT)
        .where(VISIT.c.id == visit_id, VISIT.c.version == plan.version)
        .values(**{k: v for k, v in row.items() if k != "rep_id"}, version=plan.version + 1)
    ).rowcount
    if changed != 1:
        raise DealError("conflict", f"visit {visit_id} changed meanwhile", code=str(visit_id))
    return visit_id


@dataclass(frozen=True)
class WeekPlan:
    """A week's visits for one person or team: planned (still to do), done, of which
    effective, and how many of the week's plans were logged."""

    planned: int
    done: int
    effective: int


def week_of(day: date) -> tuple[date, date]:
    """Monday and Sunday of ``day``'s week."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def visit_week(session: Session, viewer: Viewer, day: date, rep_id: int | None = None) -> WeekPlan:
    """The visit plan of ``day``'s week in ``viewer``'s scope (one rep with ``rep_id``)."""
    monday, sunday = week_of(day)
    query = (
        select(
            func.count().filter(VISIT.c.status == VisitStatus.PLANNED),
            func.count().filter(VISIT.c.status == VisitStatus.DONE),
            func.count().filter(and_(VISIT.c.status == VisitStatus.DONE, VISIT.c.effective)),
        )
        .select_from(VISIT.join(USER, USER.c.id == VISIT.c.rep_id))
        .where(VISIT.c.visited_on.between(monday, sunday))
    )
    if rep_id is not None:
        query = query.where(VISIT.c.rep_id == rep_id)
    if not viewer.sees_everything:
        query = query.where(
            VISIT.c.rep_id == viewer.user_id
            if viewer.role == Role.REP
            else USER.c.team_id.in_(viewer.team_ids)
        )
    planned, done, effective = session.execute(query).one()
    return WeekPlan(int(planned), int(done), int(effective))
